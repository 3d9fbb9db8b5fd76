"""The county's side of paper and web in step: changes made after posting,
counted per village on the portal's overview, and the county's Atom feed of
every village's postings (site/feeds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..records.load import County, Village
from ..site.feeds import FEED_FILE, county_feed, write_feed
from ..site.markup import phone_tables
from ..site.postings import site_address, village_postings
from ..site.templating import render
from .facts import ordered_villages


@dataclass(frozen=True)
class IntegrityRow:
    slug: str
    name: str
    township: str
    records: int        # records changed after their posting date
    changes: int        # such changes (commits), all records together
    latest: date


def integrity_rows(county: County) -> list[IntegrityRow]:
    """Villages with records changed after posting (from git; none without it)."""
    rows = []
    for village in ordered_villages(county):
        events = [r for h in (village.history or {}).values() for r in h.events]
        if events:
            changed = sum(1 for h in (village.history or {}).values() if h.events)
            township = village.profile.record.township if village.profile else ""
            rows.append(IntegrityRow(village.slug, village.name, township, changed, len(events),
                                     max(r.day for r in events)))
    return rows


def site_url_of(county: County) -> str:
    return site_address(county.config.record.site_url) if county.config else ""


def render_county_paper(docs: Path, county: County, as_of: date) -> None:
    """Write the county feed and add the changes-after-posting count to the overview."""
    villages: list[Village] = ordered_villages(county)
    name = county.config.record.name if county.config else "本县"
    code = county.config.record.code if county.config else ""
    write_feed(docs, county_feed(name, code, [(v.slug, v.name, village_postings(v, as_of), v.public_numbers)
                                              for v in villages], site_url_of(county)))
    index = docs / "index.md"
    if not index.exists():
        return
    rows = integrity_rows(county)
    text = render("cunwu.county", "integrity.md.j2", allowed=frozenset(), rows=rows,
                  git=any(v.history is not None for v in villages), feed=FEED_FILE,
                  total=sum(r.records for r in rows))
    index.write_text(index.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + phone_tables(text), encoding="utf-8")
