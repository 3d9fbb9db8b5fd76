"""Check stage: domain rules over loaded records → diagnostics.

The schema is enforced while loading; these modules check what needs more
than one field, one module a record kind: `ledgers` (arithmetic, continuity,
review before posting), `decisions` (四议两公开, quorums, majorities), `rules`
(村规民约 versions), `evaluations` (民主评议), `notices` (公示 periods),
`roster` (Art. 32), `books` (assets, contracts, debts, plan, distribution,
vouchers, audits) and `privacy` (personal numbers in any file). This module
holds the county-wide rules, the order a village is checked in, and RULES,
the list of every rule id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Report
from ..load import County, Doc, Village, open_county
from ..models import Policy, VillageProfile
from .books import check_books
from .decisions import check_decision, check_meeting
from .evaluations import check_evaluations
from .history import attach_history, check_history
from .law import check_law
from .ledgers import check_decision_links, check_ledgers
from .notices import check_notice
from .privacy import check_attachments, check_names, check_privacy, check_relief_names, found_line_offset, village_allowed
from .roster import check_roster
from .rules import check_rule
from .text import check_text_limits

__all__ = ["PORTAL_NAMES", "RULES", "UNSAFE_TO_RENDER", "check_county", "check_decision", "check_evaluations", "check_ledgers",
           "check_meeting", "check_notice", "check_path", "check_privacy", "check_roster", "check_rule",
           "check_text_limits", "check_village", "found_line_offset",
           "check_attachments", "check_names", "check_relief_names", "village_allowed"]

# rule id → what it protects (the Chinese messages live where each rule fires)
RULES = {
    "file.encoding": "file is not UTF-8 text",
    "file.empty": "file has no content",
    "file.front-matter": "Markdown record lacks its --- front matter",
    "file.name": "file name does not follow the pattern of its folder",
    "file.too-large": "file or its content is implausibly large",
    "file.unexpected": "file that cunwu does not read (warning)",
    "file.unreadable": "file cannot be opened",
    "file.symlink": "symbolic link under a village (never followed, never published)",
    "attachment.type": "attachment of a type that is not published (html, svg, md, zip …)",
    "attachment.content": "attachment whose bytes are not what its extension says",
    "attachment.too-large": "attachment, or all of a village's, over the county's size limit",
    "attachment.unreadable": "document whose text cannot be read whole, so cannot be checked for personal numbers",
    "text.too-long": "Markdown body or text field over its length limit",
    "text.nesting": "lists or quotes nested deeper than the engine can render",
    "text.brackets": "too many [ in one paragraph (quadratic link parsing)",
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
    "roster.relative-conflict": "supervision committee member a declared close relative of a committee member (Art. 32)",
    "roster.representatives-women": "women under the county's share of the representatives (Art. 25, warning)",
    "roster.representatives-share": "representatives under 4/5 of the representatives' meeting (Art. 25, warning)",
    "roster.representatives-count": "representatives' list and their number differ (warning)",
    "meeting.headcount": "meeting's 应到 below the registered representatives or adult villagers",
    "cadence.finance-late": "ledger posted after the month's deadline (Art. 30, warning)",
    "cadence.decision-late": "major item's resolution not posted at once (Art. 30, warning)",
    "cadence.quarter-empty": "a quarter without any village-affairs posting (Art. 30, warning)",
    "ledger.review-required": "unreviewed month where the county's policy makes it an error",
    "record.changed-after-posting": "record changed after its posting date, read from git (warning)",
    "board.photo-name": "file under board/ that is not a photo named by its month (board/2026-10.jpg)",
    "ledger.month-mismatch": "month field differs from the file name",
    "ledger.balance": "opening + income − expense ≠ closing",
    "ledger.amount-negative": "negative entry amount (a reversal is an entry in the other direction)",
    "ledger.continuity": "opening differs from the previous month's closing",
    "ledger.gap": "a month missing between two ledgers (warning)",
    "ledger.entry-date": "entry dated outside its month",
    "ledger.voucher-duplicate": "voucher number used twice in a month",
    "ledger.review-missing": "no supervision review recorded (warning)",
    "ledger.review-late": "review dated after posting (2011 finance disclosure rule)",
    "ledger.posted-early": "posted before its month ended",
    "ledger.decision-unknown": "entry's decision: names no decision file of the village",
    "decision.step-missing": "四议两公开 step missing (error for Art. 24 categories)",
    "decision.step-order": "steps out of order or dated backwards",
    "decision.step-duplicate": "the same step twice",
    "decision.meeting-missing": "resolving meeting without attendance and votes",
    "decision.attendance": "more present than members, or votes exceed those present",
    "decision.quorum": "resolving meeting without quorum (Art. 22 / Art. 26)",
    "decision.majority": "resolution without a majority of those present",
    "decision.amount-mismatch": "decision amount and its linked ledger entries differ beyond the county's tolerance (warning)",
    "rule.version-order": "versions not in adoption order",
    "rule.filed-early": "filed with the township before adoption",
    "rule.posted-early": "posted before adoption",
    "rule.content-missing": "version without its text (or powers for 小微权力清单)",
    "rule.decision-unknown": "version names a decision file that does not exist (warning)",
    "evaluation.year-mismatch": "year field differs from the file name",
    "evaluation.votes-sum": "votes exceed participants",
    "evaluation.consecutive-incompetent": "two consecutive 不称职 verdicts (Art. 33)",
    "evaluation.posted-early": "posted before the evaluation meeting",
    "evaluation.chair-not-supervisor": "evaluation chaired by someone outside the supervision committee (Art. 33, warning)",
    "evaluation.chair-evaluated": "evaluation chaired by one of the cadres evaluated (warning)",
    "notice.period-order": "notice ends before it starts",
    "notice.period-short": "posting period shorter than the minimum",
    "notice.table-shape": "list row with more or fewer cells than columns",
    "books.decision-unknown": "an asset disposal, contract, debt, plan or distribution names a decision that does not exist",
    "books.year-mismatch": "year field of a debts, plans or distributions file differs from its name",
    "asset.code-duplicate": "the same asset code twice in a register",
    "asset.value": "accumulated depreciation above the original value",
    "asset.disposal-decision": "asset disposed of without the decision that approved it (Art. 24)",
    "contract.code-duplicate": "two contracts share a code",
    "contract.term": "contract ends before it starts",
    "contract.decision-missing": "contract without the decision that approved it (warning)",
    "contract.rent-overdue": "rent due past the county's grace days and not received in the ledger (warning)",
    "contract.expired-in-use": "contract past its end still in force or still paid (warning)",
    "debt.balance": "opening + increase − decrease ≠ closing of a debt or credit",
    "debt.continuity": "a debt's opening differs from the previous year's closing",
    "debt.decision-missing": "new borrowing without the decision that approved it",
    "debt.ledger-mismatch": "a debt's movement differs from the ledger entries that name it",
    "ledger.link-unknown": "ledger entry names a contract or debt that does not exist",
    "plan.overrun": "spending in an account beyond the plan by more than the county's percentage (warning)",
    "distribution.per-unit": "per-household (per-share) amount × units ≠ the members' total",
    "distribution.exceeds-result": "distribution larger than the year's 收益 from the ledger (warning)",
    "distribution.ledger-mismatch": "members' total differs from the 收益分配 payments in the ledger (warning while unpaid)",
    "receipt.file-unknown": "entry's original voucher is not an accepted file under files/",
    "receipt.missing": "entry at or above the county's amount without original vouchers (warning)",
    "audit.posted-early": "term-end or leaving-office audit posted before its report date",
    "privacy.id-number": "unmasked ID number",
    "privacy.mobile": "unmasked mobile number",
    "privacy.bank-card": "unmasked bank card number",
    "privacy.names-unmasked": "full names in a relief list where the county masks them (warning)",
    "privacy.image-unscanned": "image attachment not scanned for personal numbers: confirm by eye (warning)",
}


# Errors after which a village must not be rendered even for a preview: its
# text would crash the engine, or a file that must never be published would be copied.
UNSAFE_TO_RENDER = frozenset({"text.too-long", "text.nesting", "text.brackets", "file.symlink",
                              "attachment.type", "attachment.content", "attachment.too-large",
                              "attachment.unreadable"})


# Top-level names of the county portal at site/ (its pages, data, search page
# and county-wide search index, theme assets, MkDocs' 404 and sitemap): a
# village folder may not take one of them.
PORTAL_NAMES = frozenset({"index", "timeliness", "finance", "decisions", "evaluations", "notices",
                          "inspection", "data", "assets", "books", "search", "pagefind", "charts", "404",
                          "sitemap", "datapackage"})


def check_path(path: Path, load: Callable[[Path, Report, Policy], Village] | None = None,
               keep: bool = True) -> tuple[County, Report]:
    """Load and check a county or village folder; never writes to it. Villages are
    loaded and checked one at a time. `load` is a loader that also checks (the
    build's VillageCache.load); `keep=False` keeps of each village only its name,
    folder and profile once it is checked (county.villages is then a list of
    those), so a county of any size is checked in the memory of one village."""
    report = Report()
    county, villages = open_county(Path(path), report, load)
    rules = CountyRules(county, report)
    for village in villages:
        rules.add(village, checked=load is not None)
        county.villages.append(village if keep else Village(village.slug, village.dir, village.profile))
    return county, report


def check_county(county: County, report: Report, villages: bool = True) -> None:
    """County-wide rules, then (unless `villages` is False, when the loader has
    already checked each village) every village's own rules."""
    rules = CountyRules(county, report)
    for village in county.villages:
        rules.add(village, checked=not villages)


class CountyRules:
    """The county-wide rules, fed one village at a time: names and codes that must
    be unique, townships from county.yml, and each record's history from git
    (read once for the county, records/history.py)."""

    def __init__(self, county: County, report: Report) -> None:
        self.report, self.policy = report, county.policy
        self.history = attach_history(County(county.root, county.config, []))   # the villages get theirs in add()
        self.site_url = county.config.record.site_url if county.config else ""
        self.townships = set(county.config.record.townships) if county.config else None
        self.codes: dict[str, Doc[VillageProfile]] = {}
        self.lower_names: dict[str, str] = {}

    def add(self, village: Village, checked: bool = False) -> None:
        """Check `village` against the ones added before (and, unless `checked`, its own rules)."""
        report, townships = self.report, self.townships
        village.history = self.history.village(village.dir) if self.history is not None else None
        village.site_url = self.site_url
        other = self.lower_names.setdefault(village.slug.lower(), village.slug)
        if other != village.slug:
            report.error(village.dir, 1, "county.duplicate-name",
                         f"村文件夹“{village.slug}”与“{other}”只差大小写，网址会冲突。请改用不同的名称。")
        if village.slug.lower() in PORTAL_NAMES:
            report.error(village.dir, 1, "county.reserved-name",
                         f"村文件夹名“{village.slug}”与县级汇总网站的栏目网址（{village.slug}/ 或 {village.slug}.html）"
                         f"冲突，该村网站会覆盖或被覆盖。请改用村名拼音作文件夹名，例如 qingshi。")
        if village.profile:
            profile = village.profile.record
            first = self.codes.setdefault(profile.code, village.profile)
            if first is not village.profile:
                report.error(village.profile.path, village.profile.line("code"), "county.duplicate-code",
                             f"村代码 {profile.code} 与 {first.path.parent.name} 重复。请核对统计用区划代码。")
            if townships is not None and profile.township not in townships:
                report.error(village.profile.path, village.profile.line("township"), "county.unknown-township",
                             f"乡镇“{profile.township}”不在 county.yml 的乡镇名单中（{'、'.join(sorted(townships))}）。"
                             "请改正乡镇名称，或请县里在 county.yml 中添加。")
        if not checked:
            check_village(village, self.policy, report)
        check_history(village, report)


def check_village(village: Village, policy: Policy, report: Report) -> None:
    """Every rule of one village, kind by kind, in the order of its folders."""
    if village.profile:
        check_roster(village.profile, report)
    check_law(village, policy, report)
    check_ledgers(village.ledgers, report)
    for decision in village.decisions:
        check_decision(decision, policy, report)
    check_decision_links(village.ledgers, village.decisions, policy, report)
    decision_ids = {d.id for d in village.decisions}
    for rule in village.rules:
        check_rule(rule, decision_ids, report)
    check_evaluations(village.evaluations, report, village.profile.record if village.profile else None)
    for notice in village.notices:
        check_notice(notice, policy, report)
    for notice in village.notices:
        check_relief_names(notice, policy, report)
    check_books(village, policy, report)
    check_names(village, report)
    check_attachments(village, report)
    allowed = village_allowed(village)
    for src in village.sources:
        check_privacy(src, allowed, report)
        check_text_limits(src, report)
