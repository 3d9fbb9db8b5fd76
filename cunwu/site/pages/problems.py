"""Problems in plain sight: what the checks found in a village's records,
shown on the record's own page and beside it in the section's list, in words
a villager reads and with the article of the law that the record falls short of.

The portal counts the same things (rollup); a villager should not need the
county's site to learn that a decision skipped a step or a month was posted
late. Errors stop a build, so a published site shows warnings and what only
dates reveal (a month posted after the county's deadline, Art. 30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml

from ...records.checks import check_decision, check_evaluations, check_ledgers, check_notice
from ...records.checks.ledgers import check_decision_links
from ...records.diagnostics import Report
from ...records.load import Village
from ...records.models import DEFAULT_POLICY, Policy
from ...records.months import month_bounds

ORGANIC_LAW = "《村民委员会组织法》"

# rule id → (what a villager is told, the law it falls short of)
PLAIN = {
    "decision.step-missing": ("决策程序缺少步骤", f"{ORGANIC_LAW}第二十四条；“四议两公开”"),
    "decision.step-order": ("决策步骤顺序不对", "“四议两公开”须按顺序进行"),
    "decision.quorum": ("表决会议人数不够", f"{ORGANIC_LAW}第二十二条、第二十六条"),
    "decision.majority": ("赞成票未过半数", f"{ORGANIC_LAW}第二十二条、第二十六条"),
    "decision.meeting-missing": ("没有记录会议人数和票数", f"{ORGANIC_LAW}第二十四条"),
    "decision.amount-mismatch": ("实际开支与决议金额不符", f"{ORGANIC_LAW}第二十四条"),
    "ledger.review-missing": ("本月账目公布前没有记录审核", f"{ORGANIC_LAW}第三十二条；《农村集体经济组织财务公开规定》"),
    "ledger.review-late": ("先公布、后审核", f"{ORGANIC_LAW}第三十二条；《农村集体经济组织财务公开规定》"),
    "ledger.gap": ("缺少月份的财务公开", f"{ORGANIC_LAW}第三十条"),
    "evaluation.chair-evaluated": ("被评议的干部自己主持评议", f"{ORGANIC_LAW}第三十三条"),
    "evaluation.chair-not-supervisor": ("评议不是由村务监督委员会主持", f"{ORGANIC_LAW}第三十三条"),
    "evaluation.consecutive-incompetent": ("连续两年被评为不称职", f"{ORGANIC_LAW}第三十三条"),
    "notice.period-short": ("公示期太短", f"{ORGANIC_LAW}第三十条"),
}
LATE = ("公布晚了", f"{ORGANIC_LAW}第三十条")


@dataclass(frozen=True)
class Problem:
    title: str       # 决策程序缺少步骤
    detail: str      # what the check said (clerk's values in it are escaped by the template)
    law: str         # 《村民委员会组织法》第二十四条


def county_policy(village: Village) -> Policy:
    """The county's thresholds (county.yml beside the village folder), or the law's defaults."""
    path = village.dir.parent / "county.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        return Policy.model_validate((data or {}).get("policy") or {}) if isinstance(data, dict) else DEFAULT_POLICY
    except Exception:   # a county.yml that check reports as broken: the law's defaults
        return DEFAULT_POLICY


def find_problems(village: Village, policy: Policy) -> dict[Path, list[Problem]]:
    """Record file → its problems, from the village's own checks and its posting dates."""
    report = Report()
    # The record rules only (not privacy or file checks, which never reach a page).
    check_ledgers(village.ledgers, report)
    for decision in village.decisions:
        check_decision(decision, policy, report)
    check_decision_links(village.ledgers, village.decisions, policy, report)
    check_evaluations(village.evaluations, report, village.profile.record if village.profile else None)
    for notice in village.notices:
        check_notice(notice, policy, report)
    out: dict[Path, list[Problem]] = {}
    for d in report.sorted():
        if d.rule in PLAIN:
            title, law = PLAIN[d.rule]
            out.setdefault(Path(d.file).resolve(), []).append(Problem(title, d.message, law))
    for doc in village.ledgers:
        ledger = doc.record
        due = month_bounds(ledger.month)[1] + timedelta(days=policy.on_time_days)
        if ledger.posted > due:
            days = (ledger.posted - due).days
            out.setdefault(doc.path.resolve(), []).append(Problem(
                LATE[0], f"本月收支应在 {due} 前公布（月末后 {policy.on_time_days} 天内），实际 {ledger.posted} 才公布，"
                         f"晚了 {days} 天。", LATE[1]))
    return out
