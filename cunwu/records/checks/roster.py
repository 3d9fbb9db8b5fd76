"""Roster rule: who may sit on the supervision committee (Art. 32)."""

from __future__ import annotations

from ..diagnostics import Report
from ..load import Doc
from ..models import VillageProfile


def check_roster(doc: Doc[VillageProfile], report: Report) -> None:
    # The committee that oversees the village committee cannot include its members.
    roster = doc.record.roster
    committee = {m.name for m in roster.village_committee}
    for i, member in enumerate(roster.supervision_committee):
        if member.name in committee:
            report.error(doc.path, doc.line("roster", "supervision_committee", i, "name"),
                         "roster.supervision-conflict",
                         f"{member.name} 同时是村委会成员和村务监督委员会成员。依照《村民委员会组织法》第三十二条，"
                         "村委会成员及其近亲属不得担任村务监督委员会成员。请调整名单。")
