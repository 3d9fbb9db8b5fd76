"""Rules of 财务公开 beyond the cash journal: assets, contracts and their rent,
debts and credits against the ledger, the plan against spending, the year's
distribution against its payments, original vouchers, term-end audits.

Overdue rent and expired contracts are judged on the books' date (the end of the
latest ledger month, bookkeeping.books_date): the same files give the same
answer whatever day the check runs.
"""

from __future__ import annotations

from decimal import Decimal

from ..bookkeeping import (
    books_date,
    contract_receipts,
    contract_state,
    debt_cash,
    debt_movement_from_ledger,
    distribution_paid,
    plan_rows,
    year_ledgers,
    year_result,
)
from ..books import BORROWING_KINDS
from ..diagnostics import Report
from ..load import Doc, Village
from ..models import Policy
from ..money import CENT, ZERO, yuan
from ..months import month_bounds


def check_books(village: Village, policy: Policy, report: Report) -> None:
    decisions = {d.id for d in village.decisions}

    def decision(doc: Doc, name: str, *loc: str | int) -> None:
        if name and name not in decisions:
            report.error(doc.path, doc.line(*loc), "books.decision-unknown",
                         f"决策“{name}”在 decisions 文件夹里找不到。请写决策文件名（不含 .md），"
                         "例如 2024-03-村东鱼塘发包。")

    for doc in village.debts + village.plans + village.distributions:
        if str(doc.record.year) != doc.id:
            report.error(doc.path, doc.line("year"), "books.year-mismatch",
                         f"年度写的是 {doc.record.year}，但文件名是 {doc.path.name}。请让二者一致。")
    check_assets(village, decision, report)
    check_contracts(village, policy, decision, report)
    check_debts(village, decision, report)
    for doc in village.plans:
        decision(doc, doc.record.decision, "decision")
        check_plan(village, doc, policy, report)
    for doc in village.distributions:
        decision(doc, doc.record.decision, "decision")
        check_distribution(village, doc, report)
    check_entries(village, policy, report)
    for adoc in village.audits:
        a = adoc.record
        if a.posted < a.date:
            report.error(adoc.path, adoc.line("posted"), "audit.posted-early",
                         f"公布日期 {a.posted} 早于审计报告日期 {a.date}。请核对两个日期。")


def check_assets(village: Village, decision, report: Report) -> None:
    for doc in village.assets:
        codes: dict[str, int] = {}
        for i, asset in enumerate(doc.record.assets):
            line = doc.line("assets", i, "code")
            if asset.code in codes:
                report.error(doc.path, line, "asset.code-duplicate",
                             f"资产编号 {asset.code} 重复（第 {codes[asset.code]} 行已用过）。每项资产一个编号。")
            codes.setdefault(asset.code, line)
            if asset.depreciation is not None and asset.depreciation > asset.original_value:
                report.error(doc.path, doc.line("assets", i, "depreciation"), "asset.value",
                             f"“{asset.name}”累计折旧 {yuan(asset.depreciation)} 超过原值 "
                             f"{yuan(asset.original_value)}。请核对。")
            if asset.status == "处置" and (asset.disposal is None or not asset.disposal.decision):
                where = ("assets", i, "disposal") if asset.disposal else ("assets", i, "status")
                report.error(doc.path, doc.line(*where), "asset.disposal-decision",
                             f"“{asset.name}”已处置，但没有写明批准处置的决策（disposal 下的 decision）。"
                             "集体财产处置须经村民会议或村民代表会议决定（《村民委员会组织法》第二十四条）。")
            elif asset.disposal is not None:
                decision(doc, asset.disposal.decision, "assets", i, "disposal", "decision")


def check_contracts(village: Village, policy: Policy, decision, report: Report) -> None:
    as_of = books_date(village)
    first_day = month_bounds(village.ledgers[0].record.month)[0] if village.ledgers else None
    receipts = contract_receipts(village)
    seen: dict[str, Doc] = {}
    for doc in village.contracts:
        c = doc.record
        if c.code in seen:
            report.error(doc.path, doc.line("code"), "contract.code-duplicate",
                         f"合同编号 {c.code} 与 {seen[c.code].path.name} 重复。每份合同一个编号。")
            continue
        seen[c.code] = doc
        if c.end < c.start:
            report.error(doc.path, doc.line("end"), "contract.term",
                         f"合同终止日期 {c.end} 早于起始日期 {c.start}。请核对。")
            continue
        if c.decision:
            decision(doc, c.decision, "decision")
        elif first_day is None or c.start >= first_day:
            # a contract signed before the village's books begin here cannot link its decision
            report.warning(doc.path, doc.line("code"), "contract.decision-missing",
                           f"合同 {c.code} 没有写明批准发包或出租的决策（decision）。集体资源发包须经村民会议"
                           "或村民代表会议决定；请写上决策文件名。")
        state = contract_state(c, receipts.get(c.code, []), as_of, policy.rent_grace_days)
        if state.overdue and state.overdue_index is not None:
            report.warning(doc.path, doc.line("schedule", state.overdue_index, "due"), "contract.rent-overdue",
                           f"合同 {c.code}（{c.resource.name}）自 {state.overdue_since} 起应收的租金尚欠 "
                           f"{yuan(state.overdue)}（截至 {as_of} 的账目，已过 {policy.rent_grace_days} 天宽限期）。"
                           "请催收，收到后记入收支明细并写上 contract: " + c.code + "。")
        if state.expired_in_use:
            why = (f"到期后仍收到 {len(state.paid_after_end)} 笔租金" if state.paid_after_end
                   else "状态仍是“履行中”")
            report.warning(doc.path, doc.line("end"), "contract.expired-in-use",
                           f"合同 {c.code}（{c.resource.name}）已于 {c.end} 到期，但{why}。"
                           "到期的资源须重新发包（经决策、公开竞价）并签订新合同，或把状态改为“已到期”并收回。")


def check_debts(village: Village, decision, report: Report) -> None:
    previous: dict[str, Decimal] = {}
    previous_year: int | None = None
    for doc in village.debts:
        year = doc.record.year
        cash = debt_cash(village, year)
        ids: set[str] = set()
        months = len(year_ledgers(village, year))
        for i, item in enumerate(doc.record.items):
            ids.add(item.id)
            computed = item.opening + item.increase - item.decrease
            if computed != item.closing:
                report.error(doc.path, doc.line("items", i, "closing"), "debt.balance",
                             f"{item.kind} {item.id}（{item.counterparty}）：年初 {yuan(item.opening)} + 增加 "
                             f"{yuan(item.increase)} − 减少 {yuan(item.decrease)} = {yuan(computed)}，"
                             f"但年末余额写的是 {yuan(item.closing)}。请核对。")
            if previous_year == year - 1 and item.id in previous and previous[item.id] != item.opening:
                report.error(doc.path, doc.line("items", i, "opening"), "debt.continuity",
                             f"{item.id} 年初余额 {yuan(item.opening)} 与上年（{year - 1}）年末余额 "
                             f"{yuan(previous[item.id])} 不一致。")
            if item.kind in BORROWING_KINDS and item.increase > 0:
                if not item.decision:
                    report.error(doc.path, doc.line("items", i, "increase"), "debt.decision-missing",
                                 f"{year} 年新增{item.kind} {yuan(item.increase)}（{item.counterparty}），没有写明"
                                 "批准举债的决策（decision）。村集体举债须经村民会议或村民代表会议决定。")
                else:
                    decision(doc, item.decision, "items", i, "decision")
            if months:
                up, down = debt_movement_from_ledger(item, cash.get(item.id, (ZERO, ZERO)))
                if (up, down) != (item.increase, item.decrease):
                    report.error(doc.path, doc.line("items", i, "increase"), "debt.ledger-mismatch",
                                 f"{item.id}（{item.counterparty}）本年增加 {yuan(item.increase)}、减少 "
                                 f"{yuan(item.decrease)}，但 {year} 年收支明细中写明 debt: {item.id} 的款项"
                                 f"对应增加 {yuan(up)}、减少 {yuan(down)}。请核对，或在收支明细对应的一笔写上 debt。")
        for ledger_doc in village.ledgers:
            if not ledger_doc.record.month.startswith(f"{year}-"):
                continue
            for j, e in enumerate(ledger_doc.record.entries):
                if e.debt and e.debt not in ids:
                    report.error(ledger_doc.path, ledger_doc.line("entries", j, "debt"), "ledger.link-unknown",
                                 f"凭证 {e.voucher} 写的债权债务编号 {e.debt} 在 debts/{year}.yml 里找不到。")
        previous = {item.id: item.closing for item in doc.record.items}
        previous_year = year


def check_plan(village: Village, doc, policy: Policy, report: Report) -> None:
    plan = doc.record
    for row in plan_rows(plan, year_ledgers(village, plan.year), policy.budget_overrun_percent):
        if row.over:
            where = ("expense", row.category) if row.category in plan.expense else ("expense",)
            report.warning(doc.path, doc.line(*where), "plan.overrun",
                           f"{plan.year} 年“{row.category}”预算 {yuan(row.planned)}，实际已支出 {yuan(row.actual)}，"
                           f"超出 {yuan(row.difference)}（超过县定的 {policy.budget_overrun_percent}%）。"
                           "超预算支出须说明原因，并按程序调整预算。")


def check_distribution(village: Village, doc, report: Report) -> None:
    d = doc.record
    if (d.per_unit * d.units - d.members).copy_abs() > CENT * d.units:
        report.error(doc.path, doc.line("per_unit"), "distribution.per-unit",
                     f"每{d.basis[1]} {yuan(d.per_unit)} × {d.units} = {yuan(d.per_unit * d.units)}，"
                     f"与分配给成员的 {yuan(d.members)}不符。请核对。")
    result = year_result(village, d.year)
    if result.months and d.total > result.result:
        report.warning(doc.path, doc.line("members"), "distribution.exceeds-result",
                       f"{d.year} 年分配合计 {yuan(d.total)}，超过收支明细算出的本年收益 {yuan(result.result)}。"
                       "动用以前年度结余或公积公益金分配的，请在 note 中说明。")
    paid = distribution_paid(village, d)
    if not paid:
        report.warning(doc.path, doc.line("members"), "distribution.ledger-mismatch",
                       f"{d.year} 年分配给成员 {yuan(d.members)}，收支明细里还没有发放的记录"
                       f"（tag: 收益分配，project: {d.year}）。发放后请记入收支明细。")
    elif paid != d.members:
        report.error(doc.path, doc.line("members"), "distribution.ledger-mismatch",
                     f"{d.year} 年分配给成员 {yuan(d.members)}，但收支明细中标为收益分配（project: {d.year}）的"
                     f"支出合计 {yuan(paid)}。请核对发放记录。")


def check_entries(village: Village, policy: Policy, report: Report) -> None:
    contracts = {d.record.code for d in village.contracts}
    files = {a.path for a in village.accepted_attachments}
    listed = {a.path for a in village.attachments}
    for doc in village.ledgers:
        for i, e in enumerate(doc.record.entries):
            if e.contract and e.contract not in contracts:
                report.error(doc.path, doc.line("entries", i, "contract"), "ledger.link-unknown",
                             f"凭证 {e.voucher} 写的合同编号 {e.contract} 在 contracts 文件夹里找不到。")
            for k, path in enumerate(e.receipts):
                if path not in files:
                    why = "没有通过附件检查" if path in listed else "不存在"
                    report.error(doc.path, doc.line("entries", i, "receipts", k), "receipt.file-unknown",
                                 f"原始凭证“{path}”{why}。请把凭证的照片或 PDF 放在本村 files/ 文件夹，"
                                 "并写从 files/ 开始的路径，例如 files/凭证/2024-03-记-004.jpg。")
            if not e.receipts and e.amount > policy.receipt_required_amount:
                report.warning(doc.path, doc.line("entries", i, "amount"), "receipt.missing",
                               f"凭证 {e.voucher} 金额 {yuan(e.amount)}，超过县定的 "
                               f"{yuan(policy.receipt_required_amount)}，但没有附原始凭证（receipts）。"
                               "请把发票、收据或合同的照片放在 files/，在这笔的 receipts 下写上路径。")
