"""Dates and months as villagers read them: 2024年3月5日, 2024年3月."""

from __future__ import annotations

from datetime import date


def zh_date(day: date | None) -> str:
    return "—" if day is None else f"{day.year}年{day.month}月{day.day}日"


def zh_month(month: str) -> str:
    year, mon = month.split("-")
    return f"{year}年{int(mon)}月"
