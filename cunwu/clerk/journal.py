"""The rows of a month's cash journal → ledger entries, each one read or
reported with its row number and the reason.

Total rows (合计, 本年累计, 过次页), notes and signatures are skipped; a 期初余额
row gives the opening balance and a 期末余额 row the closing one, kept to cross-
check the entries. Every other row must make one entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..records.accounts import system_for
from ..records.checks.ledgers import NEGATIVE_ADVICE
from ..records.diagnostics import Report
from ..records.models import INCOME_CATEGORIES
from ..records.money import ZERO
from ..records.months import month_bounds
from .cells import CellError, cell_text, make_date, norm, parse_amount, parse_cell_date
from .import_layout import ColumnMapping, Layout
from .spreadsheet import Spreadsheet
from .subjects import map_category

# Labels of rows that are not entries: totals, carried balances; then the words for a direction.
TOTAL_RE = re.compile(r"(本月|本期|本年|本季|全年|本页)?(合计|累计|小计|总计)(数|金额)?|过次页|承前页|转下页|承上页")
MONTH_TOTAL_RE = re.compile(r"(本月|本期)?合计(数|金额)?")
OPENING_WORDS = ("期初余额", "上月结转", "上年结转", "上期结转", "承上月", "月初余额", "年初余额", "期初数",
                 "上月余额", "期初结存", "上月结存", "上月结余", "期初", "年初数", "上年结余")
CLOSING_WORDS = ("期末余额", "本月结余", "结转下月", "月末余额", "期末结存", "本月余额", "本期余额",
                 "期末数", "本月结存", "期末")
INCOME_WORDS = ("收", "收入", "借", "借方", "+", "进")
EXPENSE_WORDS = ("支", "支出", "贷", "贷方", "-", "出", "付")


@dataclass
class JournalRow:
    """One entry read from the spreadsheet, with the row it came from."""

    number: int
    entry: dict[str, Any]            # date, voucher, summary, category, counterparty, amount, …
    income: bool
    source_category: str
    balance: Decimal | None = None


@dataclass
class Journal:
    """What was read from the spreadsheet: entries, balances and totals, and what was wrong."""

    rows: list[JournalRow] = field(default_factory=list)
    opening: tuple[Decimal, int, str] | None = None       # amount, row, label
    closing: tuple[Decimal, int] | None = None
    totals: list[tuple[int, str, Decimal | None, Decimal | None]] = field(default_factory=list)
    skipped_notes: list[tuple[int, str]] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    bad_rows: list[int] = field(default_factory=list)
    system: str = "2023"           # whose account codes were read (records/accounts.py)
    by_code_only: int = 0          # rows whose 科目 was a code with no name


def _label_words(cells: list[Any]) -> list[str]:
    return [norm(c) for c in cells if isinstance(c, str) and c.strip()]


def _is_entry_attempt(cells: list[Any], get: Callable[[list[Any], str], Any], month: str) -> bool:
    """Whether a row tries to be an entry (and so must be read or reported): it has an
    amount, a voucher or a subject, or a date that reads as a date."""
    if any(get(cells, f) is not None for f in ("voucher", "category", "code", "income", "expense", "amount", "day")):
        return True
    if get(cells, "date") is not None:
        try:
            parse_cell_date(get(cells, "date"), month)
            return True
        except CellError:
            return False
    return False


def read_rows(table: Spreadsheet, layout: Layout, month: str, mapping: ColumnMapping, path: Path) -> Journal:
    journal = Journal()
    cols = layout.columns
    first, last = month_bounds(month)
    year, mon = map(int, month.split("-"))
    system = journal.system = system_for(month, mapping.accounts)   # whose account codes the rows use
    vouchers: dict[str, int] = {}

    def get(cells: list[Any], fld: str) -> Any:
        j = cols.get(fld)
        return cells[j] if j is not None and j < len(cells) else None

    def error(row: int, rule: str, summary: str, problems: list[str]) -> None:
        what = f"（摘要“{summary}”）" if summary else ""
        journal.report.error(path, row, rule, f"第 {row} 行{what}：{'；'.join(problems)}。")
        journal.bad_rows.append(row)

    for number, cells in table.rows:
        if number <= layout.header_row:
            continue
        if all(c is None for c in cells):
            continue
        words = _label_words(cells)
        summary = cell_text(get(cells, "summary"))
        if any(w in mapping.skip for w in words):
            journal.skipped_notes.append((number, "按映射文件 skip 跳过：" +
                                          " ".join(cell_text(c) for c in cells if c is not None)))
            continue
        # total rows: 合计 / 本月合计 / 本年累计 / 过次页 …
        total_word = next((w for w in words if TOTAL_RE.fullmatch(w)), None)
        if total_word is not None:
            income = expense = None
            try:
                income = parse_amount(get(cells, "income"))
                expense = parse_amount(get(cells, "expense"))
            except CellError:
                pass
            if MONTH_TOTAL_RE.fullmatch(total_word):
                journal.totals.append((number, total_word, income, expense))
            continue
        # opening and closing balance rows
        opening_words = OPENING_WORDS + mapping.opening
        if any(w in opening_words for w in words):
            try:
                amounts = [parse_amount(get(cells, f)) for f in ("balance", "income", "amount", "expense")]
            except CellError as exc:
                error(number, "import.opening", summary, [f"期初余额读不出来：{exc}"])
                continue
            value = next((a for a in amounts if a is not None), ZERO)
            if journal.opening is not None:
                error(number, "import.opening", summary,
                      [f"表中有两行期初余额（第 {journal.opening[1]} 行已有）。请删去多余的一行"])
                continue
            journal.opening = (value, number, summary or next(iter(words), "期初余额"))
            continue
        if any(w in CLOSING_WORDS for w in words):
            try:
                bal = parse_amount(get(cells, "balance"))
            except CellError:
                bal = None
            if bal is not None:
                journal.closing = (bal, number)
            continue
        if not _is_entry_attempt(cells, get, month):     # title, note or signature lines (制表人：……)
            journal.skipped_notes.append((number, " ".join(cell_text(c) for c in cells if c is not None)))
            continue
        problems: list[str] = []
        rule = "import.row"
        # date
        entry_date = None
        try:
            if "date" in cols and get(cells, "date") is not None:
                entry_date = parse_cell_date(get(cells, "date"), month)
            elif "day" in cols and get(cells, "day") is not None:
                m_cell = get(cells, "month")
                m_val = mon
                if m_cell is not None:
                    m_text = norm(m_cell).rstrip("月")
                    if not re.fullmatch(r"\d{1,2}(\.0)?", m_text):
                        raise CellError(f"月份“{cell_text(m_cell)}”看不懂")
                    m_val = int(float(m_text))
                d_cell = get(cells, "day")
                d_text = norm(d_cell).rstrip("日")
                if not re.fullmatch(r"\d{1,2}(\.0)?", d_text):
                    raise CellError(f"日“{cell_text(d_cell)}”看不懂")
                entry_date = make_date(year, m_val, int(float(d_text)), f"{m_val}月{cell_text(d_cell)}日")
            else:
                problems.append("没有日期")
                rule = "import.date"
        except CellError as exc:
            problems.append(str(exc))
            rule = "import.date"
        if entry_date is not None and not first <= entry_date <= last:
            problems.append(f"日期 {entry_date} 不在 {month} 月内，请核对日期，或把这一笔放到对应月份的表格里导入")
            rule = "import.date-outside"
        # voucher
        voucher = cell_text(get(cells, "voucher"))
        word = cell_text(get(cells, "voucher_word"))
        if word and voucher:
            voucher = f"{word}-{voucher}"
        if not voucher:
            problems.append("没有凭证号")
            rule = "import.voucher"
        if not summary:
            problems.append("没有摘要")
            rule = "import.summary"
        # amount and direction
        direction = None
        parsed: dict[str, Decimal | None] = {}
        unreadable = False
        for column, prefix in (("income", f"{layout.headers.get('income', '收入')}栏："),
                               ("expense", f"{layout.headers.get('expense', '支出')}栏："), ("amount", "")):
            try:
                parsed[column] = parse_amount(get(cells, column))
            except CellError as exc:
                problems.append(f"{prefix}{exc}")
                rule = "import.amount"
                parsed[column], unreadable = None, True
        income_amt, expense_amt, single = parsed["income"], parsed["expense"], parsed["amount"]
        amount: Decimal | None = None
        if not unreadable:
            if income_amt is not None and expense_amt is not None:
                problems.append(f"“{layout.headers.get('income')}”和“{layout.headers.get('expense')}”两栏都填了金额"
                                f"（{income_amt}、{expense_amt}），一笔只能是收入或支出之一，请拆成两行或删去一个")
                rule = "import.both-amounts"
            elif income_amt is not None:
                amount, direction = income_amt, "income"
            elif expense_amt is not None:
                amount, direction = expense_amt, "expense"
            elif single is not None:
                amount = single
                d_text = norm(get(cells, "direction"))
                if d_text in INCOME_WORDS:
                    direction = "income"
                elif d_text in EXPENSE_WORDS:
                    direction = "expense"
                elif d_text:
                    problems.append(f"收支方向“{cell_text(get(cells, 'direction'))}”看不懂（应写 收 或 支）")
                    rule = "import.direction"
            else:
                problems.append("没有金额")
                rule = "import.amount"
            if amount is not None and amount < 0:
                problems.append(f"金额 {amount} 是负数。收支明细里金额一律写正数。{NEGATIVE_ADVICE.rstrip('。')}")
                rule = "import.amount"
                amount = None
        # category
        raw_category = cell_text(get(cells, "category"))
        code = cell_text(get(cells, "code"))
        category, why = map_category(raw_category, code, mapping.categories, system)
        if category is not None and not re.sub(r"[\d\s]", "", norm(raw_category)) and (raw_category or code):
            journal.by_code_only += 1
        if category is None:
            problems.append(why)
            rule = "import.category"
        elif direction is not None and amount is not None:
            is_income = category in INCOME_CATEGORIES
            if is_income != (direction == "income"):
                column = layout.headers.get(direction, "收入" if direction == "income" else "支出")
                kind = "收入" if is_income else "支出"
                problems.append(f"科目“{raw_category or code}”（{category}）是{kind}科目，金额却填在“{column}”栏。"
                                "请核对科目或金额所在的栏")
                rule = "import.direction"
        if category is not None and direction is None and amount is not None:
            direction = "income" if category in INCOME_CATEGORIES else "expense"
        balance = None
        try:
            balance = parse_amount(get(cells, "balance"))
        except CellError:
            pass
        if problems:
            error(number, rule, summary, problems)
            continue
        if voucher in vouchers:
            n = 2
            while f"{voucher}-{n}" in vouchers:
                n += 1
            journal.report.warning(path, number, "import.voucher-repeat",
                                   f"第 {number} 行的凭证号“{voucher}”与第 {vouchers[voucher]} 行相同（同一张凭证的多笔），"
                                   f"已写成“{voucher}-{n}”，以免重复。")
            voucher = f"{voucher}-{n}"
        vouchers[voucher] = number
        entry = {"date": entry_date, "voucher": voucher, "summary": summary, "category": category,
                 "counterparty": cell_text(get(cells, "counterparty")), "amount": amount,
                 "handled_by": cell_text(get(cells, "handled_by")),
                 "reviewed_by": cell_text(get(cells, "reviewed_by")),
                 "approved_by": cell_text(get(cells, "approved_by"))}
        journal.rows.append(JournalRow(number, entry, direction == "income", raw_category or code, balance))
    return journal
