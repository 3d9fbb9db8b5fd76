"""Yuan with two decimals, always Decimal, never float: the constants and the
one way an amount is written in messages and on pages."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12   # a trillion yuan: anything larger is a typing mistake


def decimal_places(amount: Decimal) -> int:
    """Places after the point as written: 2 for 1.50, 3 for 1.500, 0 for 12 or 1E+3.
    Only for finite amounts (NaN and infinity have no places)."""
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"not a finite amount: {amount}")
    return max(-exponent, 0)


def amount_text(amount: Decimal | None) -> str:
    """1,234.50 — or — when there is no amount."""
    return "—" if amount is None else f"{amount:,.2f}"


def yuan(amount: Decimal) -> str:
    """1,234.50 元, as messages to clerks write it."""
    return f"{amount:,.2f} 元"
