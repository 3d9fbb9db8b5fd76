"""Months as the records write them ("2024-03") and the arithmetic on them.

Ledgers are monthly, ordinary disclosures quarterly, evaluations yearly: every
stage counts months, so it is done once, here.
"""

from __future__ import annotations

from datetime import date, timedelta


def month_key(day: date) -> str:
    """"2024-03" for any day of March 2024."""
    return f"{day.year:04d}-{day.month:02d}"


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of "YYYY-MM"."""
    year, mon = map(int, month.split("-"))
    return date(year, mon, 1), month_end(year, mon)


def add_months(month: str, k: int) -> str:
    """"2024-12" + 1 → "2025-01"; k may be negative."""
    year, mon = map(int, month.split("-"))
    index = year * 12 + (mon - 1) + k
    return f"{index // 12}-{index % 12 + 1:02d}"


def next_month(month: str) -> str:
    return add_months(month, 1)


def previous_month(month: str) -> str:
    return add_months(month, -1)
