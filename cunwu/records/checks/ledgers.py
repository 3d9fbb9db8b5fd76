"""Ledger rules: the month's arithmetic, continuity from month to month, entry
dates and vouchers, and review before posting (2011 finance disclosure rule)."""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Report
from ..load import Doc
from ..models import Decision, Entry, Ledger, Policy
from ..money import ZERO, yuan
from ..months import month_bounds, next_month

# The one way to record a refund or a reversal, said the same way by the template,
# the guide, `cunwu import ledger` and this check.
NEGATIVE_ADVICE = ("退款或冲销（红字冲销）请另记一笔方向相反的正数：例如冲销一笔支出，就记一笔收入，"
                   "摘要写明“冲销 记-005”（被冲销的凭证号）和原因。")


def decision_entries(ledgers: list[Doc[Ledger]]) -> dict[str, list[tuple[Doc[Ledger], int, Entry]]]:
    """Decision id → (ledger, entry index, entry) of every entry that names it,
    in month order: what the decision's page lists and this module checks."""
    out: dict[str, list[tuple[Doc[Ledger], int, Entry]]] = {}
    for doc in ledgers:
        for i, entry in enumerate(doc.record.entries):
            if entry.decision:
                out.setdefault(entry.decision.strip(), []).append((doc, i, entry))
    return out


def paid(links: list[tuple[Doc[Ledger], int, Entry]]) -> Decimal:
    """What the linked entries spent: expenses less income (a refund, a subsidy
    received for the work) named with the same decision."""
    return sum((-e.amount if e.is_income else e.amount for _, _, e in links), ZERO)


def check_decision_links(ledgers: list[Doc[Ledger]], decisions: list[Doc[Decision]], policy: Policy,
                         report: Report) -> None:
    """Follow the money: an entry's `decision:` names an existing decision, and
    a decision's recorded amount agrees with what its entries paid (within the
    county's tolerance; an unfinished decision may have paid less so far)."""
    by_id = {d.id: d for d in decisions}
    for decision_id, links in decision_entries(ledgers).items():
        target = by_id.get(decision_id)
        if target is None:
            for doc, i, entry in links:
                near = [d for d in by_id if decision_id and (decision_id in d or d in decision_id)]
                hint = f"是不是“{near[0]}”？" if near else ""
                report.error(doc.path, doc.line("entries", i, "decision"), "ledger.decision-unknown",
                             f"凭证 {entry.voucher} 写的决策事项“{decision_id}”在 decisions 文件夹里找不到。{hint}"
                             "decision 填决策文件的文件名（不带 .md），例如 2025-03-村道硬化。")
            continue
        decision = target.record
        total = paid(links)
        diff = total - decision.amount
        allowed = decision.amount * Decimal(policy.decision_amount_tolerance.numerator) / Decimal(
            policy.decision_amount_tolerance.denominator)
        if diff > allowed or (decision.status == "已完成" and -diff > allowed):
            share = f"{policy.decision_amount_tolerance.numerator * 100 / policy.decision_amount_tolerance.denominator:g}%"
            more = "超出" if diff > 0 else "少于"
            report.warning(target.path, target.line("amount"), "decision.amount-mismatch",
                           f"决议金额 {yuan(decision.amount)}，收支明细中注明本事项的 {len(links)} 笔合计 {yuan(total)}，"
                           f"{more}决议金额 {yuan(abs(diff))}（县里容许相差 {share}）。超出决议金额的开支须重新决议"
                           "（《村民委员会组织法》第二十四条），或核对收支明细里的 decision 和金额。")


def check_ledgers(ledgers: list[Doc[Ledger]], report: Report) -> None:
    """`ledgers` in month order: each is checked on its own and against the one before."""
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
            if entry.amount < 0:
                # Negative figures (红字) read as income on a board; a reversal is its own entry.
                report.error(path, doc.line("entries", i, "amount"), "ledger.amount-negative",
                             f"凭证 {entry.voucher} 的金额 {yuan(entry.amount)} 是负数。收支明细里金额一律写正数。"
                             f"{NEGATIVE_ADVICE}")
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
