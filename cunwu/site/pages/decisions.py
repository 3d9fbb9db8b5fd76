"""村务决策: a page a decision with its 四议两公开 timeline, and the index by year."""

from __future__ import annotations

from collections import Counter, defaultdict

from ...records.load import Doc
from ...records.models import Decision
from ..synonyms import search_tags
from .base import VillagePages


def render_decisions(pages: VillagePages) -> None:
    docs = sorted(pages.village.decisions, key=lambda d: d.id, reverse=True)
    by_year: dict[str, list[Doc[Decision]]] = defaultdict(list)
    for doc in docs:
        render_decision(pages, doc)
        by_year[doc.id[:4]].append(doc)
    rows = []
    for doc in docs:
        d = doc.record
        rows.append([doc.id, d.title, d.category, d.amount, d.status, d.resolution.date if d.resolution else None,
                     d.posted])
    pages.dataset("decisions", ["编号", "事项", "类别", "金额", "实施情况", "决议日期", "决议公开日期"], rows)
    categories = Counter(doc.record.category for doc in docs)
    pages.page("decisions/index.md", "decisions_index.md.j2", pages=pages.decision_pages,
               years=[(year, by_year[year]) for year in sorted(by_year, reverse=True)],
               categories=sorted(categories.items()))


def render_decision(pages: VillagePages, doc: Doc[Decision]) -> None:
    d = doc.record
    pages.page(f"decisions/{pages.decision_pages[doc.id]}.md", "decision.md.j2", decision=d, body=doc.src.body,
               tags=search_tags(d.title, d.category, doc.src.body))
