"""Facts read straight off a county's records and shared by every rollup: the
order of townships and villages, the county's name and code, when a decision
was taken, what was posted when, and percentages as the portal writes them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..records.load import County, Doc, Village
from ..records.models import Decision

TENTH = Decimal("0.1")
NO_TOWNSHIP = "（未填乡镇）"



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
    out: list[tuple[date, str]] = []
    for notice in village.notices:
        out.append((notice.record.posted, f"公示：{notice.record.title}"))
    for decision in village.decisions:
        for step in decision.record.steps:
            if step.step in ("决议公开", "实施结果公开"):
                out.append((step.date, f"{step.step}：{decision.record.title}"))
    for rule in village.rules:
        for version in rule.record.versions:
            out.append((version.posted, f"制度：{rule.record.title}"))
    for evaluation in village.evaluations:
        out.append((evaluation.record.posted, f"{evaluation.record.year}年度民主评议结果"))
    return out


def last_posting(village: Village, as_of: date) -> date | None:
    days = [day for day, _ in ordinary_postings(village)] + [d.record.posted for d in village.ledgers]
    days = [d for d in days if d <= as_of]
    return max(days) if days else None
