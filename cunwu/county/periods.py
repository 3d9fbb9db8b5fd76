"""Reporting periods: the month, quarter or year a disclosure is due for.

Art. 30 asks for finances monthly (quarterly where declared), ordinary items
quarterly and the democratic evaluation yearly; every rollup counts in these
periods. Month arithmetic itself is `cunwu.records.months`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..records.months import month_end


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or year: the unit a disclosure is due for."""

    start: date
    end: date
    kind: str   # "month" | "quarter" | "year"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def zh(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年度"

    @property
    def short(self) -> str:
        """Column header in a matrix of one year."""
        if self.kind == "month":
            return f"{self.start.month}月"
        if self.kind == "quarter":
            return "一二三四"[(self.start.month - 1) // 3] + "季"
        return "年度"

    def next(self) -> Period:
        return period_of(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))


def period_of(kind: str, day: date) -> Period:
    if kind == "month":
        return Period(date(day.year, day.month, 1), month_end(day.year, day.month), "month")
    if kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, first, 1), month_end(day.year, first + 2), "quarter")
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    raise ValueError(kind)


def quarter(year: int, q: int) -> Period:
    return period_of("quarter", date(year, 3 * q - 2, 1))


def parse_quarter(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})Q([1-4])", text.strip())
    if not m:
        raise ValueError(f"季度“{text}”写法不对，应写成 2026Q4。")
    return quarter(int(m.group(1)), int(m.group(2)))


def periods_between(kind: str, first_day: date, ended_before: date) -> list[Period]:
    """Every period from the one holding first_day that ended before `ended_before`."""
    out, p = [], period_of(kind, first_day)
    while p.end < ended_before:
        out.append(p)
        p = p.next()
    return out


def months_in(p: Period) -> list[str]:
    out, m = [], period_of("month", p.start)
    while m.start <= p.end:
        out.append(m.label)
        m = m.next()
    return out
