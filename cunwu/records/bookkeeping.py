"""Figures of 财务公开 computed from the records, one definition each, for the
checks (checks/books.py), the village pages (site/pages/books.py) and the county
rollups (county/books.py): what a contract has received against its schedule,
a debt's cash movement in the ledger, plan against actual, the year's 收益.

Every amount is a Decimal summed from ledger entries: nothing is copied from a
figure the clerk typed twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .accounts import EXPENSE_ACCOUNTS_2023, INCOME_ACCOUNTS_2023, account_2023
from .books import Contract, Debt, Distribution, Plan
from .load import Village
from .models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Entry, Ledger
from .money import ZERO
from .months import month_bounds


def books_date(village: Village) -> date | None:
    """The day the books speak for: the end of the latest ledger month. Overdue rent
    and expired contracts are judged on it, so a check gives the same answer
    whichever day it runs."""
    if not village.ledgers:
        return None
    return month_bounds(village.ledgers[-1].record.month)[1]


def entries_of(village: Village) -> list[tuple[Ledger, int, Entry]]:
    """(ledger, index, entry) of every entry, in month order."""
    return [(d.record, i, e) for d in village.ledgers for i, e in enumerate(d.record.entries)]


# ---------------------------------------------------------------- contracts


@dataclass
class ContractState:
    contract: Contract
    as_of: date | None
    receipts: list[Entry] = field(default_factory=list)
    due_now: Decimal = ZERO           # instalments due on or before the books' date
    overdue: Decimal = ZERO           # due more than the grace days ago and not received
    overdue_since: date | None = None  # the first instalment not covered
    overdue_index: int | None = None
    expired_in_use: bool = False
    paid_after_end: list[Entry] = field(default_factory=list)

    @property
    def received(self) -> Decimal:
        return sum((e.amount for e in self.receipts), ZERO)

    @property
    def scheduled(self) -> Decimal:
        return sum((i.amount for i in self.contract.schedule), ZERO)

    @property
    def outstanding(self) -> Decimal:
        """Due by the books' date and not yet received (never negative)."""
        return max(self.due_now - self.received, ZERO)


def contract_receipts(village: Village) -> dict[str, list[Entry]]:
    """Ledger income entries that name a contract, by contract code."""
    found: dict[str, list[Entry]] = defaultdict(list)
    for _, _, e in entries_of(village):
        if e.contract and e.is_income:
            found[e.contract].append(e)
    return found


def contract_state(contract: Contract, receipts: list[Entry], as_of: date | None, grace_days: int) -> ContractState:
    """Receipts are applied to the instalments in date order; an instalment is
    overdue when the grace days after its due date have passed on the books'
    date and the money received by then does not cover it and those before it."""
    state = ContractState(contract, as_of, sorted(receipts, key=lambda e: e.date))
    if as_of is None:
        return state
    received = sum((e.amount for e in state.receipts if e.date <= as_of), ZERO)
    cumulative = ZERO
    for inst in sorted(contract.schedule, key=lambda x: x.due):
        if inst.due > as_of:
            break
        cumulative += inst.amount
        state.due_now = cumulative
        if inst.due + timedelta(days=grace_days) <= as_of and received < cumulative:
            if state.overdue_since is None:
                state.overdue_since = inst.due
                state.overdue_index = contract.schedule.index(inst)
            state.overdue = cumulative - received
    state.paid_after_end = [e for e in state.receipts if e.date > contract.end]
    state.expired_in_use = contract.end < as_of and (contract.status == "履行中" or bool(state.paid_after_end))
    return state


# ---------------------------------------------------------------- debts


def debt_cash(village: Village, year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """(money in, money out) of each debt id in the ledger entries of `year`."""
    cash: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for ledger, _, e in entries_of(village):
        if e.debt and ledger.month.startswith(f"{year}-"):
            cash[e.debt][0 if e.is_income else 1] += e.amount
    return {k: (v[0], v[1]) for k, v in cash.items()}


def debt_movement_from_ledger(debt: Debt, cash: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """(increase, decrease) of `debt` as the ledger shows them: a credit grows when
    money goes out (lent) and shrinks when it comes back; a payable or a loan
    grows when money comes in and shrinks when it is paid."""
    money_in, money_out = cash
    return (money_out, money_in) if debt.is_credit else (money_in, money_out)


def debt_totals(items: list[Debt]) -> dict[str, Decimal]:
    """Year-end totals: 债权 (owed to the collective) and 债务 (owed by it)."""
    credit = sum((d.closing for d in items if d.is_credit), ZERO)
    debt = sum((d.closing for d in items if not d.is_credit), ZERO)
    opening_debt = sum((d.opening for d in items if not d.is_credit), ZERO)
    opening_credit = sum((d.opening for d in items if d.is_credit), ZERO)
    return {"债权": credit, "债务": debt, "年初债权": opening_credit, "年初债务": opening_debt}


# ---------------------------------------------------------------- the year's 收益


def year_ledgers(village: Village, year: int) -> list[Ledger]:
    return [d.record for d in village.ledgers if d.record.month.startswith(f"{year}-")]


def category_actuals(ledgers: list[Ledger]) -> dict[str, Decimal]:
    """Income and expense by ledger category, leaving out money that only moves
    a debt or pays out a distribution (Entry.is_transfer)."""
    totals = {c: ZERO for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES}
    for ledger in ledgers:
        for e in ledger.entries:
            if not e.is_transfer:
                totals[e.category] += e.amount
    return totals


@dataclass
class YearResult:
    """The 收益 part of the 收益及收益分配表, by 2023 account."""

    year: int
    months: int
    income: dict[str, Decimal]
    expense: dict[str, Decimal]

    @property
    def total_income(self) -> Decimal:
        return sum(self.income.values(), ZERO)

    @property
    def total_expense(self) -> Decimal:
        return sum(self.expense.values(), ZERO)

    @property
    def result(self) -> Decimal:
        return self.total_income - self.total_expense


def year_result(village: Village, year: int) -> YearResult:
    ledgers = year_ledgers(village, year)
    actual = category_actuals(ledgers)
    income = {a: ZERO for a in INCOME_ACCOUNTS_2023}
    expense = {a: ZERO for a in EXPENSE_ACCOUNTS_2023}
    for category, amount in actual.items():
        (income if category in INCOME_CATEGORIES else expense)[account_2023(category)] += amount
    return YearResult(year, len(ledgers), income, expense)


# ---------------------------------------------------------------- plan against actual


@dataclass(frozen=True)
class PlanRow:
    direction: str        # 收入 | 支出
    category: str
    planned: Decimal
    actual: Decimal
    over: bool            # spending beyond the county's percentage

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned


def plan_rows(plan: Plan, ledgers: list[Ledger], overrun_percent: int) -> list[PlanRow]:
    """Every category planned or used, income first; an expense is over when its
    actual exceeds the plan by more than `overrun_percent` (an unplanned expense
    is over as soon as there is one)."""
    actual = category_actuals(ledgers)
    rows = []
    for direction, categories, planned in (("收入", INCOME_CATEGORIES, plan.income),
                                           ("支出", EXPENSE_CATEGORIES, plan.expense)):
        for c in categories:
            p, a = planned.get(c, ZERO), actual[c]  # type: ignore[call-overload]
            if not p and not a:
                continue
            over = direction == "支出" and a * 100 > p * (100 + overrun_percent)
            rows.append(PlanRow(direction, c, p, a, over))
    return rows


# ---------------------------------------------------------------- distribution


def distribution_payments(village: Village, year: int) -> list[Entry]:
    """Ledger entries tagged 收益分配 whose project names `year` (2025 or 2025年度)."""
    return [e for _, _, e in entries_of(village)
            if e.tag == "收益分配" and e.project.strip().removesuffix("年度").removesuffix("年") == str(year)]


def distribution_paid(village: Village, d: Distribution) -> Decimal:
    return sum((e.amount for e in distribution_payments(village, d.year) if not e.is_income), ZERO)
