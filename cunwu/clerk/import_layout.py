"""Which column holds what: the header row found by its usual Chinese names,
or named by a mapping file (`--mapping`) when the software writes its own.

Column names differ between accounting packages (借方/收入, 凭证字号/凭证号,
对方科目/科目), headers span two rows under merged cells, and title rows sit
above them; `find_layout` copes with all of that and reports, in Chinese, any
column an entry cannot do without.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records.accounts import ACCOUNT_SYSTEMS
from ..records.source import SourceError, load_source
from .cells import norm
from .common import ClerkError, display
from .spreadsheet import Spreadsheet
from .subjects import CATEGORIES

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
COLUMN_LABELS = {"date": "日期", "month": "月", "day": "日", "voucher_word": "凭证字", "voucher": "凭证号",
                "summary": "摘要", "category": "科目", "code": "科目编码", "income": "收入（借方）",
                "expense": "支出（贷方）", "amount": "金额", "direction": "收支方向", "balance": "余额",
                "counterparty": "对方单位", "handled_by": "经手人", "reviewed_by": "审核人",
                "approved_by": "审批人"}
_ALIAS = {name: fld for fld, names in HEADERS.items() for name in names}
AMOUNT_FIELDS = ("income", "expense", "amount")


def header_field(value: Any) -> str | None:
    text = norm(value)
    if not text:
        return None
    if text in _ALIAS:
        return _ALIAS[text]
    return None


# ---------------------------------------------------------------- mapping file

MAPPING_KEYS = ("sheet", "header_row", "columns", "categories", "skip", "opening", "encoding", "accounts")


@dataclass
class ColumnMapping:
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    skip: tuple[str, ...] = ()
    opening: tuple[str, ...] = ()
    encoding: str | None = None
    accounts: str | None = None   # "2004" or "2023": whose account codes the export uses


def load_mapping(path: Path) -> ColumnMapping:
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
    m = ColumnMapping()
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
    if data.get("accounts") is not None:
        if str(data["accounts"]) not in ACCOUNT_SYSTEMS:
            raise ClerkError(f"{where}:{src.line('accounts')}: accounts 应写科目编号所依据的会计制度："
                             "2004（《村集体经济组织会计制度》）或 2023（《农村集体经济组织会计制度》）。", 2)
        m.accounts = str(data["accounts"])
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


def _mapped_column(spec: str, header_cells: list[Any], sub_cells: list[Any]) -> int | None:
    """The column a mapping file names: by its header text (in either header row), else by letter or number."""
    for cells in (header_cells, sub_cells):
        at = next((j for j, c in enumerate(cells) if c is not None and norm(c) == norm(spec)), None)
        if at is not None:
            return at
    return _column_index(spec)


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


def find_layout(table: Spreadsheet, mapping: ColumnMapping) -> Layout:
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
        at = _mapped_column(spec, header_cells, sub_cells)
        if at is None:
            shown = "、".join(_cell_text(header_cells, j) for j in range(len(header_cells)) if header_cells[j] is not None)
            raise ClerkError(f"映射文件里 {fld}（{COLUMN_LABELS[fld]}）对应的列“{spec}”在表头里找不到。"
                             f"表头有：{shown or '（没有找到表头行）'}。请改正映射文件，"
                             "或写列字母（如 C）并用 header_row 指明表头行号。", 2)
        for other, k in list(columns.items()):
            if k == at and other != fld:
                del columns[other]
        columns[fld] = at
        headers[fld] = _cell_text(header_cells, at) or _cell_text(sub_cells, at) or spec
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
