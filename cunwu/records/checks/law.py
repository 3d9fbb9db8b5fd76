"""The law's remaining rules over a whole village: who the representatives are
(Art. 25), who may oversee whom (Art. 32, close relatives), whether a meeting
counted against the registered numbers, how often things were posted (Art. 30),
and the county's choice to stop an unreviewed month.

Each rule names its article in the message; every threshold is in the county's
policy (county.yml `policy:`), with the law's figure as the default.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

from ..diagnostics import Report
from ..load import Doc, Village
from ..models import Decision, Policy, VillageProfile
from ..months import month_bounds

# A photo of the posted board for a month: board/2026-10.jpg (proof of posting).
BOARD_PHOTO = re.compile(r"board/(\d{4})-(0[1-9]|1[0-2])\.(jpg|jpeg|png|webp)")

# Art. 30: ordinary items at least once a quarter.
QUARTER_MONTHS = 3


def check_law(village: Village, policy: Policy, report: Report) -> None:
    profile = village.profile
    if profile is not None:
        check_representatives(profile, policy, report)
        check_relatives(profile, report)
        for doc in village.decisions:
            check_headcount(doc, profile.record, policy, report)
    check_cadence(village, policy, report)
    check_review_required(village, policy, report)
    check_board_photos(village, report)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole}（{100 * part / max(whole, 1):.0f}%）"


def check_representatives(doc: Doc[VillageProfile], policy: Policy, report: Report) -> None:
    """Art. 25: the list of representatives with their gender; women at least a
    third; representatives at least 4/5 of the meeting they sit in with the committee."""
    profile = doc.record
    listed = profile.roster.representatives
    if listed:
        if len(listed) != profile.representatives:
            report.warning(doc.path, doc.line("roster", "representatives"), "roster.representatives-count",
                           f"村民代表名单有 {len(listed)} 人，但 representatives（村民代表人数）写的是 "
                           f"{profile.representatives} 人。请让二者一致（《村民委员会组织法》第二十五条）。")
        women = sum(1 for r in listed if r.gender == "女")
        if Fraction(women, len(listed)) < policy.women_representatives:
            report.warning(doc.path, doc.line("roster", "representatives"), "roster.representatives-women",
                           f"村民代表中妇女 {_share(women, len(listed))}，少于 {policy.women_representatives}。"
                           "《村民委员会组织法》第二十五条：妇女村民代表应当占村民代表会议组成人员的三分之一以上。"
                           "请在推选代表时补足，或核对名单中的性别（gender: 女）。")
    committee = len({m.name for m in profile.roster.village_committee})
    whole = profile.representatives + committee
    if whole and Fraction(profile.representatives, whole) < policy.representatives_share:
        report.warning(doc.path, doc.line("representatives"), "roster.representatives-share",
                       f"村民代表 {profile.representatives} 人、村委会成员 {committee} 人，代表只占村民代表会议的 "
                       f"{_share(profile.representatives, whole)}，少于 {policy.representatives_share}。"
                       "《村民委员会组织法》第二十五条：村民代表应当占村民代表会议组成人员的五分之四以上。请增选代表。")


def check_relatives(doc: Doc[VillageProfile], report: Report) -> None:
    """Art. 32: members of the village committee and their close relatives may not
    sit on the supervision committee. Relatives are declared by either side."""
    roster = doc.record.roster
    committee = {m.name for m in roster.village_committee}
    # name of a committee member's relative → (member, relation)
    related: dict[str, tuple[str, str]] = {}
    for m in roster.village_committee:
        for r in m.relatives:
            related.setdefault(r.name, (m.name, r.relation))
    for i, sup in enumerate(roster.supervision_committee):
        line = doc.line("roster", "supervision_committee", i, "name")
        found: tuple[str, str] | None = related.get(sup.name)
        if found is None:
            found = next(((r.name, r.relation) for r in sup.relatives if r.name in committee), None)
            if found is not None:
                found = (found[0], f"{sup.name}的{found[1]}")
        else:
            found = (found[0], f"{found[0]}的{found[1]}")
        if found is not None:
            member, relation = found
            report.error(doc.path, line, "roster.relative-conflict",
                         f"村务监督委员会成员 {sup.name} 与村委会成员 {member} 是近亲属（{relation}）。"
                         "《村民委员会组织法》第三十二条：村民委员会成员及其近亲属不得担任村务监督机构成员。"
                         "请调整村务监督委员会名单。")


def check_headcount(doc: Doc[Decision], profile: VillageProfile, policy: Policy, report: Report) -> None:
    """The 应到 of a resolving meeting against the village's registered numbers:
    a smaller 应到 makes the quorum (Art. 22 / Art. 26) easier than the law's."""
    for i, step in enumerate(doc.record.steps):
        m = step.meeting
        if m is None:
            continue
        line = doc.line("steps", i, "meeting", "members")
        if step.step == "村民代表会议决议" and m.members < profile.representatives:
            report.error(doc.path, line, "meeting.headcount",
                         f"村民代表会议应到 {m.members} 人，少于本村登记的村民代表 {profile.representatives} 人"
                         "（village.yml 的 representatives）。到会比例须按全体代表计算（《村民委员会组织法》"
                         "第二十六条）。请核对应到人数，或更新村情简介中的代表人数。")
        elif step.step == "村民会议决议" and profile.adults:
            floor = Fraction(profile.adults) * (1 - policy.headcount_tolerance)
            if m.members < floor:
                report.error(doc.path, line, "meeting.headcount",
                             f"村民会议应到 {m.members} 人，明显少于本村18周岁以上村民 {profile.adults} 人"
                             "（village.yml 的 adults）。到会比例须按本村全体18周岁以上村民计算（《村民委员会组织法》"
                             "第二十二条）。请核对应到人数。")


def _posting_days(village: Village) -> list[date]:
    """Every day something non-financial was posted on the board."""
    days = [d.record.posted for d in village.notices] + [e.record.posted for e in village.evaluations]
    for d in village.decisions:
        days += [s.date for s in d.record.steps if s.step in ("决议公开", "实施结果公开")]
    for r in village.rules:
        days += [v.posted for v in r.record.versions]
    return days


def _all_loaded(village: Village) -> bool:
    """Every record file loaded: a quarter judged empty because a notice failed to
    load would only repeat the error that file already has."""
    loaded = {d.path for docs in (village.ledgers, village.decisions, village.rules, village.evaluations,
                                  village.notices) for d in docs}
    for kind in ("ledgers", "decisions", "rules", "evaluations", "notices"):
        folder = village.dir / kind
        if folder.is_dir() and any(p not in loaded for p in folder.rglob("*")
                                   if p.suffix in (".yml", ".md") and not p.name.startswith(".")):
            return False
    return True


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // QUARTER_MONTHS


def check_cadence(village: Village, policy: Policy, report: Report) -> None:
    """Art. 30: finances monthly (quarterly where declared 按季), major items at
    once, ordinary items at least quarterly — each a warning naming the record."""
    days = timedelta(days=policy.on_time_days)
    quarterly = village.profile is not None and village.profile.record.cadence.finance == "按季"
    for doc in village.ledgers:
        ledger = doc.record
        try:
            _, last = month_bounds(ledger.month)
        except ValueError:   # pragma: no cover - the schema admits only real months
            continue
        if quarterly:
            q_end_month = ((int(ledger.month[5:]) - 1) // 3 + 1) * 3
            _, last = month_bounds(f"{ledger.month[:4]}-{q_end_month:02d}")
        if ledger.posted > last + days:
            late = (ledger.posted - last - days).days
            report.warning(doc.path, doc.line("posted"), "cadence.finance-late",
                           f"{ledger.month} 的账目 {ledger.posted} 才公布，比{'季' if quarterly else '月'}末后 "
                           f"{policy.on_time_days} 天的期限晚了 {late} 天。《村民委员会组织法》第三十条："
                           f"集体财务往来较多的，财务收支情况应当每月公布一次。请按时公开。")
    for ddoc in village.decisions:
        decision = ddoc.record
        resolution, posted = decision.resolution, decision.step("决议公开")
        if resolution is None or posted is None or not decision.is_art24:
            continue
        if (posted.date - resolution.date).days > policy.immediate_days:
            i = decision.steps.index(posted)
            report.warning(ddoc.path, ddoc.line("steps", i, "date"), "cadence.decision-late",
                           f"“{decision.category}”是重大事项，{resolution.date} 决议、{posted.date} 才公开，"
                           f"超过 {policy.immediate_days} 天。《村民委员会组织法》第三十条：涉及村民利益的重大事项"
                           "应当随时公布。请决议后及时公开。")
    # Quarters from the first ledger's to the one before the latest ledger was
    # posted (that quarter's items may still be due): the span the village
    # has been publishing in, as the county's matrix counts it.
    if not village.ledgers or village.profile is None or not _all_loaded(village):
        return
    start = _quarter(date.fromisoformat(village.ledgers[0].record.month + "-01"))
    end = _quarter(max(d.record.posted for d in village.ledgers))
    have = {_quarter(d) for d in _posting_days(village)}
    year, q = start
    missing: list[str] = []
    while (year, q) < end:
        if (year, q) not in have:
            missing.append(f"{year}年第{q + 1}季度")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    if missing:
        report.warning(village.profile.path, 1, "cadence.quarter-empty",
                       f"{'、'.join(missing)} 没有任何村务公开（公示、决议、评议、制度）。《村民委员会组织法》"
                       "第三十条：一般事项至少每季度公布一次。请补上这些季度的公开。")


def check_review_required(village: Village, policy: Policy, report: Report) -> None:
    """Where the county says so, a month without the 民主理财小组 review is not published."""
    if policy.unreviewed_finance != "错误":
        return
    for doc in village.ledgers:
        if doc.record.review is None:
            report.error(doc.path, doc.line("posted"), "ledger.review-required",
                         f"{doc.record.month} 的账目没有民主理财小组/村务监督委员会的审核记录（review），"
                         "县里规定（county.yml 的 unreviewed_finance: 错误）未经审核的财务不得公开。"
                         "请先审核，补上审核人和日期（2011年《农村集体经济组织财务公开规定》）。")


def check_board_photos(village: Village, report: Report) -> None:
    """board/ holds only photos of the posted board, one name a month."""
    for a in village.attachments:
        if a.path.startswith("board/") and not BOARD_PHOTO.fullmatch(a.path.lower()):
            report.error(village.dir / a.path, 1, "board.photo-name",
                         f"board 文件夹只放公开栏张贴照片，按张贴月份命名，例如 board/2026-10.jpg（JPG、PNG 或 WebP）。"
                         f"“{a.path}”不符合，请改名或移到 files 文件夹。")
