"""村务决策: a page a decision with its 四议两公开 timeline (missing steps shown
as missing), the ledger entries that paid it with a running total against the
approved amount, the notices that published it, and the index by year."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ...records.checks.ledgers import decision_entries, paid
from ...records.load import Doc
from ...records.models import SIX_STEPS, STEP_ORDER, Decision, Entry, Notice, Step
from ...records.money import ZERO
from .base import VillagePages


@dataclass(frozen=True)
class TimelineStep:
    name: str
    step: Step | None        # None: a step the record lacks
    notice: tuple[str, str] | None = None   # (title, page) of the notice that published it


@dataclass(frozen=True)
class Payment:
    month: str
    entry: Entry
    signed: Decimal          # what it adds to the total paid (income named with the decision subtracts)
    running: Decimal


def timeline(d: Decision, notices: dict[str, tuple[str, str]]) -> list[TimelineStep]:
    """The six steps in order: the recorded ones, and in their place the ones
    that are required but missing (实施结果公开 only once the work is done)."""
    by_pos = {STEP_ORDER[s.step]: s for s in d.steps}
    out = []
    for pos, name in enumerate(SIX_STEPS):
        step = by_pos.get(pos)
        if step is None and pos == 5 and d.status != "已完成":
            continue
        shown = step.step if step else name
        out.append(TimelineStep(shown, step, notices.get(shown)))
    # steps recorded twice or out of order keep their place after the six
    return out


def published_by(d: Decision, notices: list[Doc[Notice]], pages: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The notices that published the resolution and the result: posted on the
    step's day with the decision's title (or 决议/结果) in theirs."""
    out: dict[str, tuple[str, str]] = {}
    for name, word in (("决议公开", "决议"), ("实施结果公开", "结果")):
        step = d.step(name)
        if step is None:
            continue
        candidates = [n for n in notices if n.record.start == step.date or n.record.posted == step.date]
        best = ([n for n in candidates if d.title in n.record.title]
                or [n for n in candidates if word in n.record.title and n.record.column in ("村务", "财务")])
        if best:
            out[name] = (best[0].record.title, pages[best[0].id])
    return out


def payments(links: list) -> list[Payment]:
    rows, total = [], ZERO
    for doc, _, entry in links:
        signed = -entry.amount if entry.is_income else entry.amount
        total += signed
        rows.append(Payment(doc.record.month, entry, signed, total))
    return rows


def render_decisions(pages: VillagePages) -> None:
    docs = sorted(pages.village.decisions, key=lambda d: d.id, reverse=True)
    links = decision_entries(pages.village.ledgers)
    by_year: dict[str, list[Doc[Decision]]] = defaultdict(list)
    for doc in docs:
        render_decision(pages, doc, links.get(doc.id, []))
        by_year[doc.id[:4]].append(doc)
    rows = []
    for doc in docs:
        d = doc.record
        rows.append([doc.id, d.title, d.category, d.amount, d.status, d.resolution.date if d.resolution else None,
                     d.posted])
    pages.dataset("decisions", ["编号", "事项", "类别", "金额", "实施情况", "决议日期", "决议公开日期"], rows)
    categories = Counter(doc.record.category for doc in docs)
    pages.page("decisions/index.md", "decisions_index.md.j2", pages=pages.decision_pages, six_steps=SIX_STEPS,
               years=[(year, by_year[year]) for year in sorted(by_year, reverse=True)],
               categories=sorted(categories.items()),
               problems={doc.id: pages.problems_of(doc.path) for doc in docs},
               paid={doc.id: paid(links[doc.id]) for doc in docs if doc.id in links})


def render_decision(pages: VillagePages, doc: Doc[Decision], links: list) -> None:
    d = doc.record
    notices = published_by(d, pages.village.notices, pages.notice_pages)
    rows = payments(links)
    total = rows[-1].running if rows else ZERO
    pages.page(f"decisions/{pages.decision_pages[doc.id]}.md", "decision.md.j2", decision=d, body=doc.src.body,
               steps=timeline(d, notices),
               problems=pages.problems_of(doc.path), payments=rows, total=total,
               remaining=d.amount - total)
