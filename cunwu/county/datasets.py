"""The tables of a rollup, described once: columns with their Frictionless
types and roles, and how each table composes upward (`combine`).

Per-record tables are concatenated, area totals ("tree" tables: 村 → 乡镇 →
县 → 市 …) are summed under a new top row, and ranked tables are re-ranked. A
city or a province reuses the same code on the published data of the counties
(`cunwu rollup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .facts import percent


@dataclass(frozen=True)
class Col:
    name: str
    type: str = "string"      # string | integer | number | date (Frictionless types)
    role: str = ""            # level | name | parent | key | sum | ratio | rank
    of: tuple[str, ...] = ()  # ratio: (numerator, denominator)
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str                 # file stem and Frictionless resource name (ASCII)
    title: str
    description: str
    cols: tuple[Col, ...]
    compose: str = "concat"   # concat | tree | top
    by: str = ""              # top: rank by this column, largest first
    limit: int = 0            # top: keep this many

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.cols]

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


def _c(name, type_="string", role="", of=(), description=""):
    return Col(name, type_, role, tuple(of), description)


TREE_HEAD = (_c("层级", role="level", description="村 / 乡镇 / 县（汇总到市、省时还有 市 / 省）"),
             _c("名称", role="name"), _c("上级", role="parent", description="上一级的名称；最高一级为空"))
WHERE = (_c("县"), _c("乡镇"), _c("村"))

DATASETS: tuple[Dataset, ...] = (
    Dataset("villages", "各村概况", "每个村的人口、本年收支、决策事项、正在公示的数量和最近一次公开的日期。",
            (*WHERE, _c("村代码"), _c("村目录", description="该村网站在县门户下的目录"),
             _c("户数", "integer"), _c("人口", "integer"), _c("年度", "integer"),
             _c("本年收入", "number", description="元"), _c("本年支出", "number", description="元"),
             _c("决策事项", "integer"), _c("本年决策", "integer"), _c("正在公示", "integer"),
             _c("最近财务公开月份"), _c("最近公开日期", "date"))),
    Dataset("area-totals", "各级汇总", "各乡镇和全县的村数、人口、本年收支、决策事项和正在公示的数量。",
            (*TREE_HEAD, _c("村数", "integer", "sum"), _c("户数", "integer", "sum"),
             _c("人口", "integer", "sum"), _c("本年收入", "number", "sum"), _c("本年支出", "number", "sum"),
             _c("决策事项", "integer", "sum"), _c("本年决策", "integer", "sum"),
             _c("正在公示", "integer", "sum")), "tree"),
    Dataset("timeliness", "公开及时性明细", "每个村每一期应公开事项的公开日期与状态（按时、迟报、缺报、未审、未到期）。",
            (*WHERE, _c("类别", description="财务（按月或按季）、村务（按季）、评议（按年）"), _c("期间"),
             _c("开始日期", "date"), _c("结束日期", "date"), _c("截止日期", "date"), _c("公布日期", "date"),
             _c("状态"), _c("迟报天数", "integer"), _c("已审核", description="是 / 否；空表示不适用"),
             _c("说明"))),
    Dataset("timeliness-totals", "公开及时性汇总", "各村、乡镇、全县已到期的公开期数及按时、迟报、缺报、未审的期数。",
            (*TREE_HEAD, _c("类别", role="key"), _c("应公开", "integer", "sum"), _c("按时", "integer", "sum"),
             _c("迟报", "integer", "sum"), _c("缺报", "integer", "sum"), _c("未审", "integer", "sum"),
             _c("按时率", "number", "ratio", ("按时", "应公开"), "百分比")), "tree"),
    Dataset("finance-monthly", "逐月收支", "各村、乡镇、全县每月的收入与支出合计（元）。",
            (*TREE_HEAD, _c("月份", role="key"), _c("收入", "number", "sum"), _c("支出", "number", "sum")),
            "tree"),
    Dataset("finance-categories", "按科目收支", "各村、乡镇、全县每年按科目的收入与支出（元）。",
            (*TREE_HEAD, _c("年度", "integer", "key"), _c("收支", role="key"), _c("科目", role="key"),
             _c("金额", "number", "sum")), "tree"),
    Dataset("top-expenses", "最大的支出", "本年全县金额最大的 20 笔支出。",
            (_c("排名", "integer", "rank"), *WHERE, _c("日期", "date"), _c("凭证号"), _c("摘要"),
             _c("科目"), _c("金额", "number")), "top", by="金额", limit=20),
    Dataset("subsidy-income", "补助收入", "各村收到的补助收入明细（元）。",
            (*WHERE, _c("日期", "date"), _c("凭证号"), _c("摘要"), _c("对方"), _c("金额", "number"))),
    Dataset("relief-notices", "补助与救助名单公示", "政务栏目中附名单的公示：名单行数和可识别的金额列合计。",
            (*WHERE, _c("标题"), _c("开始日期", "date"), _c("结束日期", "date"), _c("名单行数", "integer"),
             _c("金额列"), _c("金额合计", "number"), _c("网页", description="相对县门户根目录"))),
    Dataset("decisions", "决策事项", "全县每一件村级决策事项及其程序问题数。",
            (*WHERE, _c("编号"), _c("事项"), _c("类别"), _c("金额", "number"), _c("实施情况"),
             _c("决议日期", "date"), _c("决议公开日期", "date"), _c("程序问题", "integer"),
             _c("网页", description="相对县门户根目录"))),
    Dataset("decision-categories", "决策事项按类别", "各村、乡镇、全县按类别的决策事项数和涉及金额（元）。",
            (*TREE_HEAD, _c("类别", role="key"), _c("事项数", "integer", "sum"), _c("金额", "number", "sum"),
             _c("程序问题事项", "integer", "sum")), "tree"),
    Dataset("decision-defects", "决策程序问题", "“四议两公开”步骤缺失或顺序不对、会议人数或票数不足等问题。",
            (*WHERE, _c("编号"), _c("事项"), _c("类别"), _c("严重程度", description="错误 / 提醒"),
             _c("规则"), _c("问题"))),
    Dataset("decisions-in-progress", "尚未公开实施结果的决策", "尚未实施完毕、还没有公开实施结果的决策事项。",
            (*WHERE, _c("编号"), _c("事项"), _c("实施情况"), _c("决议日期", "date"), _c("已过天数", "integer"))),
    Dataset("evaluations", "民主评议结果", "每位村干部每年的民主评议票数、满意率和评议结果。",
            (*WHERE, _c("年度", "integer"), _c("姓名"), _c("职务"), _c("职务类别"), _c("参评人数", "integer"),
             _c("满意", "integer"), _c("基本满意", "integer"), _c("不满意", "integer"),
             _c("满意率", "number", description="（满意 + 基本满意）÷ 参评人数，百分比"), _c("评议结果"))),
    Dataset("evaluation-totals", "民主评议满意率汇总", "各村、乡镇、全县每年按职务类别的满意率。",
            (*TREE_HEAD, _c("年度", "integer", "key"), _c("职务类别", role="key"), _c("参评人次", "integer", "sum"),
             _c("满意及基本满意", "integer", "sum"), _c("不满意", "integer", "sum"),
             _c("满意率", "number", "ratio", ("满意及基本满意", "参评人次"), "百分比")), "tree"),
    Dataset("incompetent", "评为不称职的村干部", "民主评议结果为不称职的村干部；连续两年不称职的，职务依法终止（第三十三条）。",
            (*WHERE, _c("年度", "integer"), _c("姓名"), _c("职务"), _c("满意率", "number"),
             _c("连续两年不称职", description="是 / 否"))),
    Dataset("open-notices", "正在公示", "生成网站之日正在公示期内的公示，按结束日期先后排列。",
            (*WHERE, _c("标题"), _c("栏目"), _c("开始日期", "date"), _c("结束日期", "date"),
             _c("剩余天数", "integer"), _c("网页", description="相对县门户根目录"))),
    # 财务公开 beyond the cash journal (county/books.py)
    Dataset("village-debts", "村级债务", "每个村每年年初、年末的债务和债权合计及债务变化（元）。",
            (*WHERE, _c("年度", "integer"), _c("年初债务", "number"), _c("年末债务", "number"),
             _c("债务变化", "number", description="年末减年初；正数为增加"), _c("年初债权", "number"),
             _c("年末债权", "number"))),
    Dataset("contract-lapses", "合同问题", "租金逾期未收（过县定宽限期）和到期仍在使用的资源发包、出租合同。",
            (*WHERE, _c("合同编号"), _c("资源"), _c("承包方", description="个人只显示姓氏"),
             _c("问题", description="逾期欠租 / 到期仍在用"), _c("日期", "date", description="最早欠租的应收日期或合同到期日"),
             _c("金额", "number", description="欠收租金，或到期后仍收的租金（元）"), _c("账目截至", "date"),
             _c("网页", description="相对县门户根目录"))),
    Dataset("receipts-missing", "缺原始凭证", "每个村超过县定金额的收支笔数，其中没有附原始凭证的笔数和金额。",
            (*WHERE, _c("县定金额", "number"), _c("超过金额笔数", "integer"), _c("缺凭证笔数", "integer"),
             _c("缺凭证金额", "number"))),
    Dataset("inspection", "季度抽查", "每季度按比例抽查的村（从有记录的第一个季度起逐季计算），及抽中理由。",
            (_c("县"), _c("季度"), _c("乡镇"), _c("村"), _c("村代码"), _c("权重", "number"),
             _c("程序问题", "integer"), _c("迟报缺报", "integer"), _c("抽中理由"))),
)
DATASET = {d.name: d for d in DATASETS}

Tables = dict[str, list[list[Any]]]


def _ratio(row: list, ds: Dataset) -> None:
    idx = {c.name: i for i, c in enumerate(ds.cols)}
    for i, c in enumerate(ds.cols):
        if c.role == "ratio":
            num, den = (row[idx[n]] or 0 for n in c.of)
            row[i] = percent(num, den)


def tree_rows(ds: Dataset, top: tuple[str, str], groups: list[tuple[str, list[tuple[str, dict]]]]) -> list[list]:
    """Rows of a tree table from per-village measures.

    top = (level, name) of the whole, e.g. ("县", "青山县"); groups = [(township,
    [(village name, {key tuple: [sum measures…]})])]. Rows come whole first, then
    townships, then villages; keys in first-seen order."""
    sums = [c for c in ds.cols if c.role == "sum"]
    keys_order: dict[tuple, None] = {}
    for _, villages in groups:
        for _, measures in villages:
            for k in measures:
                keys_order.setdefault(k, None)

    def add(acc: dict, measures: dict) -> None:
        for k, values in measures.items():
            slot = acc.setdefault(k, [None] * len(sums))
            for i, v in enumerate(values):
                if v is not None:
                    slot[i] = v if slot[i] is None else slot[i] + v

    def rows_for(level: str, name: str, parent: str, acc: dict) -> list[list]:
        out = []
        for k in keys_order:
            if k not in acc:
                continue
            row = _assemble(ds, level, name, parent, k, acc[k])
            out.append(row)
        return out

    whole: dict = {}
    town_rows, village_rows = [], []
    for township, villages in groups:
        town: dict = {}
        for name, measures in villages:
            add(town, measures)
            village_rows += rows_for("村", name, township, measures)
        add(whole, town)
        town_rows += rows_for("乡镇", township, top[1], town)
    return rows_for(top[0], top[1], "", whole) + town_rows + village_rows


def _assemble(ds: Dataset, level: str, name: str, parent: str, key: tuple, values: list) -> list:
    row: list = []
    keys, vals = iter(key), iter(values)
    for c in ds.cols:
        if c.role == "level":
            row.append(level)
        elif c.role == "name":
            row.append(name)
        elif c.role == "parent":
            row.append(parent)
        elif c.role == "key":
            row.append(next(keys))
        elif c.role == "sum":
            row.append(next(vals))
        else:
            row.append(None)
    _ratio(row, ds)
    return row


def combine(parts: list[Tables], name: str, level: str) -> Tables:
    """Compose the tables of several areas (counties → city, cities → province):
    tree tables get a new top row summing each part's top rows, whose parent
    becomes `name`; ranked tables are merged and re-ranked; the rest concatenated."""
    out: Tables = {}
    for ds in DATASETS:
        rows_in = [[list(r) for r in part.get(ds.name, [])] for part in parts]
        if ds.compose == "concat":
            out[ds.name] = [r for rows in rows_in for r in rows]
        elif ds.compose == "top":
            by, rank = ds.columns.index(ds.by), next(i for i, c in enumerate(ds.cols) if c.role == "rank")
            merged = [r for rows in rows_in for r in rows]
            merged.sort(key=lambda r: -(r[by] if r[by] is not None else Decimal("-Infinity")))
            merged = merged[:ds.limit] if ds.limit else merged
            for i, r in enumerate(merged, 1):
                r[rank] = i
            out[ds.name] = merged
        else:
            ci = {c.name: i for i, c in enumerate(ds.cols)}
            key_idx = [i for i, c in enumerate(ds.cols) if c.role == "key"]
            sum_idx = [i for i, c in enumerate(ds.cols) if c.role == "sum"]
            totals: dict[tuple, list] = {}
            for rows in rows_in:
                for r in rows:
                    if r[ci["上级"]]:
                        continue
                    r[ci["上级"]] = name
                    k = tuple(r[i] for i in key_idx)
                    slot = totals.setdefault(k, [None] * len(sum_idx))
                    for j, i in enumerate(sum_idx):
                        if r[i] is not None:
                            slot[j] = r[i] if slot[j] is None else slot[j] + r[i]
            new = [_assemble(ds, level, name, "", k, v) for k, v in totals.items()]
            out[ds.name] = new + [r for rows in rows_in for r in rows]
    return out


def parse_value(col: Col, value: Any) -> Any:
    """A value read back from published JSON (money as text) into its Python type."""
    if value is None or value == "":
        return None
    if col.type == "integer":
        return int(value)
    if col.type == "number":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"“{col.name}”的值“{value}”不是数字") from None
    if col.type == "date":
        return date.fromisoformat(str(value))
    return str(value)


