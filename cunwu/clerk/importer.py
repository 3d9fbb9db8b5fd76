"""`cunwu import ledger`: a month's cash journal exported by village accounting
software (.xlsx or .csv) → villages/<村>/ledgers/YYYY-MM.yml.

The sheet is read as rows of cells (`spreadsheet`); the header row is found by
the usual Chinese column names, or a mapping file names the columns
(`import_layout`); title rows above it, total rows (合计/本月合计/本年累计)
anywhere and note rows (制表人……) are skipped; a 期初余额/上月结转 row gives the
opening balance (`journal`, reading cells with `cells` and 科目 with
`subjects`). Every other row must become one entry, or it is reported with its
row number and the reason; with errors nothing is written unless
--allow-errors. This module turns the rows into the ledger file and writes
it; after writing, the village is checked and the diagnostics for the new
file are printed.
"""

from __future__ import annotations

import re
import shutil
from argparse import Namespace
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..records.accounts import SYSTEM_TITLES, other_system
from ..records.checks import check_path
from ..records.money import ZERO, yuan
from ..records.months import next_month, previous_month
from .cells import CellError, parse_amount, parse_cell_date
from .common import (
    BACKUP_DIR,
    ClerkError,
    carried_balance,
    display,
    find_village,
    guarded,
    pad,
    parse_date,
    parse_month,
    print_outcome,
    read_profile,
    report_written,
    roster_members,
    villages_root,
    write_atomic,
    write_new,
    yaml_value,
)
from .import_layout import COLUMN_LABELS, ColumnMapping, find_layout, load_mapping
from .journal import JournalRow, read_rows
from .spreadsheet import decode_csv, read_table
from .subjects import map_category

# The names tests and callers import from here; they live in the modules above.
__all__ = ["CellError", "Options", "Outcome", "decode_csv", "import_ledger", "ledger_yaml", "map_category",
           "parse_amount", "parse_cell_date", "run"]

# ---------------------------------------------------------------- the ledger file


def ledger_yaml(month: str, opening: Decimal, opening_note: str, rows: list[JournalRow], posted: date,
                posted_note: str, review: tuple[list[str], date] | None, source_name: str,
                reviewers: tuple[str, ...] = ()) -> str:
    income = sum((r.entry["amount"] for r in rows if r.income), ZERO)
    expense = sum((r.entry["amount"] for r in rows if not r.income), ZERO)
    closing = opening + income - expense
    after = next_month(month)
    out = [
        f"# 月度财务公开（收支明细）—— 由 cunwu import ledger 从表格“{source_name}”导入。",
        "# 规则：期初余额 + 本月收入 − 本月支出 = 期末余额；本月期初 = 上月期末。",
        f"# 本月 {len(rows)} 笔：收入 {yuan(income)}，支出 {yuan(expense)}。",
        "# 金额一律写数字，最多两位小数。每笔后面注明了它在表格里的行号，便于核对。",
        pad(f"month: {month}", "所属月份（年-月），须与文件名相同"),
        pad(f"opening_balance: {opening:.2f}", f"期初余额（元）：{opening_note}"),
        pad(f"closing_balance: {closing:.2f}", "期末余额（元）= 期初 + 本月收入 − 本月支出"),
        pad(f"posted: {posted.isoformat()}", f"公布日期：{posted_note}"),
    ]
    if review:
        names, when = review
        out += [pad("review:", "民主理财小组 / 村务监督委员会审核（须在公布日期当天或之前）"),
                f"  by: [{', '.join(yaml_value(n) for n in names)}]",
                f"  date: {when.isoformat()}"]
    else:
        out += ["# 审核后去掉下面三行行首的“# ”，填上审核人和日期（须在公布日期当天或之前）：",
                "# review:",
                f"#   by: [{', '.join(yaml_value(n) for n in reviewers) or '审核人姓名'}]",
                f"#   date: {after}-03"]
    if not rows:
        out.append(pad("entries: []", "本月没有收支"))
    else:
        out.append(pad("entries:", "收支明细，一笔一条"))
        for r in rows:
            e = r.entry
            out.append(pad(f"  - date: {e['date'].isoformat()}", f"表格第 {r.number} 行"))
            out.append(f"    voucher: {yaml_value(e['voucher'])}")
            out.append(f"    summary: {yaml_value(e['summary'])}")
            note = f"表中科目：{r.source_category}" if r.source_category and r.source_category != e["category"] else ""
            out.append(pad(f"    category: {e['category']}", note))
            for key in ("counterparty",):
                if e[key]:
                    out.append(f"    {key}: {yaml_value(e[key])}")
            out.append(f"    amount: {e['amount']:.2f}")
            for key in ("handled_by", "reviewed_by", "approved_by"):
                if e[key]:
                    out.append(f"    {key}: {yaml_value(e[key])}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the command


@dataclass
class Options:
    file: Path
    village: str
    month: str
    villages: str = "villages"
    mapping: Path | None = None
    sheet: str | None = None
    force: bool = False
    allow_errors: bool = False
    opening: str | None = None
    posted: str | None = None
    review_by: str | None = None
    review_date: str | None = None
    today: date | None = None


@dataclass
class Outcome:
    code: int
    path: Path | None = None
    backup: Path | None = None
    lines: list[str] = field(default_factory=list)       # what to print, in order (stdout)
    problems: list[str] = field(default_factory=list)    # stderr
    ledger_text: str = ""


def _opening_option(text: str) -> Decimal:
    try:
        amount = parse_amount(text)
    except CellError:
        raise ClerkError(f"--opening “{text}”不是金额。请写数字，最多两位小数，例如 --opening 125300.00。", 2) from None
    return amount if amount is not None else ZERO


def import_ledger(opts: Options) -> Outcome:
    month = parse_month(opts.month)
    village = find_village(villages_root(opts.villages), opts.village)
    today = opts.today or date.today()
    posted = parse_date(opts.posted, "公布日期") if opts.posted else today
    posted_note = ("按 --posted 填写" if opts.posted else
                   "导入时默认为今天，请改为实际在公开栏张贴的日期")
    review = None
    if opts.review_by or opts.review_date:
        if not (opts.review_by and opts.review_date):
            raise ClerkError("--review-by（审核人）和 --review-date（审核日期）要一起写。", 2)
        names = [n.strip() for n in re.split(r"[,，、;；\s]+", opts.review_by) if n.strip()]
        review = (names, parse_date(opts.review_date, "审核日期"))
    mapping = load_mapping(opts.mapping) if opts.mapping else ColumnMapping()
    target = village / "ledgers" / f"{month}.yml"
    if target.exists() and not opts.force:
        raise ClerkError(f"{month} 的收支公开文件 {display(target)} 已经存在，没有导入。"
                         f"如确需用表格内容替换它，请加 --force（原文件会备份到 {display(village / BACKUP_DIR)}）。")
    path = Path(opts.file)
    table = read_table(path, opts.sheet or mapping.sheet, mapping.encoding)
    layout = find_layout(table, mapping)
    journal = read_rows(table, layout, month, mapping, path)
    out = Outcome(0)
    where = f"表头在第 {layout.header_row} 行" if layout.header_row else "没有表头行"
    out.lines.append(f"读取 {path.name}：{table.note}，{where}，"
                     f"识别的列：{'、'.join(f'{COLUMN_LABELS[f]}=“{layout.headers[f]}”' for f in layout.columns)}。")
    title_months = {f"{int(y):04d}-{int(m):02d}" for y, m in re.findall(r"(\d{4})年(\d{1,2})月", layout.title)}
    if title_months and month not in title_months:
        journal.report.warning(path, 1, "import.title-month",
                               f"表格标题“{layout.title.strip()[:40]}”写的月份与 --month {month} 不同。请确认导入的是不是这个月的表格。")
    # the opening balance
    carried, carried_from = carried_balance(village, month)
    if opts.opening is not None:
        opening = _opening_option(opts.opening)
        opening_note = "按 --opening 填写"
        if journal.opening and journal.opening[0] != opening:
            journal.report.warning(path, journal.opening[1], "import.opening-differs",
                                   f"表中第 {journal.opening[1]} 行的期初余额是 {yuan(journal.opening[0])}，"
                                   f"与 --opening {opening} 不同；已按 --opening 写入。")
    elif journal.opening:
        opening = journal.opening[0]
        opening_note = f"取自表格第 {journal.opening[1]} 行“{journal.opening[2]}”"
    elif carried is not None and carried_from is not None:   # a balance always comes with its file
        opening = carried
        opening_note = (f"表中没有期初行，已取上月（{carried_from.name}）的期末余额"
                        if carried_from.stem == previous_month(month) else
                        f"表中没有期初行，已取 {carried_from.name} 的期末余额（注意中间缺少月份）")
    else:
        missing = (f"无法确定 {month} 的期初余额：表格里没有“期初余额”或“上月结转”行，"
                   f"{display(village / 'ledgers')} 里也没有上月（{previous_month(month)}）的收支公开文件"
                   "（或读不出它的期末余额）。请用 --opening 金额 指定，例如 --opening 125300.00。")
        if not journal.bad_rows:
            raise ClerkError(missing)
        out.problems.extend(d.format() for d in journal.report.sorted())
        out.problems.append(f"表格中有 {len(journal.bad_rows)} 行读不懂（见上），没有写入任何文件。另外，{missing}")
        out.code = 1
        return out
    rows = journal.rows
    income = sum((r.entry["amount"] for r in rows if r.income), ZERO)
    expense = sum((r.entry["amount"] for r in rows if not r.income), ZERO)
    closing = opening + income - expense
    # cross-checks against the sheet's own totals and balances (only meaningful when all rows were read)
    if not journal.bad_rows:
        for number, word, t_in, t_out in journal.totals:
            if ("income" in layout.columns and (t_in or ZERO) != income) or \
               ("expense" in layout.columns and (t_out or ZERO) != expense):
                journal.report.warning(path, number, "import.total-mismatch",
                                       f"第 {number} 行“{word}”：收入 {yuan(t_in or Decimal(0))}、支出 "
                                       f"{yuan(t_out or Decimal(0))}，与逐笔相加的收入 {yuan(income)}、支出 {yuan(expense)} "
                                       "不一致。请核对表格是否有漏读或重复的行。")
        running = opening
        for r in rows:
            running += r.entry["amount"] if r.income else -r.entry["amount"]
            if r.balance is not None and r.balance != running:
                journal.report.warning(path, r.number, "import.balance-mismatch",
                                       f"第 {r.number} 行：表中余额 {yuan(r.balance)}，按期初和逐笔收支算得 {yuan(running)}，"
                                       "不一致。请核对期初余额和前面各行的金额。")
                break
        if journal.closing and journal.closing[0] != closing:
            journal.report.warning(path, journal.closing[1], "import.closing-mismatch",
                                   f"第 {journal.closing[1]} 行的期末余额 {yuan(journal.closing[0])} 与算得的 {yuan(closing)} 不一致。")
    for number, text in journal.skipped_notes:
        out.lines.append(f"  跳过第 {number} 行（不是收支明细）：{text[:40]}")
    for d in journal.report.sorted():
        out.problems.append(d.format())
    if journal.bad_rows and not opts.allow_errors:
        out.code = 1
        out.problems.append(f"表格中有 {len(journal.bad_rows)} 行读不懂（见上），没有写入任何文件。"
                            "请在表格里改正这些行后重新导入；如要先跳过这些行导入其余各笔，可加 --allow-errors。")
        return out
    reviewers = tuple(str(m["name"]) for m in roster_members(read_profile(village), "supervision_committee"))
    text = ledger_yaml(month, opening, opening_note, rows, posted, posted_note, review, path.name, reviewers)
    out.ledger_text = text
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = village / BACKUP_DIR / f"{month}.yml.bak-{stamp}"
        n = 1
        while backup.exists():
            n += 1
            backup = village / BACKUP_DIR / f"{month}.yml.bak-{stamp}-{n}"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup)
        out.backup = backup
        write_atomic(target, text)
    else:
        write_new(target, text)
    out.path = target
    n_in = sum(1 for r in rows if r.income)
    out.lines.append(f"已导入 {month}：{len(rows)} 笔（收入 {n_in} 笔 {yuan(income)}，支出 {len(rows) - n_in} 笔 "
                     f"{yuan(expense)}），期初 {yuan(opening)}，期末 {yuan(closing)}。")
    out.lines.append(f"已写入 {display(target)}。")
    if journal.by_code_only:
        other = other_system(journal.system)
        out.lines.append(f"其中 {journal.by_code_only} 笔只有科目编号，按{SYSTEM_TITLES[journal.system]}的编号对照。"
                         f"若会计软件用的是另一套编号，请在映射文件里写 accounts: {other} 后重新导入（加 --force）。")
    if out.backup:
        out.lines.append(f"原文件已备份为 {display(out.backup)}。")
    if journal.bad_rows:
        out.lines.append(f"注意：按 --allow-errors 跳过了 {len(journal.bad_rows)} 行："
                         f"第 {'、'.join(map(str, journal.bad_rows))} 行（原因见上）。这些收支没有写入，请补录后再公开。")
    # check the village with the new file
    _, report = check_path(village)
    mine = display(target)
    after = display(village / "ledgers" / f"{next_month(month)}.yml")
    relevant = [d for d in report.sorted() if d.file == mine or
                (d.file == after and d.rule in ("ledger.continuity", "ledger.gap"))]
    if report_written(out.lines, relevant, village):
        out.code = 1
    steps = []
    if not opts.posted:
        steps.append("打开文件核对公布日期（posted），改为实际张贴的日期")
    if review is None:
        steps.append("审核后填上审核人和审核日期（review）")
    steps.append(f"用 cunwu serve {village.name} 预览，确认无误后提交（git add、git commit）")
    out.lines.append("下一步：" + "；".join(steps) + "。")
    return out


def run(args: Namespace) -> int:
    opts = Options(file=Path(args.file), village=args.village, month=args.month, villages=args.villages,
                   mapping=Path(args.mapping) if args.mapping else None, sheet=args.sheet, force=args.force,
                   allow_errors=args.allow_errors, opening=args.opening, posted=args.posted,
                   review_by=args.review_by, review_date=args.review_date)
    outcome, code = guarded(lambda: import_ledger(opts))
    if outcome is None:
        return code
    print_outcome(outcome.lines, outcome.problems)
    return outcome.code
