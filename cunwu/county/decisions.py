"""Decisions seen from the county: procedural defects (四议两公开, quorum and
majority) exactly as `cunwu check` reports them, and decisions still waiting
for their implementation result to be posted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..records.check import check_decision
from ..records.diagnostics import Report
from ..records.load import Doc
from ..records.models import Decision, Policy


@dataclass(frozen=True)
class Defect:
    slug: str
    doc_id: str
    title: str
    category: str
    severity: str     # "error" | "warning"
    rule: str
    reason: str       # Chinese, for readers

    @property
    def severity_zh(self) -> str:
        return "错误" if self.severity == "error" else "提醒"


def reader_reason(message: str) -> str:
    """A checker message without its instructions to the clerk ("请……")."""
    parts = [p for p in re.split(r"(?<=。)", message) if p]
    kept = [p for p in parts if not p.startswith("请")]
    return "".join(kept).strip() or message


def decision_defects(doc: Doc[Decision], policy: Policy, slug: str = "") -> list[Defect]:
    """Procedural defects of one decision: 四议两公开 steps missing or out of order,
    quorum or majority not met … exactly what `cunwu check` reports, read from a
    fresh Report so that it works on any input, errors included."""
    report = Report()
    check_decision(doc, policy, report)
    d = doc.record
    seen, out = set(), []
    for diag in report.items:
        key = (diag.rule, diag.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(Defect(slug, doc.id, d.title, d.category, diag.severity, diag.rule,
                          reader_reason(diag.message)))
    return out


@dataclass(frozen=True)
class InProgress:
    slug: str
    doc_id: str
    title: str
    status: str
    resolved: date | None
    days: int | None

