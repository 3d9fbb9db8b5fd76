"""What every section of a village site renders with: the village, the day,
the output folder, and the one way a page is written (a template filled with
raw values and the village's public numbers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ...records.load import Village, page_id
from ...records.models import Policy, VillageProfile
from ..markup import phone_tables, plain
from ..opendata import write_dataset
from ..templating import render
from .problems import Problem, county_policy, find_problems


class VillagePages:
    """One village's render in progress; each section module takes one."""

    def __init__(self, village: Village, as_of: date, out_dir: Path, policy: Policy | None = None,
                 earlier: Path | None = None) -> None:
        self.village, self.as_of = village, as_of
        self.docs = out_dir / "docs"
        self.earlier = earlier   # the docs folder of this village's last render, or None
        self.profile: VillageProfile | None = village.profile.record if village.profile else None
        self.allowed = village.public_numbers
        # File names of the record pages, shared because sections link to each other.
        self.decision_pages = {d.id: page_id(d.id) for d in village.decisions}
        self.notice_pages = {d.id: page_id(d.id) for d in village.notices}
        self.rule_pages = {d.id: page_id(d.id) for d in village.rules}
        # What the checks found, by record file: shown on the record's page and in its list.
        self.policy = policy if policy is not None else county_policy(village)
        self.problems = find_problems(village, self.policy)

    def problems_of(self, path: Path) -> list[Problem]:
        return self.problems.get(path.resolve(), [])

    def write(self, rel: str, text: str) -> None:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def page(self, rel: str, template: str, **values: Any) -> None:
        """Fill `template` (in cunwu/site/templates) with raw values and write it to `rel`.
        The template escapes and masks; the village's public numbers stay readable.
        Its tables then get their phone form (markup.phone_tables)."""
        self.write(rel, phone_tables(render("cunwu.site", template, allowed=self.allowed, **values)))

    def masked(self, value: Any) -> Any:
        """Text for a file that is not a page (CSV, JSON, SVG): masked, not escaped."""
        return plain(value, self.allowed) if isinstance(value, str) else value

    def dataset(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], **meta: Any) -> None:
        """An open data file pair (CSV + JSON) in data/, named after the village.
        Every text in it is masked here: open data is published like the pages."""
        write_dataset(self.docs / "data", name, [self.masked(c) for c in columns],
                      [[self.masked(v) for v in row] for row in rows],
                      **{k: self.masked(v) for k, v in {"village": self.village.name, **meta}.items()})
