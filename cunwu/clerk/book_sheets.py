"""Reading clerks' asset and contract lists: the header names their sheets use,
the header row found among the first rows, and each cell read as text, money,
a date or a term, with the row's problem reported as a `RowError`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..records.money import ZERO
from .cells import CellError, cell_text, norm, parse_amount
from .common import ClerkError, safe_file_title
from .spreadsheet import Spreadsheet

# A village's asset or contract list is a few hundred rows; a CSV file is read
# whole, so it is bounded by size before it is opened (.xlsx files are bounded
# by spreadsheet.read_xlsx: uncompressed size, ratio and rows).
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_RECORDS = 5_000
HEADER_SEARCH_ROWS = 20

# ---------------------------------------------------------------- column names (after cells.norm)

ASSET_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("资产编号", "编号", "资产代码", "资产编码", "卡片编号", "序号编号"),
    "name": ("资产名称", "名称", "资产项目"),
    "category": ("类别", "资产类别", "分类", "资产分类", "类型"),
    "location": ("坐落", "坐落位置", "坐落地点", "存放地点", "位置", "地点", "所在位置"),
    "quantity": ("数量", "数量及单位", "规模"),
    "original_value": ("原值", "资产原值", "账面原值", "原价", "购置金额", "原值金额"),
    "acquired": ("购建日期", "购置日期", "取得日期", "建成日期", "购建时间", "购置时间", "建成时间", "取得时间"),
    "depreciation": ("折旧", "累计折旧", "已提折旧", "折旧额"),
    "current_value": ("净值", "账面净值", "净额", "评估值", "现值"),
    "status": ("状态", "使用状态", "使用情况", "现状", "资产状态"),
    "contract": ("合同编号", "租赁合同编号", "出租合同编号"),
    "note": ("备注", "说明"),
}
ASSET_REQUIRED = ("code", "name", "category", "original_value", "acquired")

CONTRACT_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("合同编号", "编号", "合同号", "合同编码"),
    "title": ("合同名称", "项目名称", "合同项目"),
    "counterparty": ("承包方", "承租方", "承包人", "承租人", "乙方", "对方", "承包单位", "承租单位",
                     "承包方(乙方)", "承包方名称", "承租方名称", "承包户"),
    "counterparty_kind": ("承包方类别", "承包方类型", "乙方类型", "对方类别", "承包方性质"),
    "resource": ("标的", "标的物", "资源名称", "发包资源", "承包标的", "租赁标的", "资产资源名称", "地块名称",
                 "资源", "名称"),
    "kind": ("资源类别", "资源类型", "标的类别", "类别", "种类"),
    "area": ("面积", "面积(亩)", "面积(平方米)", "面积(㎡)", "数量", "承包面积", "租赁面积"),
    "unit": ("单位", "计量单位", "面积单位"),
    "location": ("坐落", "位置", "坐落位置", "四至"),
    "term": ("起止日期", "承包期限", "租赁期限", "合同期限", "起止时间", "承包起止日期", "期限"),
    "start": ("起始日期", "开始日期", "起租日期", "承包起始日期", "合同开始日期", "起始时间", "开始时间"),
    "end": ("终止日期", "结束日期", "到期日期", "合同终止日期", "截止日期", "终止时间", "结束时间"),
    "rent": ("年租金", "年承包费", "租金", "承包费", "年租金(元)", "每年租金", "合同金额(年)", "年金额"),
    "payment": ("付款方式", "交款方式", "缴费方式", "支付方式", "收款方式", "付款周期", "缴款方式"),
    "decision": ("决策", "批准决策", "决议", "决策文件", "审批决策"),
    "tendering": ("发包方式", "承包方式", "出租方式", "招租方式"),
    "note": ("备注", "说明"),
}
CONTRACT_REQUIRED = ("code", "counterparty", "resource", "rent", "payment")

SKIP_RE = re.compile(r"^(合计|小计|总计|本页合计|共计)|^(制表|填表|审核|负责人|单位负责人|会计|报账员|填报)")

# ---------------------------------------------------------------- values

CATEGORY_ALIASES = {
    "房屋": "房屋及建筑物", "建筑物": "房屋及建筑物", "房屋建筑物": "房屋及建筑物", "房屋及构筑物": "房屋及建筑物",
    "构筑物": "房屋及建筑物", "机械设备": "机器设备", "机器": "机器设备", "设备": "机器设备", "车辆": "运输设备",
    "交通运输设备": "运输设备", "运输工具": "运输设备", "办公家具": "办公设备", "电子设备": "办公设备",
    "办公用品": "办公设备", "农田水利": "农业基础设施", "水利设施": "农业基础设施", "基础设施": "农业基础设施",
    "农田水利设施": "农业基础设施", "公益性资产": "公益设施", "公共设施": "公益设施", "公益性设施": "公益设施",
    "林木": "林木资产", "生物资产": "林木资产", "公益性生物资产": "林木资产", "对外投资": "长期投资",
    "股权投资": "长期投资", "其他": "其他资产",
}
STATUS_ALIASES = {
    "在用": "在用", "使用": "在用", "使用中": "在用", "正常": "在用", "正常使用": "在用", "自用": "在用",
    "出租": "出租", "出租中": "出租", "租赁": "出租", "已出租": "出租", "发包": "出租", "已发包": "出租",
    "闲置": "闲置", "未使用": "闲置", "停用": "闲置", "空置": "闲置",
    "处置": "处置", "已处置": "处置", "报废": "处置", "已报废": "处置", "已拍卖": "处置", "已转让": "处置",
}
# 付款方式 → months between instalments (0: once for the whole term)
PAYMENT_PERIODS = (
    (re.compile(r"一次性|一次付清|一次交清|一次缴清|一次性付清"), 0),
    (re.compile(r"月"), 1),
    (re.compile(r"季"), 3),
    (re.compile(r"半年"), 6),
    (re.compile(r"年"), 12),
)
ORGANISATION_RE = re.compile(r"(公司|合作社|联合社|厂|站|中心|部|店|协会|委员会|农场|林场|场|所|社|院|校|局|队|行|馆)$")
KIND_WORDS = (("水面", ("塘", "水库", "水面", "湖", "河")), ("林地", ("山", "林")), ("园地", ("园",)),
              ("房屋", ("房", "屋", "门面", "校舍", "楼", "厂房", "仓库", "礼堂")), ("建设用地", ("建设用地", "场地")),
              ("耕地", ("田", "地", "耕")), ("设备", ("设备", "机")))


class RowError(Exception):
    """A cell of one row that cannot be read (the message names it)."""


def header_map(headers: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {norm(name): fld for fld, names in headers.items() for name in names}


def find_header(table: Spreadsheet, headers: dict[str, tuple[str, ...]], required: tuple[str, ...],
                what: str) -> tuple[int, dict[str, int], dict[str, str]]:
    """(header row number, field → column index, field → header text) of the first
    row among the first rows that names at least three known columns."""
    alias = header_map(headers)
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        shown: dict[str, str] = {}
        for i, cell in enumerate(cells):
            text = norm(cell)
            fld = alias.get(text) or alias.get(re.sub(r"\(.*\)$", "", text))
            if fld and fld not in columns:
                columns[fld], shown[fld] = i, cell_text(cell)
        if len(columns) >= 3 and (best is None or len(columns) > len(best[1])):
            best = (number, columns, shown)
            if all(f in columns for f in required):
                break
    if best is None:
        names = "、".join(headers[f][0] for f in required)
        raise ClerkError(f"在表格“{table.name}”的前 {HEADER_SEARCH_ROWS} 行里找不到{what}的表头行。"
                         f"表头至少要有这些列：{names}。")
    number, columns, shown = best
    missing = [f for f in required if f not in columns]
    if what == "合同清单" and "term" in columns:
        missing = [f for f in missing if f not in ("start", "end")]
    elif what == "合同清单" and not ("start" in columns and "end" in columns):
        missing.append("term")
    if missing:
        names = "、".join(headers[f][0] for f in missing)
        raise ClerkError(f"表格“{table.name}”第 {number} 行的表头缺少这些列：{names}。"
                         f"请在表格里加上这些列（表头写法如：{names}）后重新导入。")
    return number, columns, shown


def cell(cells: list[Any], columns: dict[str, int], fld: str) -> Any:
    i = columns.get(fld)
    return cells[i] if i is not None and i < len(cells) else None


def text_of(cells: list[Any], columns: dict[str, int], fld: str) -> str:
    return cell_text(cell(cells, columns, fld))


def need_text(cells: list[Any], columns: dict[str, int], fld: str, label: str) -> str:
    value = text_of(cells, columns, fld)
    if not value:
        raise RowError(f"{label}是空的")
    return value


def money_cell(value: Any, label: str, required: bool = True) -> Decimal | None:
    """An amount cell: a RowError when unreadable, negative, or empty though required."""
    if value is None or not cell_text(value):
        if required:
            raise RowError(f"{label}是空的")
        return None
    try:
        amount = parse_amount(value)
    except CellError as exc:
        raise RowError(f"{label}：{exc}") from None
    amount = amount if amount is not None else ZERO
    if amount < 0:
        raise RowError(f"{label}“{cell_text(value)}”是负数，请写正数")
    return amount


def date_cell(value: Any, label: str) -> date:
    """A full date (2012-06-01, 2012/6/1, 2012年6月1日, an Excel date) or a month
    (2012-06, 2012年6月, 2012.6: its first day)."""
    if value is None or not cell_text(value):
        raise RowError(f"{label}是空的")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))   # an Excel serial number
    text = norm(value)
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise RowError(f"{label}“{cell_text(value)}”不存在（月份或天数不对）") from None
    raise RowError(f"{label}“{cell_text(value)}”看不懂（请写 2012-06-01、2012/6/1 或 2012年6月）")


def term_cell(value: Any) -> tuple[date, date]:
    """起止日期 in one cell: 2024.1.1-2028.12.31, 2024-01-01至2028-12-31, 2024年1月1日—2028年12月31日."""
    text = norm(value)
    if not text:
        raise RowError("起止日期是空的")
    parts = re.split(r"至|到|~|～|—+|–|--|(?<=\d)-(?=\d{4})", text)
    if len(parts) != 2:
        raise RowError(f"起止日期“{cell_text(value)}”看不懂（请写 2024-01-01至2028-12-31）")
    return date_cell(parts[0], "起始日期"), date_cell(parts[1], "终止日期")


def code_of(value: str, label: str) -> str:
    try:
        usable = safe_file_title(value) == value
    except ClerkError:
        usable = False
    if not usable:
        raise RowError(f"{label}“{value}”不能用作文件名（不要用 / \\ : * ? \" < > | 和空格）")
    return value


# ---------------------------------------------------------------- assets


@dataclass
class Imported:
    what: str
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)   # (row, values)
    problems: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    header_row: int = 0
    shown: dict[str, str] = field(default_factory=dict)


def data_rows(table: Spreadsheet, header_row: int, out: Imported):
    for number, cells in table.rows:
        if number <= header_row or not any(c is not None and cell_text(c) for c in cells):
            continue
        first = next((cell_text(c) for c in cells if c is not None and cell_text(c)), "")
        if SKIP_RE.match(norm(first)):
            out.skipped.append((number, first))
            continue
        if len(out.records) + len(out.problems) >= MAX_RECORDS:
            raise ClerkError(f"表格“{table.name}”的数据超过 {MAX_RECORDS} 行，不像一个村的清单。请检查导出的表格。")
        yield number, cells
