"""The quarter's inspection sample: at least `policy.inspection_share` of the
villages, drawn reproducibly and weighted towards villages with problems.

The weights and the reasons a village was drawn are defined here once; the
portal's explanation to readers is generated from the same constants.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from ..records.load import County
from ..records.models import Policy
from ..records.money import CENT
from .decisions import Defect, decision_defects
from .facts import county_code, decision_date, record_start
from .periods import Period, period_of
from .timeliness import timeliness


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


# The weight of a village in the draw, and the words that explain it to readers
# (the portal's inspection page is generated from these, so it cannot drift):
#   weight = BASE_WEIGHT + Σ factor × min(count, cap) over WEIGHT_FACTORS,
#   then × RECENCY[k] if the village was inspected k quarters ago.


@dataclass(frozen=True)
class WeightFactor:
    factor: Fraction
    cap: int          # counted up to this many, so one bad quarter does not decide every draw
    counts: str       # what is counted, in Chinese
    unit: str         # 件 / 期


BASE_WEIGHT = Fraction(1)
DEFECT_FACTOR = WeightFactor(Fraction(2), 3, "近四个季度有程序问题的决策件数", "件")
LAPSE_FACTOR = WeightFactor(Fraction(1, 2), 8, "近四个季度迟报、缺报、未审的期数", "期")
WEIGHT_FACTORS = (DEFECT_FACTOR, LAPSE_FACTOR)


@dataclass(frozen=True)
class Recency:
    quarters_ago: int
    factor: Fraction
    label: str        # how the portal names it


RECENCY = (Recency(1, Fraction(1, 4), "上季度抽过的权重"), Recency(2, Fraction(1, 2), "两个季度前"),
           Recency(3, Fraction(3, 4), "三个季度前"))


def weight_of(defects: int, lapses: int, last_inspected: int | None) -> Fraction:
    """A village's weight from its counts and how many quarters ago it was last inspected."""
    weight = BASE_WEIGHT + sum((f.factor * min(n, f.cap) for f, n in zip(WEIGHT_FACTORS, (defects, lapses),
                                                                          strict=True)), Fraction(0))
    for r in RECENCY:
        if r.quarters_ago == last_inspected:
            weight *= r.factor
    return weight


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
            for k in (r.quarters_ago for r in RECENCY):
                p = q
                for _ in range(k):
                    p = p.previous()
                if self.first is not None and p >= self.first and any(
                        pick.slug == v.slug for pick in self.memo.get(p, [])):
                    last = (k, p)
                    break
            weight = weight_of(defects[v.slug], lapses[v.slug], last[0] if last else None)
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
