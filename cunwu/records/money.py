"""Yuan with two decimals, always Decimal, never float: the constants and the
one way an amount is written in messages and on pages."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12   # a trillion yuan: anything larger is a typing mistake


def amount_text(amount: Decimal | None) -> str:
    """1,234.50 — or — when there is no amount."""
    return "—" if amount is None else f"{amount:,.2f}"


def yuan(amount: Decimal) -> str:
    """1,234.50 元, as messages to clerks write it."""
    return f"{amount:,.2f} 元"
