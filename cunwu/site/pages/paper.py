"""Paper and web in step (线上线下同步公开): the board sheets, the poster, proof
of posting and each record's history.

- A **board sheet** per period (board/2026-10.html): a print page laid out as
  the physical board — 党务/村务/财务/政务 side by side with what went up that
  month, the accounts posted that month with their entries, the notices still
  open — for A3 landscape (#a3) or A4 portrait (the default). Every item has a
  QR code to its page, and the sheet one to the village site, when county.yml
  gives `site_url`; without it the sheet says so and prints no codes.
- A **poster** (poster.html): the village's code and how to read the board on
  a phone, for the board's corner and the village's WeChat group.
- **Proof of posting:** a photo of the posted board, board/2026-10.jpg among
  the village's files, is shown on that period's sheet (loaded when tapped).
- **History:** with git, each record page ends with when it was first published
  and every later change (field, old, new); changes after the posting date are
  marked, and the village home lists them.

QR codes are SVG files made by segno (no network), named by the hash of the
address they hold, and shown with <img>: nothing here is inline markup.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import segno

from ...records.history import RecordHistory, history_of
from ...records.load import Doc, page_id
from ...records.models import BOARD_COLUMNS, Notice
from ...records.months import month_bounds, month_key
from ..feeds import FEED_FILE, village_feed, write_feed
from ..postings import Posting, site_address, village_postings
from .base import VillagePages

BOARD = "board"          # folder of the sheets on the site and of the photos among the village's files
QR_DIR = "board/qr"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass(frozen=True)
class SheetItem:
    posting: Posting
    qr: str = ""          # the code's file, relative to the sheet
    open_only: bool = False   # a notice posted earlier and still open in this period


# The mask of an item's code. Any of the eight masks makes a valid code (a reader
# takes it from the code's format bits); choosing the best one by the standard's
# penalty score costs two thirds of a code's time, and a county prints thousands
# of item codes (one per record and period). The village's own code, the one on
# the poster that is scanned from afar, still gets the best mask.
ITEM_MASK = 2
# How a code is drawn; part of its file's name with what it encodes.
QR_SVG: dict[str, Any] = {"kind": "svg", "scale": 4, "border": 2, "xmldecl": False, "title": None, "desc": None}


def qr_file(docs: Path, url: str, mask: int | None = ITEM_MASK, earlier: Path | None = None) -> str:
    """Write the QR code of `url` as an SVG under board/qr/ (with `mask`, or the
    best mask when None); returns its name there. The name is a digest of what
    the code is made from, so a code the last render of this village wrote (in
    `earlier`, that render's docs folder) is copied instead of made again: a
    village re-renders its two hundred codes for any change to its records."""
    name = hashlib.sha256(f"{url} {mask} {segno.__version__} {sorted(QR_SVG.items())}".encode()).hexdigest()[:16]
    name += ".svg"
    path = docs / QR_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        made = earlier / QR_DIR / name if earlier is not None else None
        if made is not None and made.is_file() and not made.is_symlink():
            shutil.copyfile(made, path)
        else:
            buffer = io.BytesIO()
            segno.make(url, error="m", mask=mask).save(buffer, **QR_SVG)
            path.write_bytes(buffer.getvalue())
    return name


def _months(postings: list[Posting]) -> list[str]:
    return sorted({month_key(p.day) for p in postings}, reverse=True)


def _photos(pages: VillagePages) -> dict[str, str]:
    """period → the accepted photo of the posted board (board/2026-10.jpg)."""
    found: dict[str, str] = {}
    for a in pages.village.accepted_attachments:
        path = Path(a.path)
        if path.parts[0] == BOARD and len(path.parts) == 2 and path.suffix.lower() in PHOTO_SUFFIXES:
            found.setdefault(path.stem, path.name)
    return found


def render_paper(pages: VillagePages, site_url: str = "") -> None:
    """Board sheets, their index, the poster, the feed, history on record pages and
    the home page's sections about them (appended after the home page is written)."""
    village = pages.village
    base = site_address(site_url)
    postings = village_postings(village, pages.as_of)
    photos = _photos(pages)
    village_url = f"{base}/{village.slug}/index.html" if base else ""
    village_qr = qr_file(pages.docs, village_url, mask=None, earlier=pages.earlier) if base else ""
    periods = _months(postings)
    by_month: dict[str, list[Posting]] = defaultdict(list)
    for p in postings:
        by_month[month_key(p.day)].append(p)
    for month in periods:
        render_sheet(pages, month, by_month[month], base, village_qr, photos.get(month, ""))
    pages.page(f"{BOARD}/index.md", "board_index.md.j2", name=village.name,
               periods=[(m, len(by_month[m]), m in photos) for m in periods], site_url=base)
    pages.page("poster.md", "poster.md.j2", name=village.name, profile=pages.profile,
               qr=f"{QR_DIR}/{village_qr}" if village_qr else "", village_url=village_url)
    code = pages.profile.code if pages.profile else ""
    write_feed(pages.docs, village_feed(village.slug, village.name, code, postings, base, pages.allowed))
    events = render_histories(pages)
    home = pages.docs / "index.md"
    if home.exists():
        extra = _render(pages, "home_paper.md.j2", events=events, latest=periods[0] if periods else "",
                        feed=FEED_FILE)
        home.write_text(home.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + extra, encoding="utf-8")


def _render(pages: VillagePages, template: str, **values: Any) -> str:
    from ..markup import phone_tables
    from ..templating import render
    return phone_tables(render("cunwu.site", template, allowed=pages.allowed, **values))


def render_sheet(pages: VillagePages, month: str, posted: list[Posting], base: str, village_qr: str,
                 photo: str) -> None:
    v = pages.village
    first = month_bounds(month)[0]
    last = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    columns: dict[str, list[SheetItem]] = {c: [] for c in BOARD_COLUMNS}

    def item(p: Posting, open_only: bool = False) -> SheetItem:
        qr = qr_file(pages.docs, f"{base}/{v.slug}/{p.page}", earlier=pages.earlier) if base else ""
        return SheetItem(p, f"qr/{qr}" if qr else "", open_only)

    for p in sorted(posted, key=lambda p: (p.day, p.page)):
        columns[p.column].append(item(p))
    posted_pages = {p.page for p in posted}
    still_open: list[Doc[Notice]] = [d for d in v.notices if d.record.start < last and d.record.end >= first
                                     and d.record.posted < first]
    for doc in sorted(still_open, key=lambda d: (d.record.start, d.id)):
        n = doc.record
        page = f"notices/{page_id(doc.id)}.html"
        if page not in posted_pages:
            columns[n.column].append(item(Posting(n.posted, n.column, "notice", n.title, page, n), open_only=True))
    ledgers = [p.record for p in posted if p.kind == "finance"]
    pages.page(f"{BOARD}/{month}.md", "board_sheet.md.j2", name=v.name, profile=pages.profile, month=month,
               columns=[(c, columns[c]) for c in BOARD_COLUMNS], ledgers=ledgers, site_url=base,
               village_qr=f"qr/{village_qr}" if village_qr else "", photo=photo, as_of=pages.as_of)


# ---------------------------------------------------------------- history on record pages


@dataclass(frozen=True)
class Event:
    """A change after posting, as the home page lists it."""

    title: str
    page: str          # the page's Markdown file, relative to the site root
    history: RecordHistory


def _record_pages(pages: VillagePages) -> list[tuple[Doc[Any], str, str]]:
    """(doc, page .md relative to docs, title) of every record page."""
    v = pages.village
    out: list[tuple[Doc[Any], str, str]] = []
    out += [(d, f"finance/{d.record.month}.md", f"{d.record.month} 财务收支") for d in v.ledgers]
    out += [(d, f"decisions/{pages.decision_pages[d.id]}.md", d.record.title) for d in v.decisions]
    out += [(d, f"notices/{pages.notice_pages[d.id]}.md", d.record.title) for d in v.notices]
    out += [(d, f"rules/{pages.rule_pages[d.id]}.md", d.record.title) for d in v.rules]
    out += [(d, f"evaluations/{d.record.year}.md", f"{d.record.year}年度民主评议") for d in v.evaluations]
    return out


def render_histories(pages: VillagePages) -> list[Event]:
    """Append each record's history to its page; returns the changes after posting."""
    history = pages.village.history
    if history is None:
        return []
    events: list[Event] = []
    for doc, rel, title in _record_pages(pages):
        rec = history_of(history, doc.path)
        path = pages.docs / rel
        if rec is None or not path.exists():
            continue
        block = _render(pages, "_history.md.j2", history=rec)
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + block, encoding="utf-8")
        if rec.events:
            events.append(Event(title, rel, rec))
    events.sort(key=lambda e: (e.history.events[-1].day, e.page), reverse=True)
    return events
