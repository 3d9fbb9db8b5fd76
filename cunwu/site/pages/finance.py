"""财务公开: a page a month, a page a year with its charts, and the index, plus
the ledgers as open data. Figures are Decimals to the last step; the templates
format them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Ledger
from ...records.money import ZERO
from .. import charts
from .base import VillagePages
from .problems import Problem

ENTRY_COLUMNS = ["月份", "日期", "凭证号", "摘要", "科目", "收支", "对方", "金额", "经手人", "审核人", "审批人"]


@dataclass(frozen=True)
class Year:
    """A year of ledgers as the finance index lists it."""

    year: str
    months: list[Ledger]

    @property
    def income(self) -> Decimal:
        return sum((m.income for m in self.months), ZERO)

    @property
    def expense(self) -> Decimal:
        return sum((m.expense for m in self.months), ZERO)


def category_totals(ledgers: list[Ledger]) -> dict[str, Decimal]:
    totals = {c: ZERO for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES}
    for ledger in ledgers:
        for e in ledger.entries:
            totals[e.category] += e.amount
    return totals


def category_rows(ledgers: list[Ledger]) -> list[tuple[str, str, Decimal]]:
    """(direction, category, total) of every category with money in `ledgers`, income first."""
    totals = category_totals(ledgers)
    return ([("收入", c, totals[c]) for c in INCOME_CATEGORIES if totals[c]]
            + [("支出", c, totals[c]) for c in EXPENSE_CATEGORIES if totals[c]])


def entry_rows(ledger: Ledger) -> list[list[Any]]:
    """Rows for the open data files (VillagePages.dataset masks their text)."""
    return [[ledger.month, e.date, e.voucher, e.summary, e.category, "收入" if e.is_income else "支出",
             e.counterparty, e.amount, e.handled_by, e.reviewed_by, e.approved_by]
            for e in ledger.entries]


def render_finance(pages: VillagePages) -> None:
    ledgers = [d.record for d in pages.village.ledgers]
    by_year: dict[str, list[Ledger]] = defaultdict(list)
    for ledger in ledgers:
        by_year[ledger.month[:4]].append(ledger)
    all_rows = []
    docs = pages.village.ledgers
    decisions = {d.id: (d.record.title, pages.decision_pages[d.id]) for d in pages.village.decisions}
    for k, doc in enumerate(docs):
        render_month(pages, doc.record, prev=docs[k - 1].record.month if k else None,
                     next_=docs[k + 1].record.month if k + 1 < len(docs) else None,
                     problems=pages.problems_of(doc.path), decisions=decisions)
        all_rows += entry_rows(doc.record)
    for year, months in by_year.items():
        render_year(pages, year, months)
    summary = [[m.month, m.opening_balance, m.income, m.expense, m.closing_balance, m.posted,
                m.review.date if m.review else None] for m in ledgers]
    pages.dataset("ledger-months", ["月份", "期初余额", "收入", "支出", "期末余额", "公布日期", "审核日期"], summary)
    pages.dataset("ledger-entries", ENTRY_COLUMNS, all_rows)
    problems = {d.record.month: found for d in docs if (found := pages.problems_of(d.path))}
    pages.page("finance/index.md", "finance_index.md.j2", latest=ledgers[-1] if ledgers else None,
               years=[Year(year, by_year[year]) for year in sorted(by_year, reverse=True)], problems=problems,
               books=(pages.docs / "finance" / "books.md").is_file())


def render_month(pages: VillagePages, ledger: Ledger, prev: str | None = None, next_: str | None = None,
                 problems: Sequence[Problem] = (), decisions: Mapping[str, tuple[str, str]] | None = None) -> None:
    """A month's page, with the months before and after it (for paging) and the
    decisions its entries carry out (linked from each entry)."""
    pages.dataset(f"ledger-{ledger.month}", ENTRY_COLUMNS, entry_rows(ledger))
    pages.page(f"finance/{ledger.month}.md", "finance_month.md.j2", ledger=ledger,
               categories=category_rows([ledger]),
               prev=prev, next=next_, problems=list(problems), decisions=decisions or {})


def render_year(pages: VillagePages, year: str, months: list[Ledger]) -> None:
    finance = pages.docs / "finance"
    finance.mkdir(parents=True, exist_ok=True)
    (finance / f"{year}-monthly.svg").write_text(charts.grouped_bars(
        f"{year}年逐月收支（元）", [f"{int(m.month[5:])}月" for m in months],
        [("收入", charts.INCOME_COLOR, [m.income for m in months]),
         ("支出", charts.EXPENSE_COLOR, [m.expense for m in months])]), encoding="utf-8")
    totals = category_totals(months)
    spend = sorted(((c, totals[c]) for c in EXPENSE_CATEGORIES if totals[c]), key=lambda t: -t[1])
    (finance / f"{year}-expense.svg").write_text(
        charts.horizontal_bars(f"{year}年支出构成（元）", spend), encoding="utf-8")
    pages.dataset(f"ledger-{year}", ["月份", "期初余额", "收入", "支出", "期末余额", "公布日期"],
                  [[m.month, m.opening_balance, m.income, m.expense, m.closing_balance, m.posted] for m in months],
                  year=year)
    pages.page(f"finance/{year}.md", "finance_year.md.j2", summary=Year(year, months),
               categories=category_rows(months))
