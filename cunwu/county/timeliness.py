"""Disclosure timeliness: one cell per village and period, judged under Art. 30.

Finances are due monthly (or quarterly for villages that declared 按季),
ordinary items quarterly and the democratic evaluation yearly (Art. 33), each
`policy.on_time_days` after its period ends. A period whose deadline has not
passed is pending, never missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ..records.load import County, Village
from ..records.models import Policy
from .facts import decision_date, ordered_villages, ordinary_postings, percent, record_start
from .periods import Period, months_in, periods_between

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
    photo: bool = False       # a photo of the posted board for this period (board/2026-10.jpg)

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


def _cell(slug, area, period, due, posted, reviewed, as_of, note="", photo=False) -> Cell:
    status, late = judge(due, posted, reviewed, as_of)
    return Cell(slug, area, period, due, posted, status, late, reviewed if posted else None, note, photo)


def board_photos(village: Village) -> set[str]:
    """Months with an accepted photo of the posted board (board/2026-10.jpg): proof of posting."""
    return {Path(a.path).stem for a in village.accepted_attachments
            if Path(a.path).parts[0] == "board" and len(Path(a.path).parts) == 2}


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
    photos = board_photos(village)
    for p in periods_between(kind, start, as_of):
        wanted = months_in(p)
        found = [ledgers.get(m) for m in wanted]
        visible = [ledger for ledger in found if ledger is not None and ledger.posted <= as_of]
        absent = [m for m, ledger in zip(wanted, found, strict=True) if ledger is None or ledger.posted > as_of]
        posted = reviewed = None
        note = ""
        if not absent:
            posted = max(ledger.posted for ledger in visible)
            reviewed = all(ledger.review is not None and ledger.review.date <= ledger.posted for ledger in visible)
            if not reviewed:
                note = "公开前未记录民主理财小组/村务监督委员会审核"
        elif kind == "quarter" and len(absent) < len(wanted):
            note = "缺 " + "、".join(absent)
        cells.append(_cell(slug, "财务", p, p.end + days, posted, reviewed, as_of, note,
                           photo=any(m in photos for m in wanted)))
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
                cells.append(_cell(slug, "村务", p, due, max(doc.record.posted for doc in items if doc.record.posted is not None), None, as_of,
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
            reviewed = chaired_by_supervision(village, e.chaired_by) if e is not None and posted else None
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
