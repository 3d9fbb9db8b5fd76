"""搜索 (search.html): every record of the village by section, year and title.

The header's search control links here. Where search cannot run - JavaScript
off, a browser too old for it, the site opened from disk (file://) - this page
is what the control opens: a plain list a villager can scan or find in with
the browser. Where it can run, the same page hosts the search panel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..dates import zh_month
from .base import VillagePages


@dataclass(frozen=True)
class Entry:
    title: str
    href: str     # the page, relative to search.md at the docs root
    when: str     # shown after the title: the month or year


@dataclass(frozen=True)
class Section:
    name: str
    href: str
    years: list[tuple[str, list[Entry]]]


def _by_year(entries: list[tuple[str, Entry]]) -> list[tuple[str, list[Entry]]]:
    years: dict[str, list[Entry]] = defaultdict(list)
    for year, entry in sorted(entries, key=lambda e: (e[0], e[1].when, e[1].href), reverse=True):
        years[year].append(entry)
    return sorted(years.items(), reverse=True)


def records_sections(pages: VillagePages) -> list[Section]:
    v = pages.village
    finance = [(doc.record.month[:4], Entry(f"{zh_month(doc.record.month)}收支明细", f"finance/{doc.record.month}.md",
                                            zh_month(doc.record.month))) for doc in v.ledgers]
    finance += [(year, Entry(f"{year}年财务收支", f"finance/{year}.md", f"{year}年"))
                for year in sorted({doc.record.month[:4] for doc in v.ledgers})]
    decisions = [(doc.id[:4], Entry(doc.record.title, f"decisions/{pages.decision_pages[doc.id]}.md",
                                    zh_month(doc.id[:7]) if doc.id[4:5] == "-" else doc.id[:4] + "年"))
                 for doc in v.decisions]
    rules = [(str(doc.record.current.adopted.year), Entry(doc.record.title, f"rules/{pages.rule_pages[doc.id]}.md",
                                                          f"{doc.record.current.adopted.year}年修订"))
             for doc in v.rules]
    evaluations = [(str(doc.record.year), Entry(f"{doc.record.year}年度村干部民主评议",
                                                f"evaluations/{doc.record.year}.md", f"{doc.record.year}年度"))
                   for doc in v.evaluations]
    notices = [(doc.id[:4], Entry(doc.record.title, f"notices/{pages.notice_pages[doc.id]}.md",
                                  zh_month(doc.id[:7]) if doc.id[4:5] == "-" else doc.id[:4] + "年"))
               for doc in v.notices]
    sections = [("财务公开", "finance/index.md", finance), ("村务决策", "decisions/index.md", decisions),
                ("制度规章", "rules/index.md", rules), ("民主评议", "evaluations/index.md", evaluations),
                ("公示公告", "notices/index.md", notices)]
    return [Section(name, href, _by_year(entries)) for name, href, entries in sections if entries]


def render_records_index(pages: VillagePages) -> None:
    pages.page("search.md", "records_index.md.j2", sections=records_sections(pages))
