"""`cunwu import ledger`: a month's cash journal exported by village accounting
software (.xlsx or .csv) → villages/<村>/ledgers/YYYY-MM.yml.

The sheet is read as rows of cells; the header row is found by the usual
Chinese column names (or a mapping file names the columns); title rows above
it, total rows (合计/本月合计/本年累计) anywhere and note rows (制表人……) are
skipped; a 期初余额/上月结转 row gives the opening balance. Every other row
must become one entry, or it is reported with its row number and the reason;
with errors nothing is written unless --allow-errors. After writing, the
village is checked and the diagnostics for the new file are printed.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..records.diagnostics import Report
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from ..records.money import CENT, ZERO, yuan
from ..records.months import month_bounds, next_month, previous_month
from ..records.source import SourceError, load_source
from .common import (
    BACKUP_DIR,
    ClerkError,
    carried_balance,
    display,
    find_village,
    guarded,
    parse_date,
    parse_month,
    villages_root,
    write_atomic,
    yaml_value,
)

CATEGORIES = INCOME_CATEGORIES + EXPENSE_CATEGORIES

# ---------------------------------------------------------------- column names

# field → header texts (after normalising: NFKC, no spaces, no "(元)")
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "记账日期", "凭证日期", "业务日期", "发生日期", "制单日期", "交易日期", "时间"),
    "month": ("月", "月份"),
    "day": ("日",),
    "voucher_word": ("凭证字", "字"),
    "voucher": ("凭证号", "凭证字号", "凭证编号", "凭证", "记账凭证号", "凭证号码", "号", "字号", "单据号"),
    "summary": ("摘要", "事由", "摘要说明", "业务摘要", "内容", "用途", "说明", "收支事由", "经济业务摘要"),
    "category": ("科目", "会计科目", "科目名称", "收支科目", "类别", "收支类别", "收支项目", "总账科目",
                 "一级科目", "科目编码及名称", "科目全称", "对方科目", "项目"),
    "code": ("科目编码", "科目代码", "科目编号", "科目号"),
    "income": ("收入", "借方", "借", "收入金额", "借方金额", "借方发生额", "本月收入", "收款", "收款金额",
               "收方", "收入数"),
    "expense": ("支出", "贷方", "贷", "支出金额", "贷方金额", "贷方发生额", "本月支出", "付款", "付款金额",
                "付方", "支出数"),
    "amount": ("金额", "发生额", "发生金额"),
    "direction": ("收支", "方向", "收支方向", "借贷方向", "收/支", "借/贷", "收支类型"),
    "balance": ("余额", "结余", "账面余额", "结存", "结存金额", "余额金额"),
    "counterparty": ("对方单位", "对方", "对方户名", "往来单位", "收款单位", "付款单位", "对方单位或个人",
                     "收付款单位", "单位或个人", "收款人", "付款人", "收付款人", "对方单位(个人)"),
    "handled_by": ("经手人", "经办人", "报账人", "经手", "经办"),
    "reviewed_by": ("审核人", "审核", "复核人", "复核"),
    "approved_by": ("审批人", "审批", "批准人", "签字人", "审签人", "负责人", "审批签字"),
}
FIELDS = tuple(HEADERS)
FIELD_LABELS = {"date": "日期", "month": "月", "day": "日", "voucher_word": "凭证字", "voucher": "凭证号",
                "summary": "摘要", "category": "科目", "code": "科目编码", "income": "收入（借方）",
                "expense": "支出（贷方）", "amount": "金额", "direction": "收支方向", "balance": "余额",
                "counterparty": "对方单位", "handled_by": "经手人", "reviewed_by": "审核人",
                "approved_by": "审批人"}
_ALIAS = {name: fld for fld, names in HEADERS.items() for name in names}
AMOUNT_FIELDS = ("income", "expense", "amount")

TOTAL_RE = re.compile(r"(本月|本期|本年|本季|全年|本页)?(合计|累计|小计|总计)(数|金额)?|过次页|承前页|转下页|承上页")
MONTH_TOTAL_RE = re.compile(r"(本月|本期)?合计(数|金额)?")
OPENING_WORDS = ("期初余额", "上月结转", "上年结转", "上期结转", "承上月", "月初余额", "年初余额", "期初数",
                 "上月余额", "期初结存", "上月结存", "上月结余", "期初", "年初数", "上年结余")
CLOSING_WORDS = ("期末余额", "本月结余", "结转下月", "月末余额", "期末结存", "本月余额", "本期余额",
                 "期末数", "本月结存", "期末")
INCOME_WORDS = ("收", "收入", "借", "借方", "+", "进")
EXPENSE_WORDS = ("支", "支出", "贷", "贷方", "-", "出", "付")

# ---------------------------------------------------------------- categories

CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "经营收入": ("营业收入", "主营业务收入", "销售收入", "服务收入", "劳务收入", "租赁收入", "出租收入",
              "农产品销售收入", "物资销售收入", "经营性收入"),
    "承包收入": ("发包及上交收入", "发包及上交", "发包收入", "承包金", "承包费", "承包费收入", "上交收入",
              "土地承包收入", "果园承包收入", "承包上交收入"),
    "补助收入": ("财政补助", "财政补助收入", "上级补助", "上级补助收入", "补贴收入", "转移支付", "转移支付收入",
              "农业税附加返还收入", "补助", "财政补贴"),
    "投资收益": ("投资收入", "分红收入", "股金分红", "股份分红", "投资分红", "入股分红"),
    "其他收入": ("利息收入", "营业外收入", "捐赠收入", "罚款收入", "杂项收入", "其它收入"),
    "经营支出": ("营业支出", "经营成本", "主营业务成本", "经营费用", "销售成本", "经营性支出"),
    "管理费用": ("管理费", "干部报酬", "村干部报酬", "误工补贴", "村干部误工补贴", "办公费", "办公费用",
              "差旅费", "报刊费", "会议费", "招待费", "业务招待费", "村级组织运转经费支出"),
    "公益支出": ("公益事业支出", "公益性支出", "公益事业", "公益费用", "村级公益事业支出", "公益事业费"),
    "其他支出": ("利息支出", "营业外支出", "杂项支出", "捐赠支出", "罚款支出", "其它支出"),
}
_CATEGORY_ALIAS = {alias: cat for cat, aliases in CATEGORY_ALIASES.items() for alias in aliases}
# Subject codes of the 村集体经济组织会计制度 (2004): profit-and-loss accounts, three digits
# (sub-accounts such as 541001 share the prefix).
CATEGORY_CODES = {"501": "经营收入", "502": "经营支出", "511": "承包收入", "521": "补助收入", "522": "补助收入",
                  "531": "其他收入", "541": "管理费用", "551": "其他支出", "561": "投资收益"}
# Balance-sheet subjects: money moves, but it is neither income nor expense.
NOT_INCOME_OR_EXPENSE = ("现金", "库存现金", "银行存款", "应收款", "应付款", "内部往来", "短期借款", "长期借款",
                         "长期借款及应付款", "一事一议资金", "专项应付款", "固定资产", "在建工程", "库存物资",
                         "公积公益金", "应付工资", "应付福利费", "短期投资", "长期投资")


def norm(value: Any) -> str:
    """Text for matching: full-width → half-width, no spaces, no '(元)' unit, no trailing colon."""
    text = unicodedata.normalize("NFKC", str(value)) if value is not None else ""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\((单位:?)?(人民币)?元\)$", "", text)
    return text.rstrip(":").lower()


def header_field(value: Any) -> str | None:
    text = norm(value)
    if not text:
        return None
    if text in _ALIAS:
        return _ALIAS[text]
    return None


def map_category(text: str, code: str = "", extra: dict[str, str] | None = None) -> tuple[str | None, str]:
    """科目 text (and/or code) → (category, '') or (None, why)."""
    extra = extra or {}
    raw = str(text or "").strip()
    for key in (raw, norm(raw), str(code).strip()):
        if key and key in extra:
            return extra[key], ""
    n = norm(raw)
    m = re.match(r"^(\d{3,})[-_.、:]?(.*)$", n)
    codes = [str(code).strip()] if code else []
    if m:
        codes.insert(0, m.group(1))
        n = m.group(2)
    parts = [p for p in re.split(r"[-—–_/\\:>|·、]+", n) if p]
    for part in parts:
        part = part.removesuffix("科目")
        if part in CATEGORIES:
            return part, ""
        if part in _CATEGORY_ALIAS:
            return _CATEGORY_ALIAS[part], ""
    found = {c for c in CATEGORIES if c in n}
    if len(found) == 1:
        return found.pop(), ""
    for c in codes:
        c = norm(c)
        if c[:3] in CATEGORY_CODES:
            return CATEGORY_CODES[c[:3]], ""
    if not raw and not codes:
        return None, "没有科目"
    shown = raw or str(code)
    if parts and parts[0] in NOT_INCOME_OR_EXPENSE:
        return None, (f"科目“{shown}”不是收入或支出科目（现金、存款、往来款、借款等不列入收支明细）。"
                      "如确需列入，请在映射文件的 categories 里写明它对应的科目")
    return None, (f"不认识的科目“{shown}”。可用的科目：收入 {'、'.join(INCOME_CATEGORIES)}；"
                  f"支出 {'、'.join(EXPENSE_CATEGORIES)}。可在表格里改正，或在映射文件的 categories 里写明对照")


# ---------------------------------------------------------------- reading the file


@dataclass
class Table:
    name: str                       # file name, for messages
    rows: list[tuple[int, list[Any]]]   # (row number as the clerk sees it, cells)
    note: str = ""                  # e.g. which sheet was read


def decode_csv(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """bytes → (text, encoding name). UTF-8 with or without BOM, UTF-16 with BOM, else GBK (GB18030)."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            raise ClerkError(f"表格不能按映射文件指定的编码“{encoding}”读取。请删去 encoding 一项让程序自动识别。") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8（带 BOM）"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ClerkError("无法识别表格文件的文字编码（不是 UTF-8，也不是 GBK）。"
                         "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿 (.xlsx)”后再导入。") from None


def read_csv(path: Path, encoding: str | None = None) -> Table:
    text, used = decode_csv(path.read_bytes(), encoding)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [c if c.strip() else None for c in cells]))
    except csv.Error as exc:
        raise ClerkError(f"表格第 {reader.line_num} 行格式有误（{exc}），无法读取。"
                         "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入。") from None
    return Table(path.name, rows, f"编码 {used}")


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ClerkError(f"无法打开表格“{path.name}”（{type(exc).__name__}）。文件可能已损坏，或不是 .xlsx 格式。"
                         "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿 (.xlsx)”后再导入。") from None
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise ClerkError(f"表格里没有名为“{sheet}”的工作表。现有的工作表：{'、'.join(names)}。")
        ws = wb[sheet]
    else:
        ws = wb.worksheets[0]
    note = f"工作表“{ws.title}”"
    if sheet is None and len(names) > 1:
        note += f"（共 {len(names)} 个工作表，导入的是第一个；要导入别的请加 --sheet 工作表名）"
    rows = []
    for i, cells in enumerate(ws.iter_rows(values_only=True), 1):
        rows.append((i, [None if isinstance(c, str) and not c.strip() else c for c in cells]))
    return Table(path.name, rows, note)


def read_table(path: Path, sheet: str | None = None, encoding: str | None = None) -> Table:
    if not path.is_file():
        raise ClerkError(f"找不到表格文件“{path}”。请检查文件名和所在文件夹。", 2)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path, encoding)
    if suffix in (".xls", ".et", ".wps"):
        raise ClerkError(f"不支持旧的 {suffix} 格式。请在 Excel 或 WPS 中打开“{path.name}”，"
                         "选“另存为”→“Excel 工作簿 (.xlsx)”，再导入新文件。", 2)
    raise ClerkError(f"“{path.name}”不是表格文件。请导入 .xlsx 或 .csv 文件。", 2)


# ---------------------------------------------------------------- mapping file

MAPPING_KEYS = ("sheet", "header_row", "columns", "categories", "skip", "opening", "encoding")


@dataclass
class Mapping:
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    skip: tuple[str, ...] = ()
    opening: tuple[str, ...] = ()
    encoding: str | None = None


def load_mapping(path: Path) -> Mapping:
    where = display(path)
    try:
        src = load_source(path)
    except SourceError as exc:
        raise ClerkError(f"{where}:{exc.line}: 映射文件有误：{exc.message}", 2) from None
    except OSError:
        raise ClerkError(f"找不到映射文件“{path}”。", 2) from None
    data = src.data
    if not isinstance(data, dict):
        raise ClerkError(f"{where}: 映射文件应是“项目: 值”的形式，请参照说明中的示例。", 2)
    bad = [k for k in data if k not in MAPPING_KEYS]
    if bad:
        raise ClerkError(f"{where}:{src.line(bad[0])}: 映射文件里有不认识的项目“{bad[0]}”。"
                         f"可用的项目：{'、'.join(MAPPING_KEYS)}。", 2)
    m = Mapping()
    if data.get("sheet") is not None:
        m.sheet = str(data["sheet"])
    if data.get("header_row") is not None:
        if not re.fullmatch(r"\d+", str(data["header_row"])) or int(data["header_row"]) < 1:
            raise ClerkError(f"{where}:{src.line('header_row')}: header_row 应写表头所在的行号，例如 3。", 2)
        m.header_row = int(data["header_row"])
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise ClerkError(f"{where}:{src.line('columns')}: columns 下面应是“项目: 表头文字”，每项一行。", 2)
    for key, value in columns.items():
        if key not in FIELDS:
            raise ClerkError(f"{where}:{src.line('columns', key)}: columns 里有不认识的项目“{key}”。"
                             f"可用的项目：{'、'.join(FIELDS)}。", 2)
        if value is None or str(value).strip() == "":
            continue
        if isinstance(value, (list, dict)):
            raise ClerkError(f"{where}:{src.line('columns', key)}: columns 的 {key} 应写一个表头文字或列字母。", 2)
        m.columns[key] = str(value).strip()
    categories = data.get("categories") or {}
    if not isinstance(categories, dict):
        raise ClerkError(f"{where}:{src.line('categories')}: categories 下面应是“表中科目: 标准科目”，每项一行。", 2)
    for key, value in categories.items():
        if str(value) not in CATEGORIES:
            raise ClerkError(f"{where}:{src.line('categories', key)}: “{key}”对应的“{value}”不是标准科目。"
                             f"只能是：{'、'.join(CATEGORIES)}。", 2)
        m.categories[str(key).strip()] = str(value)
        m.categories[norm(key)] = str(value)
    for key in ("skip", "opening"):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise ClerkError(f"{where}:{src.line(key)}: {key} 应是一个列表（每项一行，以“- ”开头）。", 2)
        setattr(m, key, tuple(norm(x) for x in items if x is not None))
    if data.get("encoding") is not None:
        m.encoding = str(data["encoding"])
    return m


# ---------------------------------------------------------------- header detection


@dataclass
class Layout:
    header_row: int                  # row number of the (last) header row; 0 when none
    columns: dict[str, int]          # field → 0-based column index
    headers: dict[str, str]          # field → header text as written, for messages
    title: str = ""                  # text above the header (title rows)


def _column_index(spec: str) -> int | None:
    if re.fullmatch(r"[A-Za-z]{1,3}", spec):
        from openpyxl.utils import column_index_from_string
        return column_index_from_string(spec.upper()) - 1
    if re.fullmatch(r"\d+", spec):
        return int(spec) - 1
    return None


def _match_row(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, cell in enumerate(cells):
        fld = header_field(cell)
        if fld and fld not in found:
            found[fld] = j
    return found


def _looks_like_header(found: dict[str, int]) -> bool:
    has_amount = any(f in found for f in AMOUNT_FIELDS)
    has_text = any(f in found for f in ("summary", "date", "day", "voucher", "category"))
    return has_amount and has_text and len(found) >= 3


def _cell_text(cells: list[Any], j: int) -> str:
    return str(cells[j]).strip() if j < len(cells) and cells[j] is not None else ""


def find_layout(table: Table, mapping: Mapping) -> Layout:
    rows = table.rows
    texts = mapping.columns
    header_at: int | None = None          # index into rows
    if mapping.header_row is not None:
        header_at = next((k for k, (n, _) in enumerate(rows) if n == mapping.header_row), None)
        if header_at is None:
            raise ClerkError(f"映射文件里 header_row 是 {mapping.header_row}，但表格没有这一行。", 2)
    elif mapping.columns:
        best, best_score = None, 0
        for k, (_, cells) in enumerate(rows[:40]):
            names = {norm(c) for c in cells if c is not None}
            score = sum(1 for v in texts.values() if norm(v) in names)
            if score > best_score:
                best, best_score = k, score
        header_at = best
    if header_at is None:
        for k, (_, cells) in enumerate(rows[:40]):
            if _looks_like_header(_match_row(cells)):
                header_at = k
                break
    if header_at is None and not mapping.columns:
        raise ClerkError(f"在“{table.name}”的前 40 行里找不到表头（日期、凭证号、摘要、科目、收入、支出等）。"
                         "请确认导入的是收支明细表；如果表头写法不同，请用 --mapping 指定列对照文件"
                         "（写法见《文书操作指南》的“导入表格”一节）。")
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    last_header = header_at if header_at is not None else -1
    if header_at is not None:
        cells = rows[header_at][1]
        columns = _match_row(cells)
        headers = {f: _cell_text(cells, j) for f, j in columns.items()}
        # a second header row under merged cells: 金额 → 收入 | 支出, 2024年 → 月 | 日
        if header_at + 1 < len(rows):
            sub = rows[header_at + 1][1]
            sub_found = _match_row(sub)
            filled = [j for j, c in enumerate(sub) if c is not None]
            if sub_found and len(sub_found) == len(filled):     # every filled cell is a column name
                for fld, j in sub_found.items():
                    above = header_field(cells[j]) if j < len(cells) else None
                    if above in (None, "amount", fld):          # empty, a merged title, or the same name
                        for other in [o for o, k in columns.items() if k == j]:
                            del columns[other]
                        columns[fld] = j
                        headers[fld] = _cell_text(sub, j)
                last_header = header_at + 1
        if "amount" in columns and ("income" in columns or "expense" in columns):
            del columns["amount"]
    # the mapping file wins over what was recognised
    header_cells = rows[header_at][1] if header_at is not None else []
    sub_cells = rows[last_header][1] if header_at is not None and last_header != header_at else []
    for fld, spec in mapping.columns.items():
        j = next((j for j, c in enumerate(header_cells) if c is not None and norm(c) == norm(spec)), None)
        if j is None:
            j = next((j for j, c in enumerate(sub_cells) if c is not None and norm(c) == norm(spec)), None)
        if j is None:
            j = _column_index(spec)
        if j is None:
            shown = "、".join(_cell_text(header_cells, j) for j in range(len(header_cells)) if header_cells[j] is not None)
            raise ClerkError(f"映射文件里 {fld}（{FIELD_LABELS[fld]}）对应的列“{spec}”在表头里找不到。"
                             f"表头有：{shown or '（没有找到表头行）'}。请改正映射文件，"
                             "或写列字母（如 C）并用 header_row 指明表头行号。", 2)
        for other, k in list(columns.items()):
            if k == j and other != fld:
                del columns[other]
        columns[fld] = j
        headers[fld] = _cell_text(header_cells, j) or _cell_text(sub_cells, j) or spec
    if not any(f in columns for f in AMOUNT_FIELDS):
        raise ClerkError(f"“{table.name}”的表头里找不到金额列（收入/借方、支出/贷方或金额）。"
                         "请用 --mapping 指定列对照文件。", 2)
    if not any(f in columns for f in ("date", "day")):
        raise ClerkError(f"“{table.name}”的表头里找不到日期列（日期，或 月、日）。请用 --mapping 指定列对照文件。", 2)
    for needed, what in (("voucher", "凭证号列（凭证号、凭证字号）。公开的收支明细每笔都要有凭证号，请导出含凭证号的明细表"),
                         ("summary", "摘要列（摘要、事由）"),
                         ("category", "科目列（科目、会计科目、对方科目，或科目编码）")):
        if needed not in columns and not (needed == "category" and "code" in columns):
            raise ClerkError(f"“{table.name}”的表头里找不到{what}。如果表头写法不同，请用 --mapping 指定列对照文件"
                             "（写法见《文书操作指南》的“导入表格”一节）。", 2)
    title = " ".join(str(c) for _, cells in rows[:max(header_at or 0, 0)] for c in cells if c is not None)
    header_row = rows[last_header][0] if last_header >= 0 else 0
    return Layout(header_row, columns, headers, title)


# ---------------------------------------------------------------- cell values


class CellError(Exception):
    pass


def parse_amount(value: Any) -> Decimal | None:
    """A money cell → Decimal with two places, None when empty or zero; CellError if unreadable."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"金额“{value}”不是数字")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(f"金额“{value}”不是数字")
        amount = Decimal(repr(value))
        if amount.as_tuple().exponent < -2:
            rounded = amount.quantize(CENT)
            if abs(rounded - amount) > Decimal("0.000001"):
                raise CellError(f"金额“{value}”超过两位小数（金额最多写到分）")
            amount = rounded
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"[\s,¥元]|RMB|人民币", "", text)
        if text in ("", "-", "—", "–", "--", "/", "——"):
            return None
        negative = False
        m = re.fullmatch(r"\((.*)\)", text)
        if m:
            text, negative = m.group(1), True
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise CellError(f"金额“{str(value).strip()}”不是数字")
        amount = Decimal(text)
        if negative:
            amount = -amount
        if amount.as_tuple().exponent < -2:
            raise CellError(f"金额“{str(value).strip()}”超过两位小数（金额最多写到分）")
    if amount == 0:
        return None
    if abs(amount) >= Decimal(10) ** 12:
        raise CellError(f"金额“{value}”大得不合常理（超过一万亿元），请核对")
    return amount.quantize(CENT)


def parse_cell_date(value: Any, month: str) -> date:
    """A date cell → date. Year and month come from `month` when the cell has only a day or month-day."""
    year, mon = map(int, month.split("-"))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 31:
            return _make_date(year, mon, int(value), str(int(value)))
        if float(value).is_integer() and 20000 < value < 80000:    # an Excel serial number
            return date(1899, 12, 30) + timedelta(days=int(value))
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            return _from_text(str(int(value)), year, mon)
        raise CellError(f"日期“{value}”看不懂")
    return _from_text(str(value), year, mon)


def _make_date(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"日期“{shown}”不存在（月份或天数不对）") from None


def _from_text(raw: str, year: int, mon: int) -> date:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)      # 2024-01-05 00:00:00
    text = text.replace(" ", "")
    for pattern, parts in ((r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", "ymd"),
                           (r"(\d{4})(\d{2})(\d{2})", "ymd"),
                           (r"(\d{1,2})[-/.月](\d{1,2})日?", "md"),
                           (r"(\d{1,2})日?", "d")):
        m = re.fullmatch(pattern, text)
        if m:
            nums = list(map(int, m.groups()))
            if parts == "ymd":
                return _make_date(nums[0], nums[1], nums[2], raw.strip())
            if parts == "md":
                return _make_date(year, nums[0], nums[1], raw.strip())
            return _make_date(year, mon, nums[0], raw.strip())
    raise CellError(f"日期“{raw.strip()}”看不懂（可写 2024-01-05、2024/1/5、1月5日 或只写日）")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return re.sub(r"\s+", " ", str(value)).strip()


# ---------------------------------------------------------------- rows → entries


@dataclass
class Row:
    number: int
    entry: dict[str, Any]            # date, voucher, summary, category, counterparty, amount, …
    income: bool
    source_category: str
    balance: Decimal | None = None


@dataclass
class Sheet:
    """What was read from the table."""

    rows: list[Row] = field(default_factory=list)
    opening: tuple[Decimal, int, str] | None = None       # amount, row, label
    closing: tuple[Decimal, int] | None = None
    totals: list[tuple[int, str, Decimal | None, Decimal | None]] = field(default_factory=list)
    skipped_notes: list[tuple[int, str]] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    bad_rows: list[int] = field(default_factory=list)


def _label_words(cells: list[Any]) -> list[str]:
    return [norm(c) for c in cells if isinstance(c, str) and c.strip()]


def _is_entry_attempt(cells: list[Any], get, month: str) -> bool:
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


def read_rows(table: Table, layout: Layout, month: str, mapping: Mapping, path: Path) -> Sheet:
    sheet = Sheet()
    cols = layout.columns
    first, last = month_bounds(month)
    year, mon = map(int, month.split("-"))
    vouchers: dict[str, int] = {}

    def get(cells: list[Any], fld: str) -> Any:
        j = cols.get(fld)
        return cells[j] if j is not None and j < len(cells) else None

    def error(row: int, rule: str, summary: str, problems: list[str]) -> None:
        what = f"（摘要“{summary}”）" if summary else ""
        sheet.report.error(path, row, rule, f"第 {row} 行{what}：{'；'.join(problems)}。")
        sheet.bad_rows.append(row)

    for number, cells in table.rows:
        if number <= layout.header_row:
            continue
        if all(c is None for c in cells):
            continue
        words = _label_words(cells)
        summary = cell_text(get(cells, "summary"))
        if any(w in mapping.skip for w in words):
            sheet.skipped_notes.append((number, "按映射文件 skip 跳过：" +
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
                sheet.totals.append((number, total_word, income, expense))
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
            if sheet.opening is not None:
                error(number, "import.opening", summary,
                      [f"表中有两行期初余额（第 {sheet.opening[1]} 行已有）。请删去多余的一行"])
                continue
            sheet.opening = (value, number, summary or next(iter(words), "期初余额"))
            continue
        if any(w in CLOSING_WORDS for w in words):
            try:
                bal = parse_amount(get(cells, "balance"))
            except CellError:
                bal = None
            if bal is not None:
                sheet.closing = (bal, number)
            continue
        if not _is_entry_attempt(cells, get, month):     # title, note or signature lines (制表人：……)
            sheet.skipped_notes.append((number, " ".join(cell_text(c) for c in cells if c is not None)))
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
                entry_date = _make_date(year, m_val, int(float(d_text)), f"{m_val}月{cell_text(d_cell)}日")
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
        parsed: dict[str, object] = {}
        for column, prefix in (("income", f"{layout.headers.get('income', '收入')}栏："),
                               ("expense", f"{layout.headers.get('expense', '支出')}栏："), ("amount", "")):
            try:
                parsed[column] = parse_amount(get(cells, column))
            except CellError as exc:
                problems.append(f"{prefix}{exc}")
                rule = "import.amount"
                parsed[column] = "bad"
        income_amt, expense_amt, single = parsed["income"], parsed["expense"], parsed["amount"]
        amount: Decimal | None = None
        if "bad" not in (income_amt, expense_amt, single):
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
                problems.append(f"金额 {amount} 是负数（红字冲销）。收支明细里金额都写正数：退款、冲销请在会计软件中处理后"
                                "重新导出，或改为对应科目的一笔正数")
                rule = "import.amount"
                amount = None
        # category
        raw_category = cell_text(get(cells, "category"))
        code = cell_text(get(cells, "code"))
        category, why = map_category(raw_category, code, mapping.categories)
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
            sheet.report.warning(path, number, "import.voucher-repeat",
                                 f"第 {number} 行的凭证号“{voucher}”与第 {vouchers[voucher]} 行相同（同一张凭证的多笔），"
                                 f"已写成“{voucher}-{n}”，以免重复。")
            voucher = f"{voucher}-{n}"
        vouchers[voucher] = number
        entry = {"date": entry_date, "voucher": voucher, "summary": summary, "category": category,
                 "counterparty": cell_text(get(cells, "counterparty")), "amount": amount,
                 "handled_by": cell_text(get(cells, "handled_by")),
                 "reviewed_by": cell_text(get(cells, "reviewed_by")),
                 "approved_by": cell_text(get(cells, "approved_by"))}
        sheet.rows.append(Row(number, entry, direction == "income", raw_category or code, balance))
    return sheet


# ---------------------------------------------------------------- the ledger file


def _pad(line: str, comment: str, column: int = 30) -> str:
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    return f"{line}{' ' * max(column - width, 1)}# {comment}" if comment else line


def ledger_yaml(month: str, opening: Decimal, opening_note: str, rows: list[Row], posted: date,
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
        _pad(f"month: {month}", "所属月份（年-月），须与文件名相同"),
        _pad(f"opening_balance: {opening:.2f}", f"期初余额（元）：{opening_note}"),
        _pad(f"closing_balance: {closing:.2f}", "期末余额（元）= 期初 + 本月收入 − 本月支出"),
        _pad(f"posted: {posted.isoformat()}", f"公布日期：{posted_note}"),
    ]
    if review:
        names, when = review
        out += [_pad("review:", "民主理财小组 / 村务监督委员会审核（须在公布日期当天或之前）"),
                f"  by: [{', '.join(yaml_value(n) for n in names)}]",
                f"  date: {when.isoformat()}"]
    else:
        out += ["# 审核后去掉下面三行行首的“# ”，填上审核人和日期（须在公布日期当天或之前）：",
                "# review:",
                f"#   by: [{', '.join(yaml_value(n) for n in reviewers) or '审核人姓名'}]",
                f"#   date: {after}-03"]
    if not rows:
        out.append(_pad("entries: []", "本月没有收支"))
    else:
        out.append(_pad("entries:", "收支明细，一笔一条"))
        for r in rows:
            e = r.entry
            out.append(_pad(f"  - date: {e['date'].isoformat()}", f"表格第 {r.number} 行"))
            out.append(f"    voucher: {yaml_value(e['voucher'])}")
            out.append(f"    summary: {yaml_value(e['summary'])}")
            note = f"表中科目：{r.source_category}" if r.source_category and r.source_category != e["category"] else ""
            out.append(_pad(f"    category: {e['category']}", note))
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
    mapping = load_mapping(opts.mapping) if opts.mapping else Mapping()
    target = village / "ledgers" / f"{month}.yml"
    if target.exists() and not opts.force:
        raise ClerkError(f"{month} 的收支公开文件 {display(target)} 已经存在，没有导入。"
                         f"如确需用表格内容替换它，请加 --force（原文件会备份到 {display(village / BACKUP_DIR)}）。")
    path = Path(opts.file)
    table = read_table(path, opts.sheet or mapping.sheet, mapping.encoding)
    layout = find_layout(table, mapping)
    sheet = read_rows(table, layout, month, mapping, path)
    out = Outcome(0)
    where = f"表头在第 {layout.header_row} 行" if layout.header_row else "没有表头行"
    out.lines.append(f"读取 {path.name}：{table.note}，{where}，"
                     f"识别的列：{'、'.join(f'{FIELD_LABELS[f]}=“{layout.headers[f]}”' for f in layout.columns)}。")
    title_months = {f"{int(y):04d}-{int(m):02d}" for y, m in re.findall(r"(\d{4})年(\d{1,2})月", layout.title)}
    if title_months and month not in title_months:
        sheet.report.warning(path, 1, "import.title-month",
                             f"表格标题“{layout.title.strip()[:40]}”写的月份与 --month {month} 不同。请确认导入的是不是这个月的表格。")
    # the opening balance
    carried, carried_from = carried_balance(village, month)
    if opts.opening is not None:
        opening = _opening_option(opts.opening)
        opening_note = "按 --opening 填写"
        if sheet.opening and sheet.opening[0] != opening:
            sheet.report.warning(path, sheet.opening[1], "import.opening-differs",
                                 f"表中第 {sheet.opening[1]} 行的期初余额是 {yuan(sheet.opening[0])}，"
                                 f"与 --opening {opening} 不同；已按 --opening 写入。")
    elif sheet.opening:
        opening = sheet.opening[0]
        opening_note = f"取自表格第 {sheet.opening[1]} 行“{sheet.opening[2]}”"
    elif carried is not None:
        opening = carried
        opening_note = (f"表中没有期初行，已取上月（{carried_from.name}）的期末余额"
                        if carried_from.stem == previous_month(month) else
                        f"表中没有期初行，已取 {carried_from.name} 的期末余额（注意中间缺少月份）")
    else:
        missing = (f"无法确定 {month} 的期初余额：表格里没有“期初余额”或“上月结转”行，"
                   f"{display(village / 'ledgers')} 里也没有上月（{previous_month(month)}）的收支公开文件"
                   "（或读不出它的期末余额）。请用 --opening 金额 指定，例如 --opening 125300.00。")
        if not sheet.bad_rows:
            raise ClerkError(missing)
        out.problems.extend(d.format() for d in sheet.report.sorted())
        out.problems.append(f"表格中有 {len(sheet.bad_rows)} 行读不懂（见上），没有写入任何文件。另外，{missing}")
        out.code = 1
        return out
    rows = sheet.rows
    income = sum((r.entry["amount"] for r in rows if r.income), ZERO)
    expense = sum((r.entry["amount"] for r in rows if not r.income), ZERO)
    closing = opening + income - expense
    # cross-checks against the sheet's own totals and balances (only meaningful when all rows were read)
    if not sheet.bad_rows:
        for number, word, t_in, t_out in sheet.totals:
            if ("income" in layout.columns and (t_in or ZERO) != income) or \
               ("expense" in layout.columns and (t_out or ZERO) != expense):
                sheet.report.warning(path, number, "import.total-mismatch",
                                     f"第 {number} 行“{word}”：收入 {yuan(t_in or Decimal(0))}、支出 "
                                     f"{yuan(t_out or Decimal(0))}，与逐笔相加的收入 {yuan(income)}、支出 {yuan(expense)} "
                                     "不一致。请核对表格是否有漏读或重复的行。")
        running = opening
        for r in rows:
            running += r.entry["amount"] if r.income else -r.entry["amount"]
            if r.balance is not None and r.balance != running:
                sheet.report.warning(path, r.number, "import.balance-mismatch",
                                     f"第 {r.number} 行：表中余额 {yuan(r.balance)}，按期初和逐笔收支算得 {yuan(running)}，"
                                     "不一致。请核对期初余额和前面各行的金额。")
                break
        if sheet.closing and sheet.closing[0] != closing:
            sheet.report.warning(path, sheet.closing[1], "import.closing-mismatch",
                                 f"第 {sheet.closing[1]} 行的期末余额 {yuan(sheet.closing[0])} 与算得的 {yuan(closing)} 不一致。")
    for number, text in sheet.skipped_notes:
        out.lines.append(f"  跳过第 {number} 行（不是收支明细）：{text[:40]}")
    for d in sheet.report.sorted():
        out.problems.append(d.format())
    if sheet.bad_rows and not opts.allow_errors:
        out.code = 1
        out.problems.append(f"表格中有 {len(sheet.bad_rows)} 行读不懂（见上），没有写入任何文件。"
                            "请在表格里改正这些行后重新导入；如要先跳过这些行导入其余各笔，可加 --allow-errors。")
        return out
    from .new import read_profile, roster_members
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
        from .common import write_new
        write_new(target, text)
    out.path = target
    n_in = sum(1 for r in rows if r.income)
    out.lines.append(f"已导入 {month}：{len(rows)} 笔（收入 {n_in} 笔 {yuan(income)}，支出 {len(rows) - n_in} 笔 "
                     f"{yuan(expense)}），期初 {yuan(opening)}，期末 {yuan(closing)}。")
    out.lines.append(f"已写入 {display(target)}。")
    if out.backup:
        out.lines.append(f"原文件已备份为 {display(out.backup)}。")
    if sheet.bad_rows:
        out.lines.append(f"注意：按 --allow-errors 跳过了 {len(sheet.bad_rows)} 行："
                         f"第 {'、'.join(map(str, sheet.bad_rows))} 行（原因见上）。这些收支没有写入，请补录后再公开。")
    # check the village with the new file
    from ..records.check import check_path
    _, report = check_path(village)
    mine = display(target)
    after = display(village / "ledgers" / f"{next_month(month)}.yml")
    relevant = [d for d in report.sorted() if d.file == mine or
                (d.file == after and d.rule in ("ledger.continuity", "ledger.gap"))]
    errors = [d for d in relevant if d.severity == "error"]
    if relevant:
        out.lines.append("检查结果：")
        out.lines.extend("  " + d.format() for d in relevant)
    if errors:
        out.code = 1
        out.lines.append(f"文件已写入，但检查发现 {len(errors)} 个错误（见上），请按提示修改后再提交。")
    else:
        warned = f"，有 {len(relevant)} 个提醒（见上）" if relevant else ""
        out.lines.append(f"检查通过：没有错误{warned}（cunwu check {display(village)}）。")
    steps = []
    if not opts.posted:
        steps.append("打开文件核对公布日期（posted），改为实际张贴的日期")
    if review is None:
        steps.append("审核后填上审核人和审核日期（review）")
    steps.append(f"用 cunwu serve {village.name} 预览，确认无误后提交（git add、git commit）")
    out.lines.append("下一步：" + "；".join(steps) + "。")
    return out


def run(args) -> int:
    opts = Options(file=Path(args.file), village=args.village, month=args.month, villages=args.villages,
                   mapping=Path(args.mapping) if args.mapping else None, sheet=args.sheet, force=args.force,
                   allow_errors=args.allow_errors, opening=args.opening, posted=args.posted,
                   review_by=args.review_by, review_date=args.review_date)
    outcome, code = guarded(lambda: import_ledger(opts))
    if outcome is None:
        return code
    for line in outcome.lines[:1]:
        print(line)
    for line in outcome.problems:
        print(line, file=sys.stderr)
    for line in outcome.lines[1:]:
        print(line)
    return outcome.code
