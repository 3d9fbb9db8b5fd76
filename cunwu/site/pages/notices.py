"""公示公告: a page a notice with its period, text and list of names, and the
index: what is being posted now, then each board column."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from ...records.load import Doc
from ...records.models import BOARD_COLUMNS, Notice
from .base import VillagePages


class NoticeState(NamedTuple):
    label: str      # as printed on the page
    modifier: str   # CSS modifier, also read by cunwu.js


def notice_state(notice: Notice, as_of: date) -> NoticeState:
    """Whether a notice is pending, being posted or over at a date."""
    if as_of < notice.start:
        return NoticeState("未开始", "pending")
    if as_of <= notice.end:
        return NoticeState("公示中", "open")
    return NoticeState("已结束", "closed")


class NoticeLine(NamedTuple):
    """A notice as one line of a list: the record, its page and its state at build time."""

    notice: Notice
    page: str
    state: NoticeState


def notice_line(pages: VillagePages, doc: Doc[Notice]) -> NoticeLine:
    return NoticeLine(doc.record, pages.notice_pages[doc.id], notice_state(doc.record, pages.as_of))


def render_notices(pages: VillagePages) -> None:
    docs = sorted(pages.village.notices, key=lambda d: (d.record.start, d.id), reverse=True)
    lines = [notice_line(pages, d) for d in docs]
    columns = [(column, [line for line in lines if line.notice.column == column]) for column in BOARD_COLUMNS]
    pages.dataset("notices", ["编号", "标题", "栏目", "开始日期", "结束日期", "公布日期"],
                  [[d.id, d.record.title, d.record.column, d.record.start, d.record.end, d.record.posted] for d in docs])
    for doc in docs:
        render_notice(pages, doc)
    pages.page("notices/index.md", "notices_index.md.j2", as_of=pages.as_of,
               open_now=[line for line in lines if line.state.modifier != "closed"],
               columns=[(column, these) for column, these in columns if these])


def render_notice(pages: VillagePages, doc: Doc[Notice]) -> None:
    n = doc.record
    pid = pages.notice_pages[doc.id]
    if n.table:
        pages.dataset(f"notice-{pid}", n.table.columns, n.table.rows,
                      title=n.title, start=n.start, end=n.end)
    pages.page(f"notices/{pid}.md", "notice.md.j2", line=notice_line(pages, doc), body=doc.src.body)
