"""The collective's books beyond the cash journal: the schema of the files a
clerk writes for the other categories of 财务公开 (农经发〔2011〕13号).

- assets/     资产台账: fixed and other assets, their value and status; a disposal
              (处置) names the decision that approved it.
- contracts/  资源发包及租赁合同: a resource let out, the counterparty, the term, the
              rent and its payment schedule, the approving decision. What has been
              received is not written here: it is the ledger entries that name the
              contract (`contract:`), so the figures cannot disagree.
- debts/      债权债务, one file a year: receivables and payables with the year's
              movement; the ledger entries that name an item (`debt:`) carry its cash.
- plans/      财务计划（预算）, one file a year, approved by a decision.
- distributions/  收益分配, one file a year: how the year's 收益 (computed from the
              ledger) is split, and the payments tagged `收益分配` in the ledger.
- audits/     任期、离任经济责任审计 (Art. 35), linked from the roster.

Decisions are named by their file name without .md, as in rules/ and ledgers.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from .models import Category, ISODate, Money, PublicNumber, Record, Text
from .money import ZERO

# ---------------------------------------------------------------- 资产台账

AssetCategory = Literal["房屋及建筑物", "机器设备", "运输设备", "办公设备", "农业基础设施", "公益设施",
                        "林木资产", "长期投资", "其他资产"]
ASSET_CATEGORIES: tuple[str, ...] = get_args(AssetCategory)
AssetStatus = Literal["在用", "出租", "闲置", "处置"]
ASSET_STATUSES: tuple[str, ...] = get_args(AssetStatus)


class Disposal(Record):
    date: ISODate
    decision: Text = ""          # the decision that approved it (Art. 24: 集体财产处置)
    amount: Money = ZERO         # what it fetched
    how: Text = ""               # 拍卖、报废、转让 …


class Asset(Record):
    code: Text
    name: Text
    category: AssetCategory
    location: Text = ""
    quantity: Text = ""
    acquired: ISODate
    original_value: Money
    depreciation: Money | None = None      # 累计折旧, where kept
    current_value: Money | None = None     # 净值 or an appraised value, where kept
    status: AssetStatus
    contract: Text = ""                    # 出租: the contract's code
    disposal: Disposal | None = None
    note: Text = ""

    @property
    def net_value(self) -> Money:
        if self.current_value is not None:
            return self.current_value
        return self.original_value - (self.depreciation or ZERO)


class AssetRegister(Record):
    title: Text = "资产台账"
    as_of: ISODate
    posted: ISODate
    assets: list[Asset] = Field(min_length=1)
    public_numbers: list[PublicNumber] = []


# ---------------------------------------------------------------- 资源与合同

ResourceKind = Literal["耕地", "林地", "园地", "水面", "建设用地", "房屋", "设备", "其他"]
RESOURCE_KINDS: tuple[str, ...] = get_args(ResourceKind)


class Resource(Record):
    name: Text
    kind: ResourceKind
    area: Money | None = None                     # in `unit`
    unit: Literal["亩", "平方米", "间", "台", "处"] = "亩"
    location: Text = ""


class Installment(Record):
    due: ISODate
    amount: Money


class Contract(Record):
    code: Text                                     # 合同编号; ledger entries name it
    title: Text
    resource: Resource
    counterparty: Text
    # a person's name is shown masked (刘某红) on the pages and in the open data
    counterparty_kind: Literal["单位", "个人"]
    start: ISODate
    end: ISODate
    rent: Money                                    # a year
    schedule: list[Installment] = Field(min_length=1)
    decision: Text = ""
    tendering: Text = ""                           # 公开竞价、招标、协商 …
    status: Literal["履行中", "已到期", "已终止"] = "履行中"
    note: Text = ""
    public_numbers: list[PublicNumber] = []


# ---------------------------------------------------------------- 债权债务

DebtKind = Literal["应收款", "应付款", "短期借款", "长期借款"]
DEBT_KINDS: tuple[str, ...] = get_args(DebtKind)
CREDIT_KINDS = ("应收款",)                        # owed to the collective
BORROWING_KINDS = ("短期借款", "长期借款")          # need a decision


class Debt(Record):
    id: Text                                       # 编号; ledger entries name it (`debt:`)
    kind: DebtKind
    counterparty: Text
    incurred: ISODate
    opening: Money = ZERO
    increase: Money = ZERO
    decrease: Money = ZERO
    closing: Money
    due: ISODate | None = None
    decision: Text = ""
    note: Text = ""

    @property
    def is_credit(self) -> bool:
        return self.kind in CREDIT_KINDS


class DebtYear(Record):
    year: int = Field(ge=1900, le=2200)
    posted: ISODate
    items: list[Debt] = []
    public_numbers: list[PublicNumber] = []


# ---------------------------------------------------------------- 财务计划

class Plan(Record):
    year: int = Field(ge=1900, le=2200)
    decision: Text
    posted: ISODate
    income: dict[Category, Money] = {}
    expense: dict[Category, Money] = {}
    note: Text = ""
    public_numbers: list[PublicNumber] = []


# ---------------------------------------------------------------- 收益分配

class Distribution(Record):
    year: int = Field(ge=1900, le=2200)
    decision: Text
    posted: ISODate
    reserve: Money = ZERO          # 提取公积公益金
    welfare: Money = ZERO          # 提取福利费
    members: Money                 # 分配给成员
    basis: Literal["按户", "按股", "按人"]
    units: int = Field(ge=1)       # households, shares or persons
    per_unit: Money
    note: Text = ""
    public_numbers: list[PublicNumber] = []

    @property
    def total(self) -> Money:
        return self.reserve + self.welfare + self.members


# ---------------------------------------------------------------- 经济责任审计

class Finding(Record):
    text: Text
    amount: Money | None = None


class Audit(Record):
    title: Text
    kind: Literal["任期经济责任审计", "离任经济责任审计"]
    cadre: Text
    role: Text
    period: tuple[ISODate, ISODate]
    auditor: Text
    date: ISODate
    posted: ISODate
    findings: list[Finding] = []
    conclusion: Text
    public_numbers: list[PublicNumber] = []
