"""Evaluation rules: the yearly 民主评议 (Art. 33) adds up, is posted after the
meeting, and two consecutive 不称职 verdicts are flagged."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from ..diagnostics import Report
from ..load import Doc
from ..models import Evaluation, VillageProfile


def check_evaluations(evaluations: list[Doc[Evaluation]], report: Report,
                      profile: VillageProfile | None = None) -> None:
    """Each year on its own, the chair against the supervision committee
    (when the village's roster is known), and verdicts across the years."""
    # name → (year, file, cadre index) of each 不称职 verdict, across the years
    incompetent_in: dict[str, list[tuple[int, Doc[Evaluation], int]]] = defaultdict(list)
    for doc in evaluations:
        evaluation, path = doc.record, doc.path
        if str(evaluation.year) != doc.id:
            report.error(path, doc.line("year"), "evaluation.year-mismatch",
                         f"年度写的是 {evaluation.year}，但文件名是 {path.name}。请让二者一致。")
        if evaluation.posted < evaluation.date:
            report.error(path, doc.line("posted"), "evaluation.posted-early",
                         f"公布日期 {evaluation.posted} 早于评议日期 {evaluation.date}。请核对日期。")
        check_chair(doc, profile, report)
        for i, cadre in enumerate(evaluation.cadres):
            if cadre.votes.total > cadre.participants:
                report.error(path, doc.line("cadres", i, "votes"), "evaluation.votes-sum",
                             f"{cadre.name}：满意 {cadre.votes.satisfied} + 基本满意 {cadre.votes.basic} + 不满意 "
                             f"{cadre.votes.unsatisfied} = {cadre.votes.total} 票，超过参评人数 {cadre.participants}。"
                             "请核对票数。")
            if cadre.verdict == "不称职":
                incompetent_in[cadre.name].append((evaluation.year, doc, i))
    for name, years in incompetent_in.items():
        years.sort(key=lambda t: t[0])
        for (y1, _, _), (y2, doc, i) in pairwise(years):
            if y2 == y1 + 1:
                report.warning(doc.path, doc.line("cadres", i, "verdict"), "evaluation.consecutive-incompetent",
                               f"{name} 在 {y1} 年和 {y2} 年连续两次被评为不称职。依照《村民委员会组织法》第三十三条，"
                               "其职务应依法终止，请报乡镇处理并更新班子成员名单。")


def check_chair(doc: Doc[Evaluation], profile: VillageProfile | None, report: Report) -> None:
    """民主评议 is chaired by the supervision committee (Art. 33; the 2017
    guidance on 村务监督委员会): a chair from outside it, and above all a chair
    who is among those evaluated, makes the result doubtful."""
    evaluation, path = doc.record, doc.path
    chair = evaluation.chaired_by.strip()
    evaluated = {c.name.strip(): c for c in evaluation.cadres}
    if chair in evaluated:
        report.warning(path, doc.line("chaired_by"), "evaluation.chair-evaluated",
                       f"主持人 {chair}（{evaluated[chair].role}）本人也在这次评议的干部之中，自己主持对自己的评议。"
                       "民主评议应由村务监督委员会主持（《村民委员会组织法》第三十三条），请由监委会主任或委员主持。")
    if profile is not None and profile.roster.supervision_committee:
        members = {m.name.strip() for m in profile.roster.supervision_committee}
        if chair not in members:
            names = "、".join(m.name for m in profile.roster.supervision_committee)
            report.warning(path, doc.line("chaired_by"), "evaluation.chair-not-supervisor",
                           f"主持人 {chair} 不是村务监督委员会成员（{names}）。民主评议应由村务监督委员会主持"
                           "（《村民委员会组织法》第三十三条）。请核对主持人，或在 village.yml 中更新监委会名单。")
