"""民主评议: a page a year with the votes per cadre as a chart and a table, each
cadre's rate and report, and the index."""

from __future__ import annotations

from decimal import Decimal

from ...records.models import CadreEvaluation
from ...records.money import ZERO
from .. import charts
from .base import VillagePages


def satisfaction(cadre: CadreEvaluation) -> Decimal:
    """满意 + 基本满意 as a percentage of those who took part."""
    votes = cadre.votes
    return Decimal(votes.satisfied + votes.basic) * 100 / cadre.participants if cadre.participants else ZERO


def render_evaluations(pages: VillagePages) -> None:
    data = []
    docs = list(reversed(pages.village.evaluations))
    evaluations = [doc.record for doc in docs]
    problems = {doc.record.year: pages.problems_of(doc.path) for doc in docs}
    for e in evaluations:
        folder = pages.docs / "evaluations"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{e.year}.svg").write_text(charts.stacked_votes(
            f"{e.year}年度民主评议票数",
            [(pages.masked(c.name), c.votes.satisfied, c.votes.basic, c.votes.unsatisfied) for c in e.cadres]), encoding="utf-8")
        data += [[e.year, c.name, c.role, c.participants, c.votes.satisfied, c.votes.basic, c.votes.unsatisfied,
                  c.verdict, c.stipend] for c in e.cadres]
        pages.page(f"evaluations/{e.year}.md", "evaluation.md.j2", evaluation=e,
                   cadres=[(c, satisfaction(c)) for c in e.cadres], problems=problems[e.year])
    pages.dataset("evaluations", ["年度", "姓名", "职务", "参评人数", "满意", "基本满意", "不满意", "评议结果", "全年误工补贴"],
                  data)
    pages.page("evaluations/index.md", "evaluations_index.md.j2", evaluations=evaluations, problems=problems)
