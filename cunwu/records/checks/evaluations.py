"""Evaluation rules: the yearly 民主评议 (Art. 33) adds up, is posted after the
meeting, and two consecutive 不称职 verdicts are flagged."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from ..diagnostics import Report
from ..load import Doc
from ..models import Evaluation


def check_evaluations(evaluations: list[Doc[Evaluation]], report: Report) -> None:
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
