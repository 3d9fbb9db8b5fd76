"""Typed records: the schema of every file a clerk writes.

Keys are short English words (documented with Chinese comments in the
templates); values a villager reads — categories, columns, verdicts — are Chinese.
Money is Decimal with two places; dates are ISO dates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .money import CENT, MAX_AMOUNT, ZERO, decimal_places

# ---------------------------------------------------------------- scalar types


def _plain(value: Any) -> str:
    """Text of a number or date; full-width digits (IME in full-width mode) become ASCII."""
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("schema.amount", "金额不能为空，请填写数字，例如 1200.00。")
    if isinstance(value, float):  # only from Python callers; files give text
        value = repr(value)
    text = _plain(value)
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        raise PydanticCustomError(
            "schema.amount",
            "金额“{value}”不是数字。只写阿拉伯数字和小数点，不加逗号、空格或“元”，例如 12000.00。",
            {"value": text})
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex above admits only valid numbers
        raise PydanticCustomError("schema.amount", "金额“{value}”不是数字。", {"value": text}) from None
    if abs(amount) >= MAX_AMOUNT:  # also keeps quantize() within decimal precision
        raise PydanticCustomError(
            "schema.amount", "金额“{value}”大得不合常理（一万亿元以上）。请核对位数。", {"value": text[:40]})
    if decimal_places(amount) > 2:
        raise PydanticCustomError(
            "schema.amount", "金额“{value}”超过两位小数。金额以元为单位，最多写到分，例如 12.50。",
            {"value": text})
    return amount.quantize(CENT)


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = _plain(value)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise PydanticCustomError(
            "schema.date", "日期“{value}”写法不对。请写成 年-月-日，例如 2024-03-05。", {"value": text})
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError(
            "schema.date", "日期“{value}”不存在（月份或天数不对）。请核对日历。", {"value": text}) from None


def _month(value: Any) -> str:
    text = _plain(value)
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PydanticCustomError("schema.date", "月份“{value}”写法不对。请写成 年-月，例如 2024-03。",
                                  {"value": text})
    return text


def _count(value: Any) -> int:
    text = _plain(value)
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", text):
        raise PydanticCustomError("schema.type", "“{value}”应是一个整数（人数、户数等），例如 35。",
                                  {"value": text})
    if len(text) > 9:  # int() refuses > 4300 digits with an English error
        raise PydanticCustomError("schema.type", "数字“{value}”大得不合常理。请核对位数。", {"value": text[:40]})
    return int(text)


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        raise PydanticCustomError("schema.type", "这里应写一段文字。")
    return str(value)


def _fraction(value: Any) -> Fraction:
    # Fraction("1e-999999999") would build a huge integer: admit only plain forms.
    if not re.fullmatch(r"\s*\d{1,9}(\.\d{1,9})?(/\d{1,9})?\s*", str(value)):
        raise PydanticCustomError("schema.type", "比例“{value}”写法不对，请写成 2/3 或 0.15 这样的形式。",
                                  {"value": str(value)[:40]})
    try:
        frac = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise PydanticCustomError("schema.type", "比例“{value}”写法不对，请写成 2/3 或 0.15 这样的形式。",
                                  {"value": str(value)}) from None
    if not 0 < frac <= 1:
        raise PydanticCustomError("schema.type", "比例“{value}”应在 0 和 1 之间。", {"value": str(value)})
    return frac


Money = Annotated[Decimal, BeforeValidator(_money)]
ISODate = Annotated[date, BeforeValidator(_iso_date)]
Month = Annotated[str, BeforeValidator(_month)]
Count = Annotated[int, BeforeValidator(_count)]
Text = Annotated[str, BeforeValidator(_text)]
Ratio = Annotated[Fraction, BeforeValidator(_fraction)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True,
                              arbitrary_types_allowed=True)


def _reason(value: Any) -> str:
    text = _text(value).strip() if value is not None else ""
    if not text:
        raise PydanticCustomError("schema.missing", "请写明这个号码可以公开的理由（reason），例如“村委会办公电话”。")
    return text


class PublicNumber(Record):
    """A number that looks like a personal one but is public (the office's mobile,
    the collective's bank account, a code), declared by the clerk with a reason.
    The checker and the publish gate let it through; the site shows it as written."""

    number: Text
    reason: Annotated[str, BeforeValidator(_reason)]


# ---------------------------------------------------------------- county

class Policy(Record):
    """Every threshold of the checks, in one place, with the legal defaults."""

    notice_min_days: Count = 7
    on_time_days: Count = 10
    representatives_quorum: Ratio = Fraction(2, 3)      # Art. 26: at least 2/3 present
    assembly_quorum_adults: Ratio = Fraction(1, 2)      # Art. 22: more than half of adults
    assembly_quorum_households: Ratio = Fraction(2, 3)  # ... or two thirds of households
    inspection_share: Ratio = Fraction(15, 100)         # county inspects ≥15% a quarter
    # Art. 25: women at least a third of the representatives (a warning under it),
    # representatives at least 4/5 of the representatives' meeting (with the committee).
    women_representatives: Ratio = Fraction(1, 3)
    representatives_share: Ratio = Fraction(4, 5)
    # A meeting's 应到 may fall short of the registered adults (people away, deaths
    # since the register) by at most this share; representatives never fall short.
    headcount_tolerance: Ratio = Fraction(5, 100)
    # Art. 30: major items posted "at once" — the resolution within this many days.
    immediate_days: Count = 5
    # A ledger month posted without the 民主理财小组 review: 警告 (default) or 错误
    # (the county stops publication until the review is recorded).
    unreviewed_finance: Literal["警告", "错误"] = "警告"
    # 财务公开 beyond the cash journal (records/books.py, checks/books.py): spending
    # in an account over the year's plan by more than this percentage is flagged;
    # rent unpaid this many days after its due date is overdue; a ledger entry of
    # at least this amount should carry its original vouchers (原始凭证).
    budget_overrun_percent: Count = 10
    rent_grace_days: Count = 30
    receipt_required_amount: Money = Decimal("50000.00")
    # Names in relief and subsidy lists (低保, 特困, 临时救助 …): 遮盖 (刘某红) or 全名.
    relief_names: Literal["遮盖", "全名"] = "遮盖"
    # Attachments (files/, images/) are downloaded on weak rural networks: a scanned
    # page is under 1 MB, a whole meeting record a few MB.
    attachment_max_mb: Count = 20
    attachments_total_mb: Count = 500
    # A decision's recorded amount against the ledger entries that name it
    # (`decision:`): a difference larger than this share of the amount is a
    # warning (5% retention money, 质保金, stays within the default).
    decision_amount_tolerance: Ratio = Fraction(10, 100)


def _site_url(value: Any) -> str:
    text = _text(value).strip() if value is not None else ""
    if text and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", text):
        raise PydanticCustomError(
            "schema.type", "网站地址“{value}”写法不对。请写成 https://开头的网址，只含字母、数字、点、减号和斜杠，"
            "例如 https://cunwu.example.gov.cn/。", {"value": text[:80]})
    return text


class CountyConfig(Record):
    name: Text
    code: Text = ""
    # The public address of the county's site (https://…/): QR codes on the board
    # sheets and absolute links in the feeds. Without it no code is printed.
    site_url: Annotated[str, BeforeValidator(_site_url)] = ""
    townships: list[Text] = Field(min_length=1)
    policy: Policy = Policy()


DEFAULT_POLICY = Policy()

# ---------------------------------------------------------------- village profile


# Close relatives (近亲属, Civil Code Art. 1045) and in-laws that the 2017 guidance
# on 村务监督委员会 names: who may not sit on the committee that oversees a relative.
Relation = Literal["配偶", "父母", "子女", "兄弟姐妹", "祖父母", "外祖父母", "孙子女", "外孙子女",
                   "儿媳", "女婿", "公婆", "岳父母"]


class Relative(Record):
    name: Text
    relation: Relation


class Member(Record):
    name: Text
    role: Text
    term: tuple[ISODate, ISODate] | None = None
    relatives: list[Relative] = []     # close relatives, declared by the member (Art. 32)


class Representative(Record):
    name: Text
    gender: Literal["男", "女"]
    group: Text = ""                   # 村民小组


class Roster(Record):
    party_branch: list[Member] = []
    village_committee: list[Member] = []
    supervision_committee: list[Member] = []
    representatives: list[Representative] = []   # 村民代表名单 (Art. 25)


class Contact(Record):
    office: Text = ""
    phone: Text = ""
    hours: Text = ""
    township_phone: Text = ""


class Cadence(Record):
    finance: Literal["按月", "按季"] = "按月"


class VillageProfile(Record):
    name: Text
    code: Text
    township: Text
    households: Count
    population: Count
    adults: Count | None = None
    representatives: Count
    contact: Contact
    cadence: Cadence = Cadence()
    roster: Roster
    public_numbers: list[PublicNumber] = []   # public in every page of the village


# ---------------------------------------------------------------- the board

# The columns of a village notice board (村务公开栏), in the order they hang.
BoardColumn = Literal["党务", "村务", "财务", "政务"]
BOARD_COLUMNS: tuple[str, ...] = get_args(BoardColumn)


# ---------------------------------------------------------------- ledger

# The Literal types are the source; the tuples are read from them so they cannot drift.
IncomeCategory = Literal["经营收入", "承包收入", "补助收入", "投资收益", "其他收入"]
# 税金及附加 is an account of the 2023 system (财会〔2023〕14号); how the names
# map between the two systems is in records/accounts.py.
ExpenseCategory = Literal["经营支出", "税金及附加", "管理费用", "公益支出", "其他支出"]
Category = Literal[IncomeCategory, ExpenseCategory]
INCOME_CATEGORIES: tuple[str, ...] = get_args(IncomeCategory)
EXPENSE_CATEGORIES: tuple[str, ...] = get_args(ExpenseCategory)


# Special disclosures (2011 rule): entries tagged so that their own pages can
# gather them; 收益分配 marks the payment of a year's distribution to members.
EntryTag = Literal["征地补偿", "一事一议", "收益分配"]
ENTRY_TAGS: tuple[str, ...] = get_args(EntryTag)


class Entry(Record):
    date: ISODate
    voucher: Text
    summary: Text
    category: Category
    counterparty: Text = ""
    amount: Money
    handled_by: Text = ""
    reviewed_by: Text = ""
    approved_by: Text = ""
    # The decision this entry carries out, by its file name without .md
    # (decisions/2025-03-村道硬化.md → 2025-03-村道硬化): the decision's page
    # lists the entries that paid it, and the entry links to the decision.
    decision: Text = ""

    # Links into the rest of the books (records/books.py): the contract whose
    # rent this is, the debt or credit this money moves, a special-disclosure
    # tag with its project (一事一议: the project; 征地补偿: the group; 收益分配:
    # the year distributed), and the original vouchers under files/.
    contract: Text = ""
    debt: Text = ""
    tag: EntryTag | None = None
    project: Text = ""
    receipts: list[Text] = []

    @property
    def is_income(self) -> bool:
        return self.category in INCOME_CATEGORIES

    @property
    def is_transfer(self) -> bool:
        """Money that moves a debt or pays out a distribution: cash in or out,
        but not the year's 收益 (income or expense of the collective)."""
        return bool(self.debt) or self.tag == "收益分配"


class Review(Record):
    by: list[Text] = Field(min_length=1)
    date: ISODate


class Ledger(Record):
    month: Month
    opening_balance: Money
    closing_balance: Money
    posted: ISODate
    review: Review | None = None
    entries: list[Entry] = []
    public_numbers: list[PublicNumber] = []

    @property
    def income(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.is_income), ZERO)

    @property
    def expense(self) -> Decimal:
        return sum((e.amount for e in self.entries if not e.is_income), ZERO)

    @property
    def computed_closing(self) -> Decimal:
        return self.opening_balance + self.income - self.expense


# ---------------------------------------------------------------- decision

# Matters that need an assembly or representatives' decision (Art. 24), then the rest.
Art24Category = Literal["村干部误工补贴", "集体收益使用", "公益事业兴办", "土地承包方案", "集体经济项目",
                        "宅基地使用方案", "征地补偿分配", "集体财产处置"]
DecisionCategory = Literal[Art24Category, "村规民约修订", "一事一议", "其他"]
ART24_CATEGORIES: tuple[str, ...] = get_args(Art24Category)
StepName = Literal["党支部提议", "两委会商议", "党员大会审议", "村民代表会议决议", "村民会议决议",
                   "决议公开", "实施结果公开"]
RESOLVING_STEPS = ("村民代表会议决议", "村民会议决议")
# The six steps of 四议两公开 in order; position 3 is either resolving meeting.
STEP_ORDER = {"党支部提议": 0, "两委会商议": 1, "党员大会审议": 2, "村民代表会议决议": 3,
              "村民会议决议": 3, "决议公开": 4, "实施结果公开": 5}
SIX_STEPS = ("党支部提议", "两委会商议", "党员大会审议", "村民代表会议决议/村民会议决议", "决议公开", "实施结果公开")


class Meeting(Record):
    members: Count                  # who may attend: members, representatives, or adults (assembly)
    present: Count
    votes_for: Count | None = Field(default=None, alias="for")
    against: Count | None = None
    abstain: Count | None = None
    households: Count | None = None          # assembly by households (Art. 22)
    households_present: Count | None = None


class Step(Record):
    step: StepName
    date: ISODate
    meeting: Meeting | None = None
    note: Text = ""


class Document(Record):
    title: Text
    url: Text


class Decision(Record):
    title: Text
    category: DecisionCategory
    amount: Money = ZERO
    status: Literal["未实施", "实施中", "已完成"]
    steps: list[Step] = []
    documents: list[Document] = []
    public_numbers: list[PublicNumber] = []

    @property
    def is_art24(self) -> bool:
        return self.category in ART24_CATEGORIES

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.step == name), None)

    @property
    def resolution(self) -> Step | None:
        return next((s for s in self.steps if s.step in RESOLVING_STEPS), None)

    @property
    def posted(self) -> date | None:
        step = self.step("决议公开")
        return step.date if step else None


# ---------------------------------------------------------------- rules


class Power(Record):
    name: Text
    basis: Text = ""
    responsible: Text = ""
    steps: list[Text] = Field(min_length=1)


class RuleVersion(Record):
    version: Text
    adopted: ISODate
    decision: Text | None = None
    filed: ISODate | None = None
    posted: ISODate
    text: Text | None = None
    powers: list[Power] | None = None


class Rule(Record):
    title: Text
    kind: Literal["村规民约", "村民自治章程", "小微权力清单"]
    versions: list[RuleVersion] = Field(min_length=1)
    public_numbers: list[PublicNumber] = []

    @property
    def current(self) -> RuleVersion:
        return max(self.versions, key=lambda v: v.adopted)


# ---------------------------------------------------------------- evaluation


class Votes(Record):
    satisfied: Count = 0      # 满意
    basic: Count = 0          # 基本满意
    unsatisfied: Count = 0    # 不满意

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied


class CadreEvaluation(Record):
    name: Text
    role: Text
    participants: Count
    votes: Votes
    verdict: Literal["称职", "基本称职", "不称职"]
    stipend: Money | None = None
    report: Text = ""


class Evaluation(Record):
    year: Count
    date: ISODate
    posted: ISODate
    chaired_by: Text
    cadres: list[CadreEvaluation] = Field(min_length=1)
    public_numbers: list[PublicNumber] = []


# ---------------------------------------------------------------- notice


class Table(Record):
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text | None]] = []


class Notice(Record):
    title: Text
    column: BoardColumn
    start: ISODate
    end: ISODate
    posted: ISODate
    objections: Text
    table: Table | None = None
    public_numbers: list[PublicNumber] = []


# Chinese names of the keys, for messages that a clerk can follow.
FIELD_LABELS = {
    "name": "名称", "code": "代码", "township": "所属乡镇", "townships": "乡镇名单", "households": "户数",
    "population": "人口", "adults": "18周岁以上人数", "representatives": "村民代表人数", "contact": "联系方式",
    "office": "办公地点", "phone": "电话", "hours": "办公时间", "township_phone": "乡镇电话",
    "cadence": "公开周期", "finance": "财务公开周期", "roster": "班子成员", "party_branch": "党支部",
    "village_committee": "村委会", "supervision_committee": "村务监督委员会", "role": "职务", "term": "任期",
    "month": "月份", "opening_balance": "期初余额", "closing_balance": "期末余额", "posted": "公布日期",
    "review": "审核", "by": "审核人", "date": "日期", "entries": "收支明细", "voucher": "凭证号",
    "summary": "摘要", "category": "科目/类别", "counterparty": "对方", "amount": "金额",
    "handled_by": "经手人", "reviewed_by": "审核人", "approved_by": "审批人", "title": "标题",
    "status": "实施情况", "steps": "步骤", "step": "步骤名称", "meeting": "会议", "members": "应到人数",
    "present": "实到人数", "for": "赞成票", "against": "反对票", "abstain": "弃权票",
    "documents": "相关文件", "url": "链接", "kind": "种类", "versions": "版本", "version": "版本名称",
    "adopted": "通过日期", "decision": "决策事项", "filed": "备案日期", "text": "全文", "powers": "权力事项",
    "basis": "依据", "responsible": "责任人", "year": "年度", "chaired_by": "主持人", "cadres": "参评干部",
    "participants": "参评人数", "votes": "票数", "satisfied": "满意", "basic": "基本满意",
    "unsatisfied": "不满意", "verdict": "评议结果", "stipend": "误工补贴", "report": "述职报告",
    "column": "栏目", "start": "开始日期", "end": "结束日期", "objections": "异议反映方式", "table": "名单",
    "columns": "表头", "rows": "行", "policy": "公开政策", "note": "备注",
    "public_numbers": "公开的号码", "number": "号码", "reason": "理由", "relief_names": "救助名单姓名",
    "attachment_max_mb": "单个附件上限（MB）", "relatives": "近亲属", "relation": "关系", "gender": "性别",
    "group": "村民小组", "site_url": "网站地址", "women_representatives": "妇女代表比例下限",
    "representatives_share": "村民代表占代表会议比例下限", "headcount_tolerance": "应到人数容差",
    "immediate_days": "重大事项公开天数", "unreviewed_finance": "未审核财务公开的处理", "attachments_total_mb": "全村附件上限（MB）",
    "decision_amount_tolerance": "决策金额与支出差额容许比例",
    "budget_overrun_percent": "预算超支提醒比例（%）", "rent_grace_days": "租金逾期宽限天数",
    "receipt_required_amount": "须附原始凭证的金额",
    "contract": "合同编号", "debt": "债权债务编号", "tag": "专项标记", "project": "项目/组别",
    "receipts": "原始凭证", "assets": "资产", "as_of": "截至日期", "location": "坐落位置",
    "acquired": "取得日期", "original_value": "原值", "depreciation": "累计折旧", "current_value": "净值",
    "disposal": "处置", "how": "处置方式", "resource": "资源", "area": "面积", "unit": "单位",
    "counterparty_kind": "对方类别", "rent": "年租金", "schedule": "收款计划", "due": "应收日期",
    "tendering": "发包方式", "items": "明细", "incurred": "发生日期", "opening": "年初余额",
    "increase": "本年增加", "decrease": "本年减少", "closing": "年末余额", "income": "收入预算",
    "expense": "支出预算", "reserve": "公积公益金", "welfare": "福利费",
    "units": "户数/股数", "per_unit": "每户/每股金额", "cadre": "被审计干部", "period": "审计期间",
    "auditor": "审计单位", "findings": "审计发现", "conclusion": "审计结论", "quantity": "数量",
}
