"""公开栏, the home page: the board's columns with what was posted lately, the
latest month's figures, and the village's profile, roster and contacts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from ...records.models import BOARD_COLUMNS
from ..markup import tel_href
from .base import VillagePages
from .books import audit_anchor
from .notices import notice_line

COLUMN_CLASS = {"党务": "party", "村务": "affairs", "财务": "finance", "政务": "government"}
RECENT_DAYS = 92   # "lately" on the board: about one quarter
COLUMN_LINES = 8   # a column shows this many lines, newest first


@dataclass(frozen=True)
class BoardLine:
    """One line of a board column. `kind` says which record it shows and how
    (the template has one form per kind): notice, step, evaluation, rule,
    branch, finance."""

    kind: str
    day: date
    record: Any
    page: str = ""
    detail: Any = None


def board_lines(pages: VillagePages) -> dict[str, list[BoardLine]]:
    """What each column of the board shows: what is posted now or was lately, newest first."""
    v, as_of = pages.village, pages.as_of
    recent = as_of - timedelta(days=RECENT_DAYS)
    items: dict[str, list[BoardLine]] = defaultdict(list)
    for notice_doc in v.notices:
        n = notice_doc.record
        if n.end >= as_of or n.posted >= recent:
            items[n.column].append(BoardLine("notice", n.posted, notice_line(pages, notice_doc)))
    for decision_doc in v.decisions:
        d = decision_doc.record
        for step in d.steps:
            if step.step in ("决议公开", "实施结果公开") and recent <= step.date <= as_of:
                items["村务"].append(BoardLine("step", step.date, d, pages.decision_pages[decision_doc.id], step))
    for evaluation_doc in v.evaluations:
        e = evaluation_doc.record
        if recent <= e.posted <= as_of:
            items["村务"].append(BoardLine("evaluation", e.posted, e))
    for rule_doc in v.rules:
        r = rule_doc.record
        if recent <= r.current.posted <= as_of:
            items["村务"].append(BoardLine("rule", r.current.posted, r, pages.rule_pages[rule_doc.id]))
    if pages.profile is not None and pages.profile.roster.party_branch:
        items["党务"].append(BoardLine("branch", date.min, pages.profile.roster.party_branch))
    lines = {column: sorted(items[column], key=lambda line: line.day, reverse=True) for column in BOARD_COLUMNS}
    latest = v.ledgers[-1].record if v.ledgers else None
    if latest is not None:
        lines["财务"].insert(0, BoardLine("finance", latest.posted, latest))
    return {column: these[:COLUMN_LINES] for column, these in lines.items()}


def render_home(pages: VillagePages) -> None:
    v = pages.village
    lines = board_lines(pages)
    # Art. 35: each term-end or leaving-office audit, linked from the roster
    audits = [(audit_anchor(d.id), d.record) for d in sorted(v.audits, key=lambda d: d.record.date, reverse=True)]
    pages.page("index.md", "home.md.j2", name=v.name, profile=pages.profile, as_of=pages.as_of,
               latest=v.ledgers[-1].record if v.ledgers else None, audits=audits,
               columns=[(column, COLUMN_CLASS[column], lines[column]) for column in BOARD_COLUMNS],
               tels=contact_links(pages))


def contact_links(pages: VillagePages) -> dict[str, Markup]:
    """The contact table's numbers as tel: links (tap to call), when public."""
    if pages.profile is None:
        return {}
    contact = pages.profile.contact
    found = {label: tel_href(value, pages.allowed) for label, value in
             (("电话", contact.phone), ("乡镇电话", contact.township_phone))}
    return {label: target for label, target in found.items() if target is not None}
