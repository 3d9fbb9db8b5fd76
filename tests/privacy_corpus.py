"""Seeded corpora for the personal-number detector (used by tests/test_privacy_corpus.py
and scripts/bench_privacy.py).

`identifiers(n)` gives real-looking ID, mobile and card numbers (Faker's zh_CN
provider for IDs and mobiles, UnionPay-style card numbers with a valid Luhn digit)
each in one of the spellings that once slipped through: full-width digits,
grouped with dashes, dots, NBSP, U+3000, two spaces, a zero-width space, a soft
hyphen, split by Markdown emphasis, <span>, <!-- --> or a character reference,
across a line break, (138)0013-8000, +86/0086, an ID after Latin letters, old
15-digit IDs, a card with one mistyped digit next to 卡号.

`false_positives(seed)` gives numbers that only look like them, by kind, each in
the context where a clerk writes it (a label, a table column, an amount's 元).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from cunwu.records.privacy import luhn_ok

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Planted:
    kind: str        # id-number | mobile | bank-card
    digits: str      # the number (with X for an ID's check character)
    text: str        # as written
    spelling: str    # name of the spelling


def _fullwidth(s: str) -> str:
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in s)


def _group(s: str, sizes: tuple[int, ...], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(s[pos:pos + size])
        pos += size
    if pos < len(s):
        out.append(s[pos:])
    return sep.join(p for p in out if p)


def _split(s: str, at: int, left: str, right: str = "") -> str:
    return s[:at] + left + s[at:at + 4] + right + s[at + 4:]


def _luhn_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError


def card_number(rng: random.Random, length: int | None = None) -> str:
    length = length or rng.choice((16, 19))
    prefix = rng.choice(("622202", "621700", "623668", "622848", "625807", "436742", "955880"))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + _luhn_digit(body)


def old_id(rng: random.Random, region: str) -> str:
    return region + f"{rng.randint(30, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + \
        f"{rng.randint(0, 999):03d}"


# name → (kinds it applies to, how it writes the digits)
SPELLINGS: dict[str, tuple[tuple[str, ...], Callable[[str], str]]] = {
    "plain": (("id-number", "mobile", "bank-card"), lambda s: s),
    "full-width": (("id-number", "mobile", "bank-card"), _fullwidth),
    "id 6-8-4 dashes": (("id-number",), lambda s: _group(s, (6, 8, 4), "-")),
    "id grouped in fours": (("id-number",), lambda s: _group(s, (4, 4, 4, 4), " ")),
    "id after letters": (("id-number",), lambda s: "NO" + s),
    "mobile 3-4-4": (("mobile",), lambda s: _group(s, (3, 4, 4), " ")),
    "mobile 4-3-4": (("mobile",), lambda s: _group(s, (4, 3, 4), "-")),
    "mobile (138)0013-8000": (("mobile",), lambda s: f"({s[:3]}){s[3:7]}-{s[7:]}"),
    "mobile +86": (("mobile",), lambda s: "+86 " + _group(s, (3, 4, 4), " ")),
    "mobile 0086": (("mobile",), lambda s: "0086" + s),
    "card 4-4-4-4": (("bank-card",), lambda s: _group(s, (4, 4, 4, 4), " ")),
    "card 6-4-6": (("bank-card",), lambda s: _group(s, (6, 4, 6), " ")),
    "dot": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (4, 4, 4, 4), ".")),
    "en dash": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (6, 8), "\u2013")),
    "full-width hyphen": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (6, 8), "\uff0d")),
    "NBSP": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (4, 4, 4, 4), "\u00a0")),
    "U+3000": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (6, 8), "\u3000")),
    "two spaces": (("id-number", "mobile", "bank-card"), lambda s: _group(s, (3, 4, 4) if len(s) == 11 else (6, 8), "  ")),
    "zero-width space": (("id-number", "mobile", "bank-card"), lambda s: s[:5] + "\u200b" + s[5:]),
    "soft hyphen": (("id-number", "mobile", "bank-card"), lambda s: s[:6] + "\u00ad" + s[6:]),
    "markdown **": (("id-number", "mobile", "bank-card"), lambda s: _split(s, 3, "**", "**")),
    "<span>": (("id-number", "mobile", "bank-card"), lambda s: _split(s, 3, "<span>", "</span>")),
    "<!-- -->": (("id-number", "mobile", "bank-card"), lambda s: s[:4] + "<!-- -->" + s[4:]),
    "&#49; reference": (("id-number", "mobile", "bank-card"), lambda s: f"&#{ord(s[0])};" + s[1:]),
}
LINE_BREAK = "line break"   # written by the planter: the number continues on the next line


def identifiers(n: int, seed: int = 20240611) -> list[Planted]:
    """`n` identifiers, cycling through every kind and every spelling."""
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    combos = [(kind, name) for name, (kinds, _) in SPELLINGS.items() for kind in kinds]
    combos += [("id-number", "old 15-digit"), ("bank-card", "mistyped next to 卡号"),
               ("id-number", LINE_BREAK), ("mobile", LINE_BREAK), ("bank-card", LINE_BREAK)]
    out: list[Planted] = []
    while len(out) < n:
        kind, name = combos[len(out) % len(combos)]
        if kind == "id-number":
            digits = fake.ssn()
            if name == "old 15-digit":
                digits = old_id(rng, digits[:6])
        elif kind == "mobile":
            digits = fake.phone_number()
            while not digits.startswith(("13", "15", "18", "17", "19")) or digits[:3] in ("154", "179", "194"):
                digits = fake.phone_number()
        else:
            digits = card_number(rng)
        if name == "mistyped next to 卡号":
            i = rng.randrange(6, len(digits) - 1)
            typo = digits[:i] + str((int(digits[i]) + rng.randint(1, 9)) % 10) + digits[i + 1:]
            out.append(Planted(kind, typo, "卡号" + typo, name))
        elif name in ("old 15-digit", LINE_BREAK):
            out.append(Planted(kind, digits, digits, name))
        else:
            out.append(Planted(kind, digits, SPELLINGS[name][1](digits), name))
    return out


# ---------------------------------------------------------------- look-alikes

_REGIONS = ("430124", "430121", "441802", "620102", "650104", "350203", "510107", "110105", "320583", "370212")


def _rand_digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _date(rng: random.Random, year: int | None = None) -> str:
    return f"{year or rng.randint(2015, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc(rng: random.Random) -> str:
    """统一社会信用代码 (GB 32100-2015) with its check character."""
    head = rng.choice(("91", "92", "93", "12", "52", "11", "N1", "54"))
    org = "".join(rng.choice(_USCC_CHARS if rng.random() < 0.3 else "0123456789") for _ in range(9))
    body = head + rng.choice(_REGIONS) + org
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def land_code(rng: random.Random) -> str:
    """承包方编码: 6-digit county + 3-digit township + 3-digit village + 2-digit group + 4-digit household."""
    township = rng.choice((rng.randint(100, 130), rng.randint(200, 215)))
    return f"{rng.choice(_REGIONS)}{township:03d}{rng.randint(200, 240):03d}{rng.randint(1, 20):02d}{rng.randint(1, 300):04d}"


@dataclass(frozen=True)
class LookAlike:
    kind: str     # the row of the table
    text: str
    header: str = ""


def false_positives(seed: int = 7, per_kind: int = 700) -> list[LookAlike]:
    """Numbers that are not personal identifiers, in the contexts they are written in."""
    rng = random.Random(seed)
    out: list[LookAlike] = []
    for _ in range(per_kind):
        out.append(LookAlike("18位流水号（年月日+10位）", rng.choice(("单据号 ", "", "编号：")) + _date(rng) + _rand_digits(rng, 10)))
        out.append(LookAlike("统一社会信用代码", rng.choice(("统一社会信用代码：", "", "信用代码 ")) + uscc(rng)))
        a, b = _date(rng), _date(rng)
        out.append(LookAlike("日期区间", rng.choice(("{}-{}", "{}—{}", "{} - {}", "公示期 {}-{}")).format(min(a, b), max(a, b))))
        amounts = " ".join(str(rng.randint(1000, 9999)) for _ in range(4))
        out.append(LookAlike("四个4位金额", rng.choice(("各组补助分别为 {} 元", "金额 {}", "补贴标准 {} 元", "{} 元")).format(amounts)))
        n = rng.choice((16, 19))
        out.append(LookAlike("16/19位交易流水号", rng.choice(("交易流水号 ", "流水号：", "订单号", "银行流水号 ", "交易号 "))
                             + _rand_digits(rng, n)))
        meter = "1" + rng.choice("3456789") + _rand_digits(rng, 9)
        out.append(LookAlike("11位电表/水表户号", rng.choice(("电表户号 ", "水表编号：", "户号", "燃气表号 ")) + meter))
        out.append(LookAlike("12位区划代码", rng.choice(("区划代码 ", "", "村代码：")) + rng.choice(_REGIONS) + _rand_digits(rng, 6)))
        code = land_code(rng)
        if rng.random() < 0.5:
            out.append(LookAlike("承包方编码（18位）", code, header=rng.choice(("承包方编码", "地块编码", "合同编号"))))
        else:
            out.append(LookAlike("承包方编码（18位）", f"承包方编码 {code}"))
    return out


def bare_look_alikes(seed: int = 11, per_kind: int = 700) -> list[LookAlike]:
    """The same look-alikes with no context at all: shown for honesty in the benchmark,
    not a target (an 11-digit meter number with nothing around it IS a mobile number)."""
    rng = random.Random(seed)
    out = []
    for _ in range(per_kind):
        out.append(LookAlike("四个4位金额（无上下文）", " ".join(str(rng.randint(1000, 9999)) for _ in range(4))))
        out.append(LookAlike("16/19位交易号（无上下文）", _rand_digits(rng, rng.choice((16, 19)))))
        out.append(LookAlike("11位表号（无上下文）", "1" + rng.choice("3456789") + _rand_digits(rng, 9)))
        out.append(LookAlike("承包方编码（无上下文）", land_code(rng)))
    return out
