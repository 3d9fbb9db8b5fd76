"""Check stage: domain rules over loaded records → diagnostics.

The schema is enforced while loading; this module checks what needs more than
one field: ledger arithmetic, 四议两公开, quorums, evaluations, notices,
privacy, and the county as a whole. Every rule id is listed in RULES.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from .diagnostics import Report
from .load import County, Doc, Village, load_county
from .models import RESOLVING_STEPS, SIX_STEPS, STEP_ORDER, Decision, Ledger, Policy
from .money import yuan
from .months import month_bounds, next_month
from .privacy import find_identifiers
from .source import Source

# rule id → what it protects (the Chinese messages live where each rule fires)
RULES = {
    "file.encoding": "file is not UTF-8 text",
    "file.empty": "file has no content",
    "file.front-matter": "Markdown record lacks its --- front matter",
    "file.name": "file name does not follow the pattern of its folder",
    "file.too-large": "file or its content is implausibly large",
    "file.unexpected": "file that cunwu does not read (warning)",
    "file.unreadable": "file cannot be opened",
    "yaml.syntax": "YAML syntax error",
    "yaml.alias": "YAML anchors/aliases (refused: alias bombs)",
    "yaml.duplicate-key": "the same key twice in one mapping",
    "schema.missing": "required field missing",
    "schema.unknown": "unknown field",
    "schema.type": "value of the wrong kind",
    "schema.date": "not an ISO date / month, or no such day",
    "schema.amount": "amount not a number or more than two decimals",
    "schema.category": "value outside its list (category, column, step, verdict…)",
    "county.config-missing": "no county.yml (warning)",
    "county.duplicate-code": "two villages share an official code",
    "county.duplicate-name": "two village folders differ only by letter case",
    "county.unknown-township": "village names a township not in county.yml",
    "county.reserved-name": "village folder named like a top-level path of the county portal",
    "village.folder-name": "village folder is not a URL-safe slug",
    "village.profile-missing": "village folder without village.yml",
    "roster.supervision-conflict": "supervision committee member also on the village committee (Art. 32)",
    "ledger.month-mismatch": "month field differs from the file name",
    "ledger.balance": "opening + income − expense ≠ closing",
    "ledger.continuity": "opening differs from the previous month's closing",
    "ledger.gap": "a month missing between two ledgers (warning)",
    "ledger.entry-date": "entry dated outside its month",
    "ledger.voucher-duplicate": "voucher number used twice in a month",
    "ledger.review-missing": "no supervision review recorded (warning)",
    "ledger.review-late": "review dated after posting (2011 finance disclosure rule)",
    "ledger.posted-early": "posted before its month ended",
    "decision.step-missing": "四议两公开 step missing (error for Art. 24 categories)",
    "decision.step-order": "steps out of order or dated backwards",
    "decision.step-duplicate": "the same step twice",
    "decision.meeting-missing": "resolving meeting without attendance and votes",
    "decision.attendance": "more present than members, or votes exceed those present",
    "decision.quorum": "resolving meeting without quorum (Art. 22 / Art. 26)",
    "decision.majority": "resolution without a majority of those present",
    "rule.version-order": "versions not in adoption order",
    "rule.filed-early": "filed with the township before adoption",
    "rule.posted-early": "posted before adoption",
    "rule.content-missing": "version without its text (or powers for 小微权力清单)",
    "rule.decision-unknown": "version names a decision file that does not exist (warning)",
    "evaluation.year-mismatch": "year field differs from the file name",
    "evaluation.votes-sum": "votes exceed participants",
    "evaluation.consecutive-incompetent": "two consecutive 不称职 verdicts (Art. 33)",
    "evaluation.posted-early": "posted before the evaluation meeting",
    "notice.period-order": "notice ends before it starts",
    "notice.period-short": "posting period shorter than the minimum",
    "notice.table-shape": "list row with more or fewer cells than columns",
    "privacy.id-number": "unmasked ID number",
    "privacy.mobile": "unmasked mobile number",
    "privacy.bank-card": "unmasked bank card number",
}


# Top-level names of the county portal at site/ (its pages, data, search, theme
# assets, MkDocs' 404 and sitemap): a village folder may not take one of them.
PORTAL_NAMES = frozenset({"index", "timeliness", "finance", "decisions", "evaluations", "notices",
                          "inspection", "data", "assets", "search", "charts", "404", "sitemap",
                          "datapackage"})


def check_path(path: Path) -> tuple[County, Report]:
    """Load and check a county or village folder; never writes anything."""
    report = Report()
    county = load_county(Path(path), report)
    check_county(county, report)
    return county, report


def check_county(county: County, report: Report, villages: bool = True) -> None:
    """County-wide rules, then (unless `villages` is False, when the loader has
    already checked each village) every village's own rules."""
    policy = county.policy
    townships = set(county.config.record.townships) if county.config else None
    codes: dict[str, Doc] = {}
    lower_names: dict[str, Village] = {}
    for village in county.villages:
        other = lower_names.setdefault(village.slug.lower(), village)
        if other is not village:
            report.error(village.dir, 1, "county.duplicate-name",
                         f"村文件夹“{village.slug}”与“{other.slug}”只差大小写，网址会冲突。请改用不同的名称。")
        if village.slug.lower() in PORTAL_NAMES:
            report.error(village.dir, 1, "county.reserved-name",
                         f"村文件夹名“{village.slug}”与县级汇总网站的栏目网址（{village.slug}/ 或 {village.slug}.html）"
                         f"冲突，该村网站会覆盖或被覆盖。请改用村名拼音作文件夹名，例如 qingshi。")
        if village.profile:
            profile = village.profile.record
            first = codes.setdefault(profile.code, village.profile)
            if first is not village.profile:
                report.error(village.profile.path, village.profile.line("code"), "county.duplicate-code",
                             f"村代码 {profile.code} 与 {first.path.parent.name} 重复。请核对统计用区划代码。")
            if townships is not None and profile.township not in townships:
                report.error(village.profile.path, village.profile.line("township"), "county.unknown-township",
                             f"乡镇“{profile.township}”不在 county.yml 的乡镇名单中（{'、'.join(sorted(townships))}）。"
                             "请改正乡镇名称，或请县里在 county.yml 中添加。")
        if villages:
            check_village(village, policy, report)


def check_village(village: Village, policy: Policy, report: Report) -> None:
    if village.profile:
        check_roster(village.profile, report)
    check_ledgers(village.ledgers, report)
    for doc in village.decisions:
        check_decision(doc, policy, report)
    decision_ids = {d.id for d in village.decisions}
    for doc in village.rules:
        check_rule(doc, decision_ids, report)
    check_evaluations(village.evaluations, report)
    for doc in village.notices:
        check_notice(doc, policy, report)
    for src in village.sources:
        check_privacy(src, village.public_numbers, report)


# ---------------------------------------------------------------- roster

def check_roster(doc: Doc, report: Report) -> None:
    roster = doc.record.roster
    committee = {m.name for m in roster.village_committee}
    for i, member in enumerate(roster.supervision_committee):
        if member.name in committee:
            report.error(doc.path, doc.line("roster", "supervision_committee", i, "name"),
                         "roster.supervision-conflict",
                         f"{member.name} 同时是村委会成员和村务监督委员会成员。依照《村民委员会组织法》第三十二条，"
                         "村委会成员及其近亲属不得担任村务监督委员会成员。请调整名单。")


# ---------------------------------------------------------------- ledgers

def check_ledgers(ledgers: list[Doc[Ledger]], report: Report) -> None:
    previous: Doc[Ledger] | None = None
    for doc in ledgers:
        ledger, path = doc.record, doc.path
        if ledger.month != doc.id:
            report.error(path, doc.line("month"), "ledger.month-mismatch",
                         f"月份写的是 {ledger.month}，但文件名是 {path.name}。请让二者一致。")
        first, last = month_bounds(ledger.month)
        if ledger.computed_closing != ledger.closing_balance:
            report.error(path, doc.line("closing_balance"), "ledger.balance",
                         f"账目不平：期初 {yuan(ledger.opening_balance)} + 收入 {yuan(ledger.income)} − 支出 "
                         f"{yuan(ledger.expense)} = {yuan(ledger.computed_closing)}，但期末余额写的是 "
                         f"{yuan(ledger.closing_balance)}（相差 {yuan(ledger.closing_balance - ledger.computed_closing)}）。"
                         "请核对每笔金额和期末余额。")
        if previous is not None:
            prev = previous.record
            if next_month(prev.month) == ledger.month:
                if prev.closing_balance != ledger.opening_balance:
                    report.error(path, doc.line("opening_balance"), "ledger.continuity",
                                 f"本月期初余额 {yuan(ledger.opening_balance)} 与上月（{prev.month}）期末余额 "
                                 f"{yuan(prev.closing_balance)} 不一致。本月期初应等于上月期末。")
            elif prev.month != ledger.month:
                report.warning(path, doc.line("month"), "ledger.gap",
                               f"{prev.month} 与 {ledger.month} 之间缺少月份的收支公开。请补上缺少的月份。")
        vouchers: dict[str, int] = {}
        for i, entry in enumerate(ledger.entries):
            if not first <= entry.date <= last:
                report.error(path, doc.line("entries", i, "date"), "ledger.entry-date",
                             f"凭证 {entry.voucher} 的日期 {entry.date} 不在 {ledger.month} 月内。"
                             "请改正日期，或把这笔移到对应月份的文件中。")
            if entry.voucher in vouchers:
                report.error(path, doc.line("entries", i, "voucher"), "ledger.voucher-duplicate",
                             f"凭证号 {entry.voucher} 在本月重复（第 {vouchers[entry.voucher]} 行已用过）。"
                             "请核对凭证号。")
            else:
                vouchers[entry.voucher] = doc.line("entries", i, "voucher")
        if ledger.posted <= last:
            report.error(path, doc.line("posted"), "ledger.posted-early",
                         f"公布日期 {ledger.posted} 早于 {ledger.month} 月结束，账目还不完整。请核对公布日期。")
        if ledger.review is None:
            report.warning(path, doc.line("posted"), "ledger.review-missing",
                           "没有记录民主理财小组/村务监督委员会的审核（review）。财务公开前须经审核，请补上审核人和日期。")
        elif ledger.review.date > ledger.posted:
            report.error(path, doc.line("review", "date"), "ledger.review-late",
                         f"审核日期 {ledger.review.date} 晚于公布日期 {ledger.posted}。按规定须先审核、后公开。"
                         "请核对两个日期。")
        previous = doc


# ---------------------------------------------------------------- decisions

def check_decision(doc: Doc[Decision], policy: Policy, report: Report) -> None:
    decision, path = doc.record, doc.path
    seen: dict[int, int] = {}
    last_pos, last_date = -1, None
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
            check_meeting(doc, i, policy, report)
        elif step.step in RESOLVING_STEPS:
            report.error(path, doc.line("steps", i, "step"), "decision.meeting-missing",
                         f"“{step.step}”须写明会议的应到、实到人数和表决票数（meeting）。请参照模板补上。")


def check_meeting(doc: Doc[Decision], i: int, policy: Policy, report: Report) -> None:
    step = doc.record.steps[i]
    m = step.meeting
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


# ---------------------------------------------------------------- rules

def check_rule(doc: Doc, decision_ids: set[str], report: Report) -> None:
    rule, path = doc.record, doc.path
    previous = None
    for i, version in enumerate(rule.versions):
        if previous is not None and version.adopted < previous.adopted:
            report.error(path, doc.line("versions", i, "adopted"), "rule.version-order",
                         f"版本“{version.version}”的通过日期早于上一个版本“{previous.version}”。"
                         "请按通过时间先后排列版本，新版本写在最后。")
        if version.filed is not None and version.filed < version.adopted:
            report.error(path, doc.line("versions", i, "filed"), "rule.filed-early",
                         f"备案日期 {version.filed} 早于通过日期 {version.adopted}。须先通过、再报乡镇备案。")
        if version.posted < version.adopted:
            report.error(path, doc.line("versions", i, "posted"), "rule.posted-early",
                         f"公布日期 {version.posted} 早于通过日期 {version.adopted}。请核对日期。")
        if rule.kind == "小微权力清单" and not version.powers:
            report.error(path, doc.line("versions", i), "rule.content-missing",
                         "小微权力清单的每个版本须列出权力事项（powers）及其办理步骤。")
        elif rule.kind != "小微权力清单" and not (version.text or "").strip():
            report.error(path, doc.line("versions", i), "rule.content-missing",
                         f"版本“{version.version}”缺少全文（text）。请把全文贴在 text: | 下面。")
        if version.decision and version.decision not in decision_ids:
            report.warning(path, doc.line("versions", i, "decision"), "rule.decision-unknown",
                           f"找不到决策事项“{version.decision}”（decisions 文件夹中没有 {version.decision}.md）。"
                           "请核对文件名。")
        previous = version


# ---------------------------------------------------------------- evaluations

def check_evaluations(evaluations: list[Doc], report: Report) -> None:
    incompetent_in: dict[str, list[tuple[int, Doc, int]]] = defaultdict(list)
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
        for (y1, _, _), (y2, doc, i) in zip(years, years[1:]):
            if y2 == y1 + 1:
                report.warning(doc.path, doc.line("cadres", i, "verdict"), "evaluation.consecutive-incompetent",
                               f"{name} 在 {y1} 年和 {y2} 年连续两次被评为不称职。依照《村民委员会组织法》第三十三条，"
                               "其职务应依法终止，请报乡镇处理并更新班子成员名单。")


# ---------------------------------------------------------------- notices

def check_notice(doc: Doc, policy: Policy, report: Report) -> None:
    notice, path = doc.record, doc.path
    if notice.end <= notice.start:
        report.error(path, doc.line("end"), "notice.period-order",
                     f"公示结束日期 {notice.end} 不晚于开始日期 {notice.start}。请核对日期。")
    else:
        days = (notice.end - notice.start).days + 1
        if days < policy.notice_min_days:
            report.error(path, doc.line("end"), "notice.period-short",
                         f"公示期只有 {days} 天（{notice.start} 至 {notice.end}），少于规定的 "
                         f"{policy.notice_min_days} 天。请延长结束日期。")
    if notice.table:
        width = len(notice.table.columns)
        for i, row in enumerate(notice.table.rows):
            if len(row) != width:
                report.error(path, doc.line("table", "rows", i), "notice.table-shape",
                             f"名单第 {i + 1} 行有 {len(row)} 项，表头有 {width} 项。请补齐或删去多余的项。")


# ---------------------------------------------------------------- privacy

def check_privacy(src: Source, allowed: frozenset[str], report: Report) -> None:
    texts = list(src.scalars)
    texts += [(src.body_line + n, line) for n, line in enumerate(src.body.split("\n"))]
    for line, text in texts:
        for found in find_identifiers(text, allowed):
            report.error(src.path, line + found_line_offset(text, found.start), f"privacy.{found.kind}",
                         f"这里有未遮盖的{found.label}“{found.text}”，不得公开。请改成遮盖后的形式"
                         f"“{found.masked}”，或删去。")


def found_line_offset(text: str, index: int) -> int:
    """Lines into a multi-line scalar (block text) where a match starts."""
    return text.count("\n", 0, index)

