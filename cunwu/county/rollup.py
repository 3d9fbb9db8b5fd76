"""County rollups: pure computations over every village's records.

`compute(county, as_of)` turns a loaded County into a `Rollup`: the overview,
the disclosure-timeliness matrix, finances by area, decision defects,
evaluations, the notices open now and the quarter's inspection sample, plus
every table of the portal as rows (`Rollup.tables`). Nothing here reads or
writes files; `cunwu.portal` renders the pages and writes the open data.

The tables are described by `DATASETS`, which also says how each composes
upward (`combine`): per-record tables are concatenated, area totals ("tree"
tables: 村 → 乡镇 → 县 → 市 …) are summed under a new top row, and ranked
tables are re-ranked. A city or a province reuses the same code on the
published data of the counties (`cunwu rollup`).

Money is Decimal throughout; the only floats are the random keys of the
inspection draw.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from ..records.check import check_decision
from ..records.diagnostics import Report
from ..records.load import County, Doc, Village
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Decision, Policy
from ..records.money import CENT, ZERO
from ..records.months import month_end
from ..site.markup import plain

TENTH = Decimal("0.1")
NO_TOWNSHIP = "（未填乡镇）"

# ================================================================ periods


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or year: the unit a disclosure is due for."""

    start: date
    end: date
    kind: str   # "month" | "quarter" | "year"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def zh(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年度"

    @property
    def short(self) -> str:
        """Column header in a matrix of one year."""
        if self.kind == "month":
            return f"{self.start.month}月"
        if self.kind == "quarter":
            return "一二三四"[(self.start.month - 1) // 3] + "季"
        return "年度"

    def next(self) -> Period:
        return period_of(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))


def period_of(kind: str, day: date) -> Period:
    if kind == "month":
        return Period(date(day.year, day.month, 1), month_end(day.year, day.month), "month")
    if kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, first, 1), month_end(day.year, first + 2), "quarter")
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    raise ValueError(kind)


def quarter(year: int, q: int) -> Period:
    return period_of("quarter", date(year, 3 * q - 2, 1))


def parse_quarter(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})Q([1-4])", text.strip())
    if not m:
        raise ValueError(f"季度“{text}”写法不对，应写成 2026Q4。")
    return quarter(int(m.group(1)), int(m.group(2)))


def periods_between(kind: str, first_day: date, ended_before: date) -> list[Period]:
    """Every period from the one holding first_day that ended before `ended_before`."""
    out, p = [], period_of(kind, first_day)
    while p.end < ended_before:
        out.append(p)
        p = p.next()
    return out


def months_in(p: Period) -> list[str]:
    out, m = [], period_of("month", p.start)
    while m.start <= p.end:
        out.append(m.label)
        m = m.next()
    return out


# ================================================================ small helpers


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part/whole as a percentage with one decimal (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def township_of(village: Village) -> str:
    return village.profile.record.township if village.profile else NO_TOWNSHIP


def decision_date(doc: Doc[Decision]) -> date | None:
    """When a decision was taken: its resolution, else its first step."""
    d = doc.record
    if d.resolution is not None:
        return d.resolution.date
    return d.steps[0].date if d.steps else None


def ordered_townships(county: County) -> list[str]:
    names = list(county.config.record.townships) if county.config else []
    extra = sorted({township_of(v) for v in county.villages} - set(names))
    return names + extra


def ordered_villages(county: County) -> list[Village]:
    order = {t: i for i, t in enumerate(ordered_townships(county))}
    return sorted(county.villages, key=lambda v: (order[township_of(v)], v.profile.record.code
                                                   if v.profile else "", v.slug))


def county_name(county: County) -> str:
    return county.config.record.name if county.config else "本县"


def county_code(county: County) -> str:
    return county.config.record.code if county.config and county.config.record.code else county_name(county)


def record_start(county: County) -> date | None:
    """The first day the county's records speak for: its earliest ledger month,
    else the earliest dated record. Matrices and the inspection history start here."""
    months = [d.record.month for v in county.villages for d in v.ledgers]
    if months:
        y, m = map(int, min(months).split("-"))
        return date(y, m, 1)
    days = [day for v in county.villages for day, _ in ordinary_postings(v)]
    return min(days) if days else None


def ordinary_postings(village: Village) -> list[tuple[date, str]]:
    """Every dated posting of ordinary (non-finance) items: (date, what)."""
    out = []
    for doc in village.notices:
        out.append((doc.record.posted, f"公示：{doc.record.title}"))
    for doc in village.decisions:
        for step in doc.record.steps:
            if step.step in ("决议公开", "实施结果公开"):
                out.append((step.date, f"{step.step}：{doc.record.title}"))
    for doc in village.rules:
        for version in doc.record.versions:
            out.append((version.posted, f"制度：{doc.record.title}"))
    for doc in village.evaluations:
        out.append((doc.record.posted, f"{doc.record.year}年度民主评议结果"))
    return out


def last_posting(village: Village, as_of: date) -> date | None:
    days = [day for day, _ in ordinary_postings(village)] + [d.record.posted for d in village.ledgers]
    days = [d for d in days if d <= as_of]
    return max(days) if days else None


# ================================================================ timeliness

AREAS = ("财务", "村务", "评议")
STATUS_ZH = {"on_time": "按时", "late": "迟报", "missing": "缺报", "unreviewed": "未审", "pending": "未到期"}


@dataclass(frozen=True)
class Cell:
    """One village's disclosure for one period."""

    slug: str
    area: str                 # 财务 (month, or quarter for 按季), 村务 (quarter), 评议 (year)
    period: Period
    due: date                 # last day that is on time
    posted: date | None
    status: str               # on_time | late | missing | unreviewed | pending
    days_late: int = 0
    reviewed: bool | None = None   # None: not applicable or not yet posted
    note: str = ""

    @property
    def symbol(self) -> str:
        if self.status == "pending":
            return "·"
        if self.status == "missing":
            return "✗缺"
        late = f"迟{self.days_late}天" if self.days_late else ""
        if self.status == "unreviewed":
            return f"{late} 未审".strip()
        return late or "✓"

    @property
    def is_due(self) -> bool:
        return self.status != "pending"

    @property
    def is_lapse(self) -> bool:
        return self.status in ("late", "missing", "unreviewed")


def judge(due: date, posted: date | None, reviewed: bool | None, as_of: date) -> tuple[str, int]:
    """Status and days late of one disclosure under Art. 30: on time means posted
    by `due`; a period whose deadline has not passed is not missing."""
    if posted is None:
        return ("missing" if as_of > due else "pending"), 0
    late = max((posted - due).days, 0)
    if reviewed is False:
        return "unreviewed", late
    return ("late" if late else "on_time"), late


def _cell(slug, area, period, due, posted, reviewed, as_of, note="") -> Cell:
    status, late = judge(due, posted, reviewed, as_of)
    return Cell(slug, area, period, due, posted, status, late, reviewed if posted else None, note)


def chaired_by_supervision(village: Village, chaired_by: str) -> bool | None:
    """Art. 33: the supervision committee chairs the evaluation."""
    if "监督委员会" in chaired_by or "监委会" in chaired_by:
        return True
    if not village.profile or not village.profile.record.roster.supervision_committee:
        return None
    return any(m.name in chaired_by for m in village.profile.record.roster.supervision_committee)


def village_cells(village: Village, as_of: date, policy: Policy, start: date,
                  first_evaluation_year: int | None) -> list[Cell]:
    """The timeliness row of one village, from the county's record start to as_of."""
    days = timedelta(days=policy.on_time_days)
    cells: list[Cell] = []
    slug = village.slug
    # -- finance: monthly, or quarterly for villages that declared 按季
    cadence = village.profile.record.cadence.finance if village.profile else "按月"
    ledgers = {d.record.month: d.record for d in village.ledgers}
    kind = "quarter" if cadence == "按季" else "month"
    for p in periods_between(kind, start, as_of):
        wanted = months_in(p)
        found = [ledgers.get(m) for m in wanted]
        visible = [l for l in found if l is not None and l.posted <= as_of]
        absent = [m for m, l in zip(wanted, found) if l is None or l.posted > as_of]
        posted = reviewed = None
        note = ""
        if not absent:
            posted = max(l.posted for l in visible)
            reviewed = all(l.review is not None and l.review.date <= l.posted for l in visible)
            if not reviewed:
                note = "公开前未记录民主理财小组/村务监督委员会审核"
        elif kind == "quarter" and len(absent) < len(wanted):
            note = "缺 " + "、".join(absent)
        cells.append(_cell(slug, "财务", p, p.end + days, posted, reviewed, as_of, note))
    # -- ordinary items: quarterly (Art. 30)
    decisions = [(doc, decision_date(doc)) for doc in village.decisions]
    postings = ordinary_postings(village)
    for p in periods_between("quarter", start, as_of):
        due = p.end + days
        items = [doc for doc, day in decisions if day is not None and p.start <= day <= p.end]
        if items:
            unposted = [doc.record.title for doc in items
                        if doc.record.posted is None or doc.record.posted > as_of]
            if unposted:
                cells.append(_cell(slug, "村务", p, due, None, None, as_of,
                                   "决议未公开：" + "、".join(unposted)))
            else:
                cells.append(_cell(slug, "村务", p, due, max(doc.record.posted for doc in items), None, as_of,
                                   f"本季度决策 {len(items)} 件，均已公开决议"))
        else:
            inside = sorted(day for day, _ in postings if p.start <= day <= min(due, as_of))
            note = f"本季度公开 {len(inside)} 项" if inside else "本季度没有村务公开"
            cells.append(_cell(slug, "村务", p, due, inside[0] if inside else None, None, as_of, note))
    # -- democratic evaluation: yearly (Art. 33)
    if first_evaluation_year is not None:
        evaluations = {d.record.year: d.record for d in village.evaluations}
        for p in periods_between("year", date(first_evaluation_year, 1, 1), as_of):
            e = evaluations.get(p.start.year)
            posted = e.posted if e is not None and e.posted <= as_of else None
            reviewed = chaired_by_supervision(village, e.chaired_by) if posted else None
            note = "评议未由村务监督委员会主持" if reviewed is False else ""
            cells.append(_cell(slug, "评议", p, p.end + days, posted, reviewed, as_of, note))
    return cells


def timeliness(county: County, as_of: date, policy: Policy | None = None) -> list[Cell]:
    """Every village × period cell of the county up to as_of."""
    policy = policy or county.policy
    start = record_start(county)
    if start is None:
        return []
    years = [d.record.year for v in county.villages for d in v.evaluations]
    first_year = min(years) if years else start.year
    out: list[Cell] = []
    for village in ordered_villages(county):
        out += village_cells(village, as_of, policy, start, first_year)
    return out


@dataclass
class Tally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    unreviewed: int = 0

    def add(self, cell: Cell) -> None:
        if not cell.is_due:
            return
        self.due += 1
        setattr(self, cell.status, getattr(self, cell.status) + 1)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.on_time, self.due)


# ================================================================ decisions


@dataclass(frozen=True)
class Defect:
    slug: str
    doc_id: str
    title: str
    category: str
    severity: str     # "error" | "warning"
    rule: str
    reason: str       # Chinese, for readers

    @property
    def severity_zh(self) -> str:
        return "错误" if self.severity == "error" else "提醒"


def reader_reason(message: str) -> str:
    """A checker message without its instructions to the clerk ("请……")."""
    parts = [p for p in re.split(r"(?<=。)", message) if p]
    kept = [p for p in parts if not p.startswith("请")]
    return "".join(kept).strip() or message


def decision_defects(doc: Doc[Decision], policy: Policy, slug: str = "") -> list[Defect]:
    """Procedural defects of one decision: 四议两公开 steps missing or out of order,
    quorum or majority not met … exactly what `cunwu check` reports, read from a
    fresh Report so that it works on any input, errors included."""
    report = Report()
    check_decision(doc, policy, report)
    d = doc.record
    seen, out = set(), []
    for diag in report.items:
        key = (diag.rule, diag.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(Defect(slug, doc.id, d.title, d.category, diag.severity, diag.rule,
                          reader_reason(diag.message)))
    return out


@dataclass(frozen=True)
class InProgress:
    slug: str
    doc_id: str
    title: str
    status: str
    resolved: date | None
    days: int | None


# ================================================================ evaluations

ROLE_GROUPS = ("党支部书记", "村委会主任", "委员", "其他")


def role_group(role: str) -> str:
    if "书记" in role:
        return "党支部书记"
    if "主任" in role:
        return "村委会主任"
    if "委员" in role:
        return "委员"
    return "其他"


# ================================================================ inspection


@dataclass(frozen=True)
class Pick:
    quarter: Period
    slug: str
    weight: Decimal
    reasons: tuple[str, ...]
    defects: int
    lapses: int
    last_inspected: Period | None


def sample_size(n_villages: int, share: Fraction) -> int:
    """At least `share` of the villages, rounded up (exact: share is a Fraction)."""
    if n_villages == 0:
        return 0
    return min(n_villages, max(1, math.ceil(Fraction(share) * n_villages)))


def _uniform(seed: str) -> float:
    """A reproducible number in (0, 1) from a string (SHA-256, not Python's hash)."""
    n = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
    return (n + 0.5) / 2 ** 64


RECENCY = {1: Fraction(1, 4), 2: Fraction(1, 2), 3: Fraction(3, 4)}   # inspected k quarters ago → weight ×


class Inspection:
    """The quarterly inspection samples of a county, computed forward from the first
    quarter of its records and memoised.

    sample(Q) depends on the samples of the three quarters before Q (to move away
    from villages inspected lately), which depend on theirs … The recursion is
    well-founded because it starts at a fixed quarter — the county's first record
    quarter, where no earlier sample exists — and always steps backwards. It only
    reads what was known the day before Q began (timeliness and defects as of then),
    so the sample of a past quarter never changes when later records are added, and
    no state file is needed."""

    def __init__(self, county: County, policy: Policy | None = None,
                 defects: dict[tuple[str, str], list[Defect]] | None = None) -> None:
        self.county = county
        self.policy = policy or county.policy
        self.code = county_code(county)
        self.villages = sorted(county.villages, key=lambda v: v.slug)
        start = record_start(county)
        self.first = period_of("quarter", start) if start else None
        if defects is None:
            defects = {(v.slug, d.id): decision_defects(d, self.policy, v.slug)
                       for v in county.villages for d in v.decisions}
        self.defects = defects
        self.memo: dict[Period, list[Pick]] = {}

    def seed(self, q: Period) -> str:
        return f"{self.code}|{q.label}"

    def history(self, upto: Period) -> dict[Period, list[Pick]]:
        """Samples of every quarter from the first record quarter to `upto`."""
        self.sample(upto)
        first = self.first if self.first is not None and self.first <= upto else upto
        return {p: s for p, s in sorted(self.memo.items()) if first <= p <= upto}

    def sample(self, q: Period) -> list[Pick]:
        if q not in self.memo:
            # Forward from the base quarter: each draw finds its predecessors memoised.
            p = self.first
            while p is not None and p < q:
                if p not in self.memo:
                    self.memo[p] = self._draw(p)
                p = p.next()
            self.memo[q] = self._draw(q)
        return self.memo[q]

    def candidates(self, q: Period) -> list[Pick]:
        """Every village with its weight and reasons for quarter q, in draw order."""
        if self.first is not None and self.first < q:
            self.sample(q.previous())
        return self._rank(q)

    def _draw(self, q: Period) -> list[Pick]:
        return self._rank(q)[:sample_size(len(self.villages), self.policy.inspection_share)]

    def _rank(self, q: Period) -> list[Pick]:
        cutoff = q.start - timedelta(days=1)
        window = q.previous().previous().previous().previous().start   # the four quarters before q
        lapses: dict[str, int] = defaultdict(int)
        for cell in timeliness(self.county, cutoff, self.policy):
            if cell.is_lapse and cell.period.end >= window:
                lapses[cell.slug] += 1
        defects: dict[str, int] = defaultdict(int)
        for v in self.villages:
            for doc in v.decisions:
                day = decision_date(doc)
                if day is not None and window <= day <= cutoff and self.defects.get((v.slug, doc.id)):
                    defects[v.slug] += 1
        keyed = []
        for v in self.villages:
            last = None
            for k in (1, 2, 3):
                p = q
                for _ in range(k):
                    p = p.previous()
                if self.first is not None and p >= self.first and any(
                        pick.slug == v.slug for pick in self.memo.get(p, [])):
                    last = (k, p)
                    break
            weight = Fraction(1) + 2 * min(defects[v.slug], 3) + Fraction(min(lapses[v.slug], 8), 2)
            if last is not None:
                weight *= RECENCY[last[0]]
            u = _uniform(f"{self.seed(q)}|{v.slug}")
            key = -math.log(u) / float(weight)     # Efraimidis–Spirakis: smallest keys win
            reasons = []
            if defects[v.slug]:
                reasons.append(f"近四个季度有 {defects[v.slug]} 件决策程序存在问题")
            if lapses[v.slug]:
                reasons.append(f"近四个季度公开迟报、缺报或未经审核 {lapses[v.slug]} 期")
            if last is not None:
                reasons.append(f"{last[1].zh}已抽查过，本季降低权重")
            elif self.first is not None and q.previous() >= self.first:
                reasons.append("近三个季度未被抽查")
            if not defects[v.slug] and not lapses[v.slug]:
                reasons.append("近四个季度无程序问题和迟报，随机抽中")
            weight_dec = (Decimal(weight.numerator) / Decimal(weight.denominator)).quantize(CENT)
            keyed.append((key, v.slug, Pick(q, v.slug, weight_dec, tuple(reasons), defects[v.slug],
                                            lapses[v.slug], last[1] if last else None)))
        keyed.sort(key=lambda t: (t[0], t[1]))
        return [pick for _, _, pick in keyed]


def inspection_sample(county: County, q: Period, policy: Policy | None = None) -> list[Pick]:
    """The inspection sample of quarter q: same records and quarter → same sample."""
    return Inspection(county, policy).sample(q)


# ================================================================ datasets


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


# ================================================================ the rollup


@dataclass
class VillageSummary:
    village: Village
    township: str
    code: str
    households: int | None
    population: int | None
    income: Decimal
    expense: Decimal
    decisions: int
    decisions_year: int
    open_notices: int
    last_posted: date | None
    latest_month: str | None

    @property
    def slug(self) -> str:
        return self.village.slug

    @property
    def name(self) -> str:
        return self.village.name


@dataclass
class OpenNotice:
    slug: str
    doc_id: str
    title: str
    column: str
    start: date
    end: date
    days_left: int


@dataclass
class Rollup:
    county: County
    name: str
    code: str
    as_of: date
    year: int
    policy: Policy
    townships: list[str]
    villages: list[VillageSummary]
    cells: list[Cell]
    defects: list[Defect]
    in_progress: list[InProgress]
    open_notices: list[OpenNotice]
    quarter: Period
    inspection: dict[Period, list[Pick]]
    tables: Tables = field(default_factory=dict)
    _cells_by_slug: dict | None = field(default=None, repr=False)

    def village(self, slug: str) -> VillageSummary:
        return next(v for v in self.villages if v.slug == slug)

    def tally(self, slugs: Iterable[str], area: str | None = None) -> Tally:
        if self._cells_by_slug is None:
            self._cells_by_slug = defaultdict(list)
            for c in self.cells:
                self._cells_by_slug[c.slug].append(c)
        t = Tally()
        for slug in set(slugs):
            for c in self._cells_by_slug.get(slug, ()):
                if area is None or c.area == area:
                    t.add(c)
        return t

    def in_township(self, township: str) -> list[VillageSummary]:
        return [v for v in self.villages if v.township == township]

    def rows(self, name: str) -> list[list]:
        return self.tables[name]

    def dicts(self, name: str) -> list[dict]:
        cols = DATASET[name].columns
        return [dict(zip(cols, r)) for r in self.tables[name]]


def compute(county: County, as_of: date, policy: Policy | None = None) -> Rollup:
    """All rollups of a county at a date."""
    policy = policy or county.policy
    name, year = county_name(county), as_of.year
    villages = ordered_villages(county)
    summaries = []
    for v in villages:
        p = v.profile.record if v.profile else None
        this_year = [d.record for d in v.ledgers if d.record.month.startswith(f"{year}-")]
        published = [d.record.month for d in v.ledgers if d.record.posted <= as_of]
        summaries.append(VillageSummary(
            v, township_of(v), p.code if p else "", p.households if p else None, p.population if p else None,
            sum((l.income for l in this_year), ZERO), sum((l.expense for l in this_year), ZERO),
            len(v.decisions), sum(1 for d in v.decisions if (decision_date(d) or date.min).year == year),
            sum(1 for d in v.notices if d.record.start <= as_of <= d.record.end),
            last_posting(v, as_of), max(published) if published else None))
    defects_by_doc = {(v.slug, d.id): decision_defects(d, policy, v.slug) for v in villages for d in v.decisions}
    defects = [x for v in villages for d in sorted(v.decisions, key=lambda d: d.id)
               for x in defects_by_doc[(v.slug, d.id)]]
    in_progress = []
    for v in villages:
        for d in sorted(v.decisions, key=lambda d: d.id):
            rec = d.record
            if rec.status != "已完成" and rec.step("实施结果公开") is None:
                day = decision_date(d)
                in_progress.append(InProgress(v.slug, d.id, rec.title, rec.status, day,
                                              (as_of - day).days if day else None))
    open_notices = sorted(
        (OpenNotice(v.slug, d.id, d.record.title, d.record.column, d.record.start, d.record.end,
                    (d.record.end - as_of).days)
         for v in villages for d in v.notices if d.record.start <= as_of <= d.record.end),
        key=lambda n: (n.end, n.start, n.slug, n.doc_id))
    current = period_of("quarter", as_of)
    inspection = Inspection(county, policy, defects_by_doc).history(current)
    rollup = Rollup(county, name, county_code(county), as_of, year, policy, ordered_townships(county),
                    summaries, timeliness(county, as_of, policy), defects, in_progress, open_notices,
                    current, inspection)
    rollup.tables = build_tables(rollup, defects_by_doc)
    return rollup


# ================================================================ tables of a county


def build_tables(r: Rollup, defects_by_doc: dict) -> Tables:
    from ..records.load import page_id

    t: Tables = {}
    county = r.name
    info = {s.slug: s for s in r.villages}

    def where(slug: str) -> list:
        s = info[slug]
        return [county, s.township, s.name]

    def groups(measures_of) -> list:
        return [(town, [(s.name, measures_of(s)) for s in r.in_township(town)])
                for town in r.townships if r.in_township(town)]

    def masked(slug: str, text: Any) -> str:
        return plain(text, info[slug].village.public_numbers)

    # -- overview
    t["villages"] = [[*where(s.slug), s.code, s.slug, s.households, s.population, r.year, s.income, s.expense,
                      s.decisions, s.decisions_year, s.open_notices, s.latest_month or "", s.last_posted]
                     for s in r.villages]
    t["area-totals"] = tree_rows(DATASET["area-totals"], ("县", county), [
        (town, [("", {(): [1, s.households, s.population, s.income, s.expense, s.decisions, s.decisions_year,
                           s.open_notices]}) for s in r.in_township(town)])
        for town in r.townships if r.in_township(town)])
    t["area-totals"] = [row for row in t["area-totals"] if row[0] != "村"]   # villages: see `villages`
    # -- timeliness
    t["timeliness"] = [[*where(c.slug), c.area, c.period.label, c.period.start, c.period.end, c.due, c.posted,
                        STATUS_ZH[c.status], c.days_late if c.status in ("late", "unreviewed") else None,
                        {True: "是", False: "否"}.get(c.reviewed, ""), c.note] for c in r.cells]

    def tl_measures(s: VillageSummary) -> dict:
        out = {}
        for area in AREAS + ("合计",):
            tally = r.tally([s.slug], None if area == "合计" else area)
            if tally.due or area == "合计":
                out[(area,)] = [tally.due, tally.on_time, tally.late, tally.missing, tally.unreviewed]
        return out
    t["timeliness-totals"] = tree_rows(DATASET["timeliness-totals"], ("县", county), groups(tl_measures))
    # -- finances
    months = sorted({d.record.month for s in r.villages for d in s.village.ledgers})

    def monthly(s: VillageSummary) -> dict:
        by = {d.record.month: d.record for d in s.village.ledgers}
        return {(m,): [by[m].income, by[m].expense] for m in months if m in by}
    t["finance-monthly"] = tree_rows(DATASET["finance-monthly"], ("县", county), groups(monthly))

    def categories(s: VillageSummary) -> dict:
        acc: dict = {}
        years = sorted({int(d.record.month[:4]) for d in s.village.ledgers})
        for y in years:
            for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES:
                acc[(y, "收入" if c in INCOME_CATEGORIES else "支出", c)] = [ZERO]
        for d in s.village.ledgers:
            for e in d.record.entries:
                acc[(int(d.record.month[:4]), "收入" if e.is_income else "支出", e.category)][0] += e.amount
        return acc
    t["finance-categories"] = tree_rows(DATASET["finance-categories"], ("县", county), groups(categories))
    expenses = [(e.amount, e.date, s.slug, e) for s in r.villages for d in s.village.ledgers
                for e in d.record.entries if not e.is_income and e.date.year == r.year]
    expenses.sort(key=lambda x: (-x[0], x[1], x[2], x[3].voucher))
    t["top-expenses"] = [[i, *where(slug), e.date, masked(slug, e.voucher), masked(slug, e.summary), e.category,
                          e.amount] for i, (_, _, slug, e) in enumerate(expenses[:20], 1)]
    t["subsidy-income"] = [[*where(s.slug), e.date, masked(s.slug, e.voucher), masked(s.slug, e.summary),
                            masked(s.slug, e.counterparty), e.amount]
                           for s in r.villages for d in s.village.ledgers for e in d.record.entries
                           if e.category == "补助收入"]
    relief = []
    for s in r.villages:
        for d in sorted(s.village.notices, key=lambda d: (d.record.start, d.id)):
            n = d.record
            if n.column != "政务" or n.table is None:
                continue
            col, total = money_column(n.table.columns, n.table.rows)
            relief.append([*where(s.slug), masked(s.slug, n.title), n.start, n.end, len(n.table.rows), col or "",
                           total, f"{s.slug}/notices/{page_id(d.id)}.html"])
    t["relief-notices"] = relief
    # -- decisions
    rows = []
    for s in r.villages:
        for d in sorted(s.village.decisions, key=lambda d: d.id):
            rec = d.record
            rows.append([*where(s.slug), d.id, masked(s.slug, rec.title), rec.category, rec.amount, rec.status,
                         rec.resolution.date if rec.resolution else None, rec.posted,
                         len(defects_by_doc.get((s.slug, d.id), [])),
                         f"{s.slug}/decisions/{page_id(d.id)}.html"])
    t["decisions"] = rows

    def decision_measures(s: VillageSummary) -> dict:
        acc: dict = {}
        for d in s.village.decisions:
            slot = acc.setdefault((d.record.category,), [0, ZERO, 0])
            slot[0] += 1
            slot[1] += d.record.amount
            slot[2] += 1 if defects_by_doc.get((s.slug, d.id)) else 0
        return dict(sorted(acc.items()))
    t["decision-categories"] = tree_rows(DATASET["decision-categories"], ("县", county), groups(decision_measures))
    t["decision-defects"] = [[*where(x.slug), x.doc_id, masked(x.slug, x.title), x.category, x.severity_zh, x.rule,
                              masked(x.slug, x.reason)] for x in r.defects]
    t["decisions-in-progress"] = [[*where(x.slug), x.doc_id, masked(x.slug, x.title), x.status, x.resolved, x.days]
                                  for x in r.in_progress]
    # -- evaluations
    ev_rows, incompetent = [], []
    for s in r.villages:
        verdicts = {(d.record.year, c.name): c.verdict for d in s.village.evaluations for c in d.record.cadres}
        for d in s.village.evaluations:
            e = d.record
            for c in e.cadres:
                rate = percent(c.votes.satisfied + c.votes.basic, c.participants)
                ev_rows.append([*where(s.slug), e.year, c.name, c.role, role_group(c.role), c.participants,
                                c.votes.satisfied, c.votes.basic, c.votes.unsatisfied, rate, c.verdict])
                if c.verdict == "不称职":
                    twice = verdicts.get((e.year - 1, c.name)) == "不称职"
                    incompetent.append([*where(s.slug), e.year, c.name, c.role, rate, "是" if twice else "否"])
    t["evaluations"] = ev_rows
    t["incompetent"] = incompetent

    def evaluation_measures(s: VillageSummary) -> dict:
        acc: dict = {}
        for d in s.village.evaluations:
            for c in d.record.cadres:
                for group in (role_group(c.role), "全部"):
                    slot = acc.setdefault((d.record.year, group), [0, 0, 0])
                    slot[0] += c.participants
                    slot[1] += c.votes.satisfied + c.votes.basic
                    slot[2] += c.votes.unsatisfied
        order = {g: i for i, g in enumerate(("全部",) + ROLE_GROUPS)}
        return dict(sorted(acc.items(), key=lambda kv: (-kv[0][0], order[kv[0][1]])))
    t["evaluation-totals"] = tree_rows(DATASET["evaluation-totals"], ("县", county), groups(evaluation_measures))
    # -- notices open now
    notice_pages = {(s.slug, d.id): page_id(d.id) for s in r.villages for d in s.village.notices}
    t["open-notices"] = [[*where(n.slug), masked(n.slug, n.title), n.column, n.start, n.end, n.days_left,
                          f"{n.slug}/notices/{notice_pages[(n.slug, n.doc_id)]}.html"] for n in r.open_notices]
    # -- inspection, every quarter from the first record quarter
    t["inspection"] = [[county, q.label, info[p.slug].township, info[p.slug].name, info[p.slug].code, p.weight,
                        p.defects, p.lapses, "；".join(p.reasons)]
                       for q, picks in sorted(r.inspection.items(), reverse=True) for p in picks]
    return t


_MONEY_HEADER = re.compile(r"元|金额|资金|补助|补贴|保障金|救助|发放")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def money_column(columns: list[str], rows: list[list]) -> tuple[str | None, Decimal | None]:
    """The first column of a list that reads as money (its header names money and
    every filled cell is a number), and its total; (None, None) when there is none."""
    for i, header in enumerate(columns):
        if not _MONEY_HEADER.search(header):
            continue
        values = [str(row[i]).strip().replace(",", "") for row in rows
                  if i < len(row) and row[i] is not None and str(row[i]).strip()]
        if values and all(_NUMBER.fullmatch(v) for v in values):
            return header, sum((Decimal(v) for v in values), ZERO).quantize(CENT)
    return None, None
