"""Personal identifiers that must never be published: ID, mobile and bank card numbers.

`find_identifiers` is used by the checker (to refuse) and by the render stage
(to mask whatever a check could not see, e.g. text in imported tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Digits possibly grouped by single spaces or hyphens, not glued to other digits.
# An ID may be written grouped 6-8-4 with single spaces.
_ID_RE = re.compile(r"(?<![\dA-Za-z])\d{6} ?(?:19|20)\d{2}[01]\d[0-3]\d ?\d{3}[\dXx](?![\dA-Za-z])")
_MOBILE_RE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
# 16 to 19 digits; a 19-digit card is usually grouped 4-4-4-4-3.
_CARD_RE = re.compile(r"(?<![\d])\d{4}(?:[ -]?\d{4}){3}(?P<tail>[ -]?\d{1,3})?(?!\d)")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Found:
    kind: str      # "id-number" | "mobile" | "bank-card"
    text: str      # as written
    masked: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return {"id-number": "身份证号", "mobile": "手机号", "bank-card": "银行卡号"}[self.kind]


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_id(number: str) -> str:
    return number[:6] + "*" * 8 + number[14:]


def mask_mobile(digits: str) -> str:
    return digits[-11:-8] + "****" + digits[-4:]


def mask_card(digits: str) -> str:
    return digits[:4] + " **** **** " + digits[-4:]


def find_identifiers(text: str, allowed: frozenset[str] = frozenset()) -> list[Found]:
    """Every unmasked identifier in `text`; numbers in `allowed` (digits only) are public."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _ID_RE.finditer(text):
        number = m.group().replace(" ", "")
        if id_checksum_ok(number):
            found.append(Found("id-number", m.group(), mask_id(number), m.start(), m.end()))
            taken.append(m.span())
    for m in _CARD_RE.finditer(text):
        spans = [m.span()]
        if m.group("tail") and not m.group("tail")[0].isdigit():  # "…7894 12月": the card without " 12"
            spans.append((m.start(), m.start("tail")))
        for a, b in spans:
            digits = _digits(text[a:b])
            if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(a, b) and digits not in allowed:
                found.append(Found("bank-card", text[a:b], mask_card(digits), a, b))
                taken.append((a, b))
                break
    for m in _MOBILE_RE.finditer(text):
        digits = _digits(m.group())
        if free(*m.span()) and digits[-11:] not in allowed:
            found.append(Found("mobile", m.group(), mask_mobile(digits), m.start(), m.end()))
            taken.append(m.span())
    return sorted(found, key=lambda f: f.start)


def mask_text(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """`text` with every identifier replaced by its masked form."""
    # Masking one number can expose another that was glued to it: repeat until none is left
    # (each round replaces digits with *, so this ends).
    while found := find_identifiers(text, allowed):
        for f in reversed(found):
            text = text[: f.start] + f.masked + text[f.end:]
    return text


def public_numbers(*phones: str) -> frozenset[str]:
    """Digits of the numbers a village declared public (its office, the township)."""
    out = set()
    for phone in phones:
        digits = _digits(phone or "")
        if digits:
            out.add(digits)
            out.add(digits[-11:])
    return frozenset(out)
