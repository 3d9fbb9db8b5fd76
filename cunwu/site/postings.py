"""What went up on the board, and when: every posting of a village as one list.

A posting is one thing a villager could read on the board from a given day:
a notice, a decision's resolution or result, an evaluation, a version of the
village rules, a month's accounts. The board sheets (pages/paper.py) group them
by period and column; the feeds (feeds.py) list them newest first. Each knows
its page on the village site, so that paper and feed both point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..records.load import Village, page_id
from .dates import zh_month

# A site address from county.yml: http(s), a host, an optional plain path. Anything
# else is not printed as a code (records/models.py validates it for the check).
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?")


def site_address(site_url: str) -> str:
    """The county's public address without its trailing slash, or "" when unset or unusable."""
    url = site_url.strip()
    return url.rstrip("/") if _SITE_URL.fullmatch(url) else ""


@dataclass(frozen=True)
class Posting:
    day: date
    column: str          # 党务 村务 财务 政务
    kind: str            # notice | resolution | result | evaluation | rule | finance
    title: str           # raw clerk text: masked and escaped where it is printed
    page: str            # the record's page, relative to the village site: notices/2024-04-ab12cd.html
    record: Any = None

    @property
    def key(self) -> tuple[date, str, str]:
        return (self.day, self.page, self.kind)


def village_postings(village: Village, as_of: date) -> list[Posting]:
    """Every posting of `village` up to `as_of`, newest first."""
    out: list[Posting] = []
    for notice in village.notices:
        n = notice.record
        out.append(Posting(n.posted, n.column, "notice", n.title, f"notices/{page_id(notice.id)}.html", n))
    for decision in village.decisions:
        d = decision.record
        for step in d.steps:
            if step.step in ("决议公开", "实施结果公开"):
                kind = "resolution" if step.step == "决议公开" else "result"
                out.append(Posting(step.date, "村务", kind, f"{d.title}（{step.step}）",
                                   f"decisions/{page_id(decision.id)}.html", d))
    for evaluation in village.evaluations:
        e = evaluation.record
        out.append(Posting(e.posted, "村务", "evaluation", f"{e.year}年度民主评议结果", f"evaluations/{e.year}.html", e))
    for rule in village.rules:
        r = rule.record
        for version in r.versions:
            out.append(Posting(version.posted, "村务", "rule", f"{r.title}（{version.version}）",
                               f"rules/{page_id(rule.id)}.html", r))
    for ledger_doc in village.ledgers:
        ledger = ledger_doc.record
        out.append(Posting(ledger.posted, "财务", "finance", f"{zh_month(ledger.month)}财务收支公开",
                           f"finance/{ledger.month}.html", ledger))
    return sorted((p for p in out if p.day <= as_of), key=lambda p: p.key, reverse=True)
