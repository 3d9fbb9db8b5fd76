"""Cell values of an imported spreadsheet: text for matching, amounts, dates.

Accounting software and clerks write the same value many ways (full-width
digits, 1,234.50, (120.00) for a negative, an Excel date serial, "1月5日" or
just the day); each reader accepts them all and refuses the rest with a
CellError whose Chinese message names the value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..records.money import CENT, MAX_AMOUNT, decimal_places


def norm(value: Any) -> str:
    """Text for matching: full-width → half-width, no spaces, no '(元)' unit, no trailing colon."""
    text = unicodedata.normalize("NFKC", str(value)) if value is not None else ""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\((单位:?)?(人民币)?元\)$", "", text)
    return text.rstrip(":").lower()


class CellError(Exception):
    """A cell that cannot be read; the Chinese message names the value and what is wrong."""


def parse_amount(value: Any) -> Decimal | None:
    """A money cell → Decimal with two places, None when empty or zero; CellError if unreadable."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"金额“{value}”不是数字")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(f"金额“{value}”不是数字")
        amount = Decimal(repr(value))
        if decimal_places(amount) > 2:
            rounded = amount.quantize(CENT)
            if abs(rounded - amount) > Decimal("0.000001"):
                raise CellError(f"金额“{value}”超过两位小数（金额最多写到分）")
            amount = rounded
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"[\s,¥元]|RMB|人民币", "", text)
        if text in ("", "-", "—", "–", "--", "/", "——"):
            return None
        negative = False
        m = re.fullmatch(r"\((.*)\)", text)
        if m:
            text, negative = m.group(1), True
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise CellError(f"金额“{str(value).strip()}”不是数字")
        amount = Decimal(text)
        if negative:
            amount = -amount
        if decimal_places(amount) > 2:
            raise CellError(f"金额“{str(value).strip()}”超过两位小数（金额最多写到分）")
    if amount == 0:
        return None
    if abs(amount) >= MAX_AMOUNT:
        raise CellError(f"金额“{value}”大得不合常理（超过一万亿元），请核对")
    return amount.quantize(CENT)


def parse_cell_date(value: Any, month: str) -> date:
    """A date cell → date. Year and month come from `month` when the cell has only a day or month-day."""
    year, mon = map(int, month.split("-"))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 31:
            return make_date(year, mon, int(value), str(int(value)))
        if float(value).is_integer() and 20000 < value < 80000:    # an Excel serial number
            return date(1899, 12, 30) + timedelta(days=int(value))
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            return _from_text(str(int(value)), year, mon)
        raise CellError(f"日期“{value}”看不懂")
    return _from_text(str(value), year, mon)


def make_date(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"日期“{shown}”不存在（月份或天数不对）") from None


def _from_text(raw: str, year: int, mon: int) -> date:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)      # 2024-01-05 00:00:00
    text = text.replace(" ", "")
    for pattern, parts in ((r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", "ymd"),
                           (r"(\d{4})(\d{2})(\d{2})", "ymd"),
                           (r"(\d{1,2})[-/.月](\d{1,2})日?", "md"),
                           (r"(\d{1,2})日?", "d")):
        m = re.fullmatch(pattern, text)
        if m:
            nums = list(map(int, m.groups()))
            if parts == "ymd":
                return make_date(nums[0], nums[1], nums[2], raw.strip())
            if parts == "md":
                return make_date(year, nums[0], nums[1], raw.strip())
            return make_date(year, mon, nums[0], raw.strip())
    raise CellError(f"日期“{raw.strip()}”看不懂（可写 2024-01-05、2024/1/5、1月5日 或只写日）")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return re.sub(r"\s+", " ", str(value)).strip()

