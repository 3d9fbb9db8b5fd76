"""Decision rules: the six steps of 四议两公开 in order, and the resolving
meeting's quorum (Art. 22 for the assembly, Art. 26 for representatives) and
majority."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ..diagnostics import Report
from ..load import Doc
from ..models import RESOLVING_STEPS, SIX_STEPS, STEP_ORDER, Decision, Meeting, Policy


def check_decision(doc: Doc[Decision], policy: Policy, report: Report) -> None:
    decision, path = doc.record, doc.path
    seen: dict[int, int] = {}
    last_pos = -1
    last_date: date | None = None
    for i, step in enumerate(decision.steps):
        pos = STEP_ORDER[step.step]
        line = doc.line("steps", i, "step")
        if pos in seen:
            report.error(path, line, "decision.step-duplicate",
                         f"步骤“{step.step}”重复（第 {seen[pos]} 行已有）。每个步骤只写一次。")
            continue
        seen[pos] = line
        if pos < last_pos:
            report.error(path, line, "decision.step-order",
                         f"步骤“{step.step}”排在了后面的步骤之后。“四议两公开”须按顺序："
                         f"{' → '.join(SIX_STEPS)}。")
        elif last_date is not None and step.date < last_date:
            report.error(path, doc.line("steps", i, "date"), "decision.step-order",
                         f"步骤“{step.step}”的日期 {step.date} 早于前一步骤的 {last_date}。请核对日期。")
        last_pos, last_date = max(pos, last_pos), step.date
    missing = [SIX_STEPS[p] for p in range(6) if p not in seen]
    # An unfinished decision cannot have posted its result yet.
    if decision.status != "已完成" and SIX_STEPS[5] in missing:
        missing.remove(SIX_STEPS[5])
    if missing:
        if decision.is_art24:
            report.error(path, doc.line("steps"), "decision.step-missing",
                         f"“{decision.category}”属于《村民委员会组织法》第二十四条规定的事项，必须走完“四议两公开”，"
                         f"缺少：{'、'.join(missing)}。请补上这些步骤及日期。")
        else:
            report.warning(path, doc.line("steps"), "decision.step-missing",
                           f"缺少“四议两公开”步骤：{'、'.join(missing)}。")
    for i, step in enumerate(decision.steps):
        if step.meeting is not None:
            check_meeting(doc, i, step.meeting, policy, report)
        elif step.step in RESOLVING_STEPS:
            report.error(path, doc.line("steps", i, "step"), "decision.meeting-missing",
                         f"“{step.step}”须写明会议的应到、实到人数和表决票数（meeting）。请参照模板补上。")


def check_meeting(doc: Doc[Decision], i: int, m: Meeting, policy: Policy, report: Report) -> None:
    """The meeting `m` of step `i`: attendance and votes add up; a resolving
    meeting also needs its quorum and a majority of those present."""
    step = doc.record.steps[i]
    path, line = doc.path, doc.line("steps", i, "meeting")
    if m.present > m.members:
        report.error(path, line, "decision.attendance",
                     f"“{step.step}”实到 {m.present} 人，超过应到 {m.members} 人。请核对人数。")
        return
    votes = [v for v in (m.votes_for, m.against, m.abstain) if v is not None]
    if sum(votes) > m.present:
        report.error(path, line, "decision.attendance",
                     f"“{step.step}”赞成、反对、弃权共 {sum(votes)} 票，超过实到 {m.present} 人。请核对票数。")
        return
    if step.step not in RESOLVING_STEPS:
        return
    if step.step == "村民代表会议决议":
        need = policy.representatives_quorum
        if Fraction(m.present, max(m.members, 1)) < need:
            report.error(path, line, "decision.quorum",
                         f"村民代表会议应到 {m.members} 人、实到 {m.present} 人，未达到 {need} 以上代表到会"
                         "（《村民委员会组织法》第二十六条），决议无效。请补开会议或核对人数。")
    else:
        by_adults = Fraction(m.present, max(m.members, 1)) > policy.assembly_quorum_adults
        by_households = (m.households is not None and m.households_present is not None
                         and Fraction(m.households_present, max(m.households, 1))
                         >= policy.assembly_quorum_households)
        if not (by_adults or by_households):
            report.error(path, line, "decision.quorum",
                         f"村民会议应到 {m.members} 人、实到 {m.present} 人，未超过本村18周岁以上村民的"
                         f"{policy.assembly_quorum_adults}，也未达到 {policy.assembly_quorum_households} 以上户的代表参加"
                         "（《村民委员会组织法》第二十二条），决议无效。")
    if m.votes_for is None:
        report.error(path, line, "decision.meeting-missing",
                     f"“{step.step}”须写明赞成票数（for）。")
    elif 2 * m.votes_for <= m.present:
        report.error(path, line, "decision.majority",
                     f"赞成 {m.votes_for} 票，未超过实到 {m.present} 人的半数，决议未通过。"
                     "请核对票数；未通过的事项不能按通过公布。")

