"""Atom feeds: what was posted, newest first, for a village and for the county.

A feed reader (or a WeChat bot the county runs) learns of a new notice without
anyone opening the site. Made with feedgen; every text is masked like the pages
(feedgen escapes it for XML). Links are absolute when county.yml gives
`site_url`, relative to the feed otherwise. Nothing depends on the clock: the
feed's `updated` is its newest posting, so the same records give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from .markup import plain_line
from .postings import Posting

FEED_FILE = "feed.xml"
MAX_ENTRIES = 60          # a feed is read often on weak networks: the latest postings only
CHINA = timezone(timedelta(hours=8))
KIND_NAMES = {"notice": "公示公告", "resolution": "决议公开", "result": "实施结果公开", "evaluation": "民主评议",
              "rule": "制度规章", "finance": "财务公开"}


def _stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=CHINA)


def _feed(feed_id: str, title: str, home: str, self_link: str,
          entries: Sequence[tuple[Posting, str, str, frozenset[str]]]) -> bytes:
    """`entries`: (posting, its link, its village's name, the village's public numbers), newest first."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.link(href=home, rel="alternate")
    fg.link(href=self_link, rel="self")
    fg.language("zh-CN")
    fg.author({"name": title})
    fg.generator("cunwu")
    newest = entries[0][0].day if entries else date(2000, 1, 1)
    fg.updated(_stamp(newest))
    for posting, link, village, allowed in entries[:MAX_ENTRIES]:
        entry = fg.add_entry(order="append")
        entry.id(f"{feed_id}:{posting.page}:{posting.kind}:{posting.day.isoformat()}")
        entry.title(plain_line(f"{posting.title}", allowed))
        entry.link(href=link, rel="alternate")
        entry.updated(_stamp(posting.day))
        entry.published(_stamp(posting.day))
        entry.category(term=posting.column, label=f"{posting.column}公开")
        entry.summary(plain_line(f"{village} · {posting.column}公开 · {KIND_NAMES.get(posting.kind, '')} · "
                            f"{posting.day.isoformat()} 公布", allowed))
    return fg.atom_str(pretty=True)


def village_feed(slug: str, name: str, code: str, postings: Iterable[Posting], site_url: str,
                 allowed: frozenset[str] = frozenset()) -> bytes:
    """The village's feed.xml (at its site's root)."""
    base = f"{site_url}/{slug}/" if site_url else ""
    entries = [(p, base + p.page, name, allowed) for p in postings]
    return _feed(f"urn:cunwu:village:{code or slug}", plain_line(f"{name}村务公开", allowed),
                 base + "index.html", base + FEED_FILE, entries)


def county_feed(name: str, code: str, villages: Iterable[tuple[str, str, list[Posting], frozenset[str]]],
                site_url: str) -> bytes:
    """The county's feed.xml (at the portal's root): every village's postings, newest first."""
    base = f"{site_url}/" if site_url else ""
    entries = [(p, f"{base}{slug}/{p.page}", village, allowed)
               for slug, village, postings, allowed in villages for p in postings]
    entries.sort(key=lambda e: (e[0].day, e[1], e[0].kind), reverse=True)
    return _feed(f"urn:cunwu:county:{code or name}", plain_line(f"{name}村务公开动态"), base + "index.html",
                 base + FEED_FILE, entries)


def write_feed(docs: Path, data: bytes) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    (docs / FEED_FILE).write_bytes(data)
