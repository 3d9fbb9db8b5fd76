"""制度规章: village rules, the charter and the list of small powers, each with
every version it has had and what changed between them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import pairwise

from ...records.load import Doc
from ...records.models import Rule, RuleVersion
from .base import VillagePages

_CHANGE = {"replace": "修改", "delete": "删去", "insert": "新增"}


@dataclass(frozen=True)
class Change:
    """One changed passage between two versions: what kind, the old lines, the new lines."""

    label: str
    old: list[str]
    new: list[str]


@dataclass(frozen=True)
class Revision:
    older: RuleVersion
    newer: RuleVersion
    changes: list[Change]


def _lines(version: RuleVersion) -> list[str]:
    """What is compared: a power as its name and flow, or the text's non-empty lines."""
    if version.powers:
        return [f"{p.name}：{' → '.join(p.steps)}" for p in version.powers]
    return [line.strip() for line in (version.text or "").splitlines() if line.strip()]


def changes(older: RuleVersion, newer: RuleVersion) -> list[Change]:
    a, b = _lines(older), _lines(newer)
    return [Change(_CHANGE[tag], a[i1:i2], b[j1:j2])
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if tag != "equal"]


def render_rules(pages: VillagePages) -> None:
    docs = sorted(pages.village.rules, key=lambda d: d.record.kind)
    for doc in docs:
        render_rule(pages, doc)
    pages.page("rules/index.md", "rules_index.md.j2", rules=[(doc.record, pages.rule_pages[doc.id]) for doc in docs])


def render_rule(pages: VillagePages, doc: Doc[Rule]) -> None:
    versions = sorted(doc.record.versions, key=lambda v: v.adopted)
    pages.page(f"rules/{pages.rule_pages[doc.id]}.md", "rule.md.j2", rule=doc.record, versions=versions,
               revisions=[Revision(older, newer, changes(older, newer)) for older, newer in pairwise(versions)],
               decision_pages=pages.decision_pages)
