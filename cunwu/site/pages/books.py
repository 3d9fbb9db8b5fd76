"""财务公开 beyond the cash journal: the plan against the year's spending, the
assets register, resources and their contracts (rent received against the
schedule), debts and credits, the year's 收益 and its distribution, the special
disclosures (征地补偿, 一事一议) and the term-end audits, each with its open data.

Every figure comes from records/bookkeeping.py, the same functions the checks
use, so a page and `cunwu check` cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ...records.bookkeeping import (
    books_date,
    contract_receipts,
    contract_state,
    debt_cash,
    debt_movement_from_ledger,
    debt_totals,
    distribution_paid,
    distribution_payments,
    entries_of,
    plan_rows,
    year_ledgers,
    year_result,
)
from ...records.load import page_id
from ...records.models import Policy
from ...records.money import ZERO
from .base import VillagePages

PAGES = {"plan": "财务计划", "assets": "各项资产", "contracts": "资源与合同", "debts": "债权债务",
         "distribution": "收益分配", "special": "专项公开", "audits": "经济责任审计"}


def masked_person(name: str) -> str:
    """A person named as a counterparty: 刘某红 (surname and last character)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "某" + (name[-1] if len(name) >= 3 else "")


def audit_anchor(stem: str) -> str:
    """The id of an audit on finance/audits.md (ASCII and stable, from its file name)."""
    return "audit-" + page_id(stem)


def counterparty(kind: str, name: str) -> str:
    return masked_person(name) if kind == "个人" else name


def render_books(pages: VillagePages, policy: Policy | None = None) -> dict[str, str]:
    """Every page of this module; returns {key: page} of the sections that have records,
    for the finance index to link. The thresholds are the county's (pages.policy)."""
    policy = policy if policy is not None else pages.policy
    v = pages.village
    links: dict[str, str] = {}
    for doc in v.plans:
        plan = doc.record
        rows = plan_rows(plan, year_ledgers(v, plan.year), policy.budget_overrun_percent)
        months = len(year_ledgers(v, plan.year))
        pages.page(f"finance/plan-{plan.year}.md", "books_plan.md.j2", plan=plan, rows=rows, months=months,
                   percent=policy.budget_overrun_percent, decision=pages.decision_pages.get(plan.decision))
        pages.dataset(f"plan-{plan.year}", ["方向", "科目", "预算", "实际", "差额", "超支"],
                      [[r.direction, r.category, r.planned, r.actual, r.difference, "是" if r.over else ""]
                       for r in rows], year=plan.year)
        links.setdefault("plan", f"plan-{plan.year}.md")
        links["plan"] = f"plan-{plan.year}.md"
    if v.assets:
        registers = [d.record for d in v.assets]
        assets = [a for r in registers for a in r.assets]
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for a in assets:
            if a.status != "处置":
                totals[a.category][0] += a.original_value
                totals[a.category][1] += a.net_value
        pages.page("finance/assets.md", "books_assets.md.j2", registers=registers, assets=assets,
                   totals=sorted(totals.items()), decisions=pages.decision_pages)
        pages.dataset("assets", ["编号", "名称", "类别", "坐落", "取得日期", "原值", "累计折旧", "净值", "状态",
                                 "合同编号", "处置日期", "处置决策"],
                      [[a.code, a.name, a.category, a.location, a.acquired, a.original_value, a.depreciation,
                        a.net_value, a.status, a.contract, a.disposal.date if a.disposal else None,
                        a.disposal.decision if a.disposal else ""] for a in assets])
        links["assets"] = "assets.md"
    as_of = books_date(v)
    if v.contracts:
        receipts = contract_receipts(v)
        states = []
        for cdoc in sorted(v.contracts, key=lambda d: d.record.code):
            c = cdoc.record
            state = contract_state(c, receipts.get(c.code, []), as_of, policy.rent_grace_days)
            pid = "contract-" + page_id(cdoc.id)
            states.append((pid, state))
            pages.page(f"finance/{pid}.md", "books_contract.md.j2", c=c, s=state, as_of=as_of,
                       party=counterparty(c.counterparty_kind, c.counterparty),
                       decision=pages.decision_pages.get(c.decision))
        pages.page("finance/contracts.md", "books_contracts.md.j2", states=states, as_of=as_of,
                   parties={pid: counterparty(s.contract.counterparty_kind, s.contract.counterparty)
                            for pid, s in states})
        pages.dataset("contracts", ["合同编号", "资源", "类别", "面积", "单位", "承包方", "起始日期", "终止日期",
                                    "年租金", "截至日期", "应收", "已收", "逾期未收", "到期仍在用"],
                      [[s.contract.code, s.contract.resource.name, s.contract.resource.kind, s.contract.resource.area,
                        s.contract.resource.unit, counterparty(s.contract.counterparty_kind, s.contract.counterparty),
                        s.contract.start, s.contract.end, s.contract.rent, as_of, s.due_now, s.received, s.overdue,
                        "是" if s.expired_in_use else ""] for _, s in states])
        links["contracts"] = "contracts.md"
    if v.debts:
        years = []
        for ydoc in v.debts:
            year = ydoc.record
            cash = debt_cash(v, year.year)
            has_ledger = bool(year_ledgers(v, year.year))
            items = [(d, debt_movement_from_ledger(d, cash.get(d.id, (ZERO, ZERO))) if has_ledger else None)
                    for d in year.items]
            years.append((year, items, debt_totals(year.items)))
        pages.page("finance/debts.md", "books_debts.md.j2", years=list(reversed(years)),
                   decisions=pages.decision_pages)
        pages.dataset("debts", ["年度", "编号", "类别", "对方", "发生日期", "年初余额", "本年增加", "本年减少",
                                "年末余额", "账内增加", "账内减少", "决策"],
                      [[y.year, d.id, d.kind, d.counterparty, d.incurred, d.opening, d.increase, d.decrease,
                        d.closing, m[0] if m else None, m[1] if m else None, d.decision]
                       for y, items, _ in years for d, m in items])
        links["debts"] = "debts.md"
    for ddoc in v.distributions:
        d = ddoc.record
        result = year_result(v, d.year)
        payments = distribution_payments(v, d.year)
        pages.page(f"finance/distribution-{d.year}.md", "books_distribution.md.j2", d=d, r=result,
                   paid=distribution_paid(v, d), payments=payments,
                   decision=pages.decision_pages.get(d.decision))
        pages.dataset(f"distribution-{d.year}", ["项目", "金额"],
                      [*[["收入：" + k, x] for k, x in result.income.items()],
                       *[["支出：" + k, x] for k, x in result.expense.items()],
                       ["本年收益", result.result], ["提取公积公益金", d.reserve], ["提取福利费", d.welfare],
                       ["分配给成员", d.members], ["已发放", distribution_paid(v, d)]], year=d.year)
        links["distribution"] = f"distribution-{d.year}.md"
    special = render_special(pages)
    if special:
        links["special"] = "special.md"
    if v.audits:
        # (anchor, audit): the roster on the village home links each audit by its anchor
        audits = [(audit_anchor(d.id), d.record)
                  for d in sorted(v.audits, key=lambda d: d.record.date, reverse=True)]
        pages.page("finance/audits.md", "books_audits.md.j2", audits=audits)
        links["audits"] = "audits.md"
    if links:
        pages.page("finance/books.md", "books_index.md.j2",
                   sections=[(PAGES[k], links[k]) for k in PAGES if k in links], as_of=as_of)
    return links


def render_special(pages: VillagePages) -> bool:
    """征地补偿 (per group) and 一事一议 (per project): entries tagged in the ledger,
    with the decisions of those categories."""
    groups: dict[str, dict[str, list[Any]]] = {"征地补偿": defaultdict(list), "一事一议": defaultdict(list)}
    rows = []
    for ledger, _, e in entries_of(pages.village):
        if e.tag in groups:
            groups[e.tag][e.project or "未注明"].append(e)
            rows.append([e.tag, e.project, ledger.month, e.date, e.voucher, e.summary,
                         "收入" if e.is_income else "支出", e.amount])
    decisions = [(pages.decision_pages[d.id], d.record) for d in pages.village.decisions
                 if d.record.category in ("征地补偿分配", "一事一议")]
    if not rows and not decisions:
        return False
    sums = {tag: [(project, sum((e.amount for e in es if e.is_income), ZERO),
                   sum((e.amount for e in es if not e.is_income), ZERO), es)
                  for project, es in sorted(by.items())] for tag, by in groups.items()}
    pages.page("finance/special.md", "books_special.md.j2", sums=sums, decisions=decisions)
    pages.dataset("special", ["专项", "项目/组别", "月份", "日期", "凭证号", "摘要", "收支", "金额"], rows)
    return True
