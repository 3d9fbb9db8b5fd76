"""Personal identifiers that must never be published: ID, mobile and bank card numbers.

One detector serves every stage: the checker (to refuse, with file:line), the
render stage (to mask whatever a check could not see) and the gate on the
built output (to stop a publish). It reads text the way a reader sees it:

- normalised first (`normalise`): NFKC (full-width digits become ASCII),
  zero-width characters and soft hyphens removed, HTML comments and tags
  removed and entities decoded, Markdown emphasis between digits removed,
  `(138)` area-style brackets read as a separator. Every character of the
  normalised text remembers where it came from, so a hit points at the text
  as written;
- digit groups joined by any dash, dot, kind of space or one line break form a
  chain; a candidate is a run of whole groups of a chain (never part of an
  unbroken digit run), so `138 0013 8000`, `4401-0619-8001-0112-31` and
  `6222 0212 3456 7894` are read like the unbroken numbers;
- each candidate is tried as an ID (18 digits: province, birth date, GB 11643
  check character; 15 digits: province and birth date), a mobile (an
  allocated 1[3-9]x prefix, optionally +86/0086), a bank card (16 to 19
  digits: Luhn and a plausible issuer prefix, or card words such as 卡号 or
  银行 right before it);
- evidence against a reading is weighed, not guessed: a code with letters glued
  to it (统一社会信用代码), a date range (20240101-20241231), an amount
  (`… 2600 元`), a slice of a longer evenly grouped run of numbers, and a label
  right before the number or a table column header saying it is a code
  (编码/代码/凭证/合同/发票/编号, 户号/表号 for meters) clear it.

A number cleared by evidence is reported back (`Scan.cleared`) so that the
gate can clear the same number where the context is gone (the search index).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Found", "Scan", "declared_numbers", "digits_of", "find_identifiers", "id_checksum_ok", "luhn_ok",
           "mask_card", "mask_id", "mask_mobile", "mask_text", "normalise", "public_numbers", "scan"]

KIND_LABELS = {"id-number": "身份证号", "mobile": "手机号", "bank-card": "银行卡号"}

# ---------------------------------------------------------------- checks of one number

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province codes of GB/T 2260 (the first two digits of every ID number).
_PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                       "61 62 63 64 65 71 81 82".split())
# Mobile prefixes allocated in mainland China (13x, 145-149, 150-159 but 154, 162/165-167,
# 170-178, 18x, 19x but 194); 140-144, 154, 160/161/163/164/168/169, 179 and 194 are not.
_MOBILE_PREFIX = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])")


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


def _valid_date(year: int, month: int, day: int, low: int = 1900) -> bool:
    if not low <= year <= date.today().year:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def id_reading(digits: str, check: str = "") -> bool:
    """`digits` (+ the check character of an 18-digit ID) read as a citizen ID number."""
    if digits[:2] not in _PROVINCES:
        return False
    if len(digits) == 17:
        return (_valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
                and id_checksum_ok(digits + check))
    if len(digits) == 15:  # first-generation ID: YYMMDD of the 1900s, no check digit
        return _valid_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    return False


def mobile_reading(digits: str) -> bool:
    return len(digits) == 11 and bool(_MOBILE_PREFIX.match(digits))


def issuer_plausible(digits: str) -> bool:
    """Issuer prefixes of cards used in China, by length: UnionPay 62 and the domestic
    60/65/94/955 ranges (16-19 digits), Visa 4 (16 or 19), Mastercard 51-55 and
    2221-2720 (16), JCB 35 (16-19)."""
    n = len(digits)
    if digits.startswith(("62", "60", "65", "94", "955", "35")):
        return 16 <= n <= 19
    if digits[0] == "4":
        return n in (16, 19)
    if digits[:2] in ("51", "52", "53", "54", "55") or 2221 <= int(digits[:4]) <= 2720:
        return n == 16
    return False


def _date8(digits: str) -> bool:
    """YYYYMMDD of a plausible recent day: how serials and date ranges begin."""
    if len(digits) != 8 or digits[:2] not in ("19", "20"):
        return False
    return _valid_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), low=1990)


# ---------------------------------------------------------------- masks

def mask_id(number: str) -> str:
    """4401**********1234: region and check part stay, the birth date goes."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(digits: str) -> str:
    return digits[-11:-8] + "****" + digits[-4:]


def mask_card(digits: str) -> str:
    return digits[:4] + " **** **** " + digits[-4:]


def digits_of(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if "0" <= ch <= "9")


# ---------------------------------------------------------------- normalising

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f"), None)
# Inline elements leave no trace in what a reader sees; block elements (and the cells
# of a table) separate their texts; <br> is a line break.
_INLINE_TAGS = frozenset("a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span "
                         "strike strong sub sup time tt u var wbr".split())
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>"
                     r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});", re.S)
BOUNDARY = "\u2029"   # stands for a block boundary: never a separator
_DASHES = "-\u2010\u2012\u2013\u2014\u2015\u2212\u30fc\u2043\ufe58"
_DOTS = ".\u00b7\u30fb\u2027\u2219"
_SPACES = " \t"
_BREAKS = "\r\n"
_SEPARATORS = frozenset(_DASHES + _DOTS + _SPACES + _BREAKS)
_NEEDS_WORK = re.compile(r"[^\x20-\x7e\n\u4e00-\u9fff，。：；、]|[<&*_~`\\()]")
# Markdown emphasis, code and escapes next to a digit: 4401**0619**…, 138\-0013.
# Runs of four and more stars are masks (138****5678) and stay.
_EMPHASIS = re.compile(r"(?<![*_~`])[*_~`]{1,3}(?![*_~`])|\\(?=[-.()+*_~`\\])")
# (138)0013-8000, (0731)8456-1234: brackets around the first group read as a separator.
_AREA = re.compile(r"\((\d{3,4})\)")


_MAY_FOLD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")
_HAS_ZERO_WIDTH = re.compile("[" + "".join(map(chr, _ZERO_WIDTH)) + "]")


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """One character as a reader compares it: compatibility forms folded (１→1, －→-)
    and zero-width characters dropped."""
    return ch if ch.isascii() else unicodedata.normalize("NFKC", ch).translate(_ZERO_WIDTH)


def normalise(text: str) -> tuple[str, list[int]]:
    """What a reader sees of `text`, and for each of its characters the index of the
    character of `text` it came from."""
    if not _NEEDS_WORK.search(text):
        return text, list(range(len(text)))
    chars: list[str] = []
    where: list[int] = []

    def put(piece: str, origin: int) -> None:
        for ch in piece:
            out = _fold(ch)
            chars.append(out)
            where.extend([origin] * len(out))

    def put_run(a: int, b: int) -> None:
        """text[a:b], which holds no markup: most of it is kept as it is."""
        run = text[a:b]
        if run.isascii() or (unicodedata.is_normalized("NFKC", run) and not _HAS_ZERO_WIDTH.search(run)):
            chars.append(run)
            where.extend(range(a, b))
            return
        last = 0
        for m in _MAY_FOLD.finditer(run):   # ASCII and common ideographs never change
            i = m.start()
            if i > last:
                chars.append(run[last:i])
                where.extend(range(a + last, a + i))
            out = _fold(m.group())
            chars.append(out)
            where.extend([a + i] * len(out))
            last = i + 1
        chars.append(run[last:])
        where.extend(range(a + last, b))

    pos = 0
    for m in _MARKUP.finditer(text):
        put_run(pos, m.start())
        token = m.group()
        if token.startswith("&"):
            put(html.unescape(token), m.start())
        elif m.group(1):
            tag = m.group(1).lower()
            if tag == "br":
                put("\n", m.start())
            elif tag not in _INLINE_TAGS:
                put(BOUNDARY, m.start())
        pos = m.end()
    put_run(pos, len(text))
    norm = "".join(chars)
    # Emphasis markers between digits (or a digit and a separator) leave no trace.
    drop: set[int] = set()
    for m in _EMPHASIS.finditer(norm):
        before = norm[m.start() - 1] if m.start() else ""
        after = norm[m.end()] if m.end() < len(norm) else ""
        if before.isdigit() or after.isdigit() or m.group().startswith("\\"):
            drop.update(range(m.start(), m.end()))
    if drop:
        where = [w for i, w in enumerate(where) if i not in drop]
        norm = "".join(ch for i, ch in enumerate(norm) if i not in drop)
    norm = _AREA.sub(lambda m: " " + m.group(1) + " ", norm)   # same length: positions hold
    return norm, where


# ---------------------------------------------------------------- context

_LABEL = re.compile(
    r"(?P<id>身份证号码|身份证编号|身份证号|身份证|证件号码|证件编号|证件号|身份号码|公民身份)"
    r"|(?P<phone>电话|手机|联系方式|联系人|联系|热线|微信|致电|拨打|tel|mobile|phone)"
    r"|(?P<card>卡号|银行卡|银行账号|银行帐号|账户号|帐户号|账号|帐号|账户|帐户|开户|存折|折号|储蓄卡|借记卡|信用卡|社保卡"
    r"|一卡通|银行)"
    r"|(?P<code>编码|代码|编号|凭证|合同|发票|流水|订单|单号|交易号|户号|表号|电表|水表|气表|燃气|批次|序号|区划|信用代码"
    r"|登记号|证书|许可证|文号|批号)", re.I)
# Labels that mark a code strongly enough to clear even a valid ID reading
# (land-contract and parcel codes embed a region code and can pass the checks).
_STRONG_CODE = re.compile(r"编码|代码|凭证|合同|发票|流水|订单|单号|交易号")
_AMOUNT_BEFORE = re.compile(r"(?:金额|合计|小计|总计|共计|标准|补助|补贴|分别为|收入|支出)[:：为是 ]{0,3}$")
_AMOUNT_AFTER = re.compile(r"^ {0,2}(?:万元|元|块)")
_WINDOW = 24
_LAST_DIGIT = re.compile(r"[0-9](?=[^0-9]*$)")


def _label_class(text: str) -> tuple[str, str]:
    """(class, word) of the last label in `text`: id, phone, card, code, or ("", "")."""
    matches = list(_LABEL.finditer(text))
    last = matches[-1] if matches else None
    if last is None or last.lastgroup is None:
        return "", ""
    return last.lastgroup, last.group()


def header_class(header: str) -> tuple[str, str]:
    """A table column's header read as a label (身份证号 → id, 承包方编码 → code)."""
    if not header:
        return "", ""
    for kind in ("id", "phone", "card", "code"):
        for m in _LABEL.finditer(header):
            if m.lastgroup == kind:
                return kind, m.group()
    return "", ""


@dataclass(frozen=True)
class Found:
    kind: str      # "id-number" | "mobile" | "bank-card"
    text: str      # as written
    masked: str
    start: int     # in the text as written
    end: int
    digits: str = ""
    why: str = ""  # the evidence for this reading, in Chinese

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Scan:
    found: list[Found] = field(default_factory=list)
    cleared: set[str] = field(default_factory=set)   # numbers that read as identifiers but evidence cleared


_DIGITS_RE = re.compile(r"[0-9]+")


def _joins(gap: str, right: str, previous_gap: str | None) -> bool:
    """Whether the text between two digit groups is a separator a reader skips."""
    if not gap or len(gap) > 12 or any(ch not in _SEPARATORS for ch in gap):
        return False
    core = "".join(ch for ch in gap if ch not in _SPACES)
    # nothing, one line break, one dash or dot, or a dash or dot at the end of a line
    if core not in ("", "\n", "\r\n") and not (core[0] in _DASHES + _DOTS and core[1:] in ("", "\n", "\r\n")):
        return False
    if "\n" not in core and len(gap) - len(core) > 3:
        return False
    # 12000.00: a decimal point, unless the number is dotted all along (138.0013.8000).
    return not (gap == "." and len(right) <= 2 and previous_gap != ".")


def _chains(norm: str) -> list[list[tuple[int, int]]]:
    groups = [(m.start(), m.end()) for m in _DIGITS_RE.finditer(norm)]
    chains: list[list[tuple[int, int]]] = []
    previous_gap: str | None = None
    for span in groups:
        if chains:
            last = chains[-1][-1]
            gap = norm[last[1]:span[0]]
            if _joins(gap, norm[span[0]:span[1]], previous_gap):
                chains[-1].append(span)
                previous_gap = gap
                continue
        chains.append([span])
        previous_gap = None
    return chains


_DECIMAL = re.compile(r"\d")


# Characters that are digits to str.isdigit but not decimal digits (², ①, ⒈, ❶):
# NFKC makes digits of them too. tests/test_privacy.py checks this list against
# the running Python's Unicode data.
OTHER_DIGITS = re.compile(
    "[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
    "\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")


def _few_digits(text: str) -> bool:
    """Fewer than eleven characters that are digits to str.isdigit (what NFKC can
    make a digit of: １, ①, ²): such a text cannot hold a personal number."""
    if text.isascii():
        return sum(map(text.count, "0123456789")) < 11
    decimals = len(_DECIMAL.findall(text))
    if decimals >= 11:
        return False
    return decimals + len(OTHER_DIGITS.findall(text)) < 11


def scan(text: str, allowed: frozenset[str] = frozenset(), header: str = "") -> Scan:
    """Every unmasked identifier in `text` (numbers in `allowed`, digits only, are
    public), and the numbers that evidence cleared. `header` is the column header
    when `text` is one cell of a table."""
    if _few_digits(text):
        return Scan()
    result = Scan()
    norm, where = normalise(text)
    head_kind, _ = header_class(header)
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def context(a: int) -> tuple[str, str]:
        """The label a number follows: the last one between it and the text or number
        before it on its block, else its column header."""
        window = norm[max(0, a - _WINDOW):a].rpartition(BOUNDARY)[2]
        m = _LAST_DIGIT.search(window)
        if m:
            window = window[m.end():]
        kind, word = _label_class(window)
        if kind:
            return kind, f"前面写着“{word}”"
        return head_kind, (f"所在列的表头是“{header}”" if head_kind else "")

    def report(kind: str, a: int, b: int, digits: str, masked: str, why: str) -> None:
        start, end = where[a], where[b - 1] + 1
        if start and text[start - 1] in "(（" and any(ch in ")）" for ch in text[start:end]):
            start -= 1   # (138)0013-8000 is masked whole
        result.found.append(Found(kind, text[start:end], masked, start, end, digits, why))
        taken.append((a, b))

    candidates: list[tuple[int, int, str, list[tuple[int, int]], int, int]] = []
    for chain in _chains(norm):
        for s in range(len(chain)):
            digits = ""
            for e in range(s, len(chain)):
                digits += norm[chain[e][0]:chain[e][1]]
                if len(digits) > 19:
                    break
                candidates.append((chain[s][0], chain[e][1], digits, chain, s, e))

    def glued_letter_after(b: int) -> bool:
        return b < len(norm) and norm[b].isascii() and norm[b].isalpha()

    def glued_letter_before(a: int) -> bool:
        return a > 0 and norm[a - 1].isascii() and norm[a - 1].isalpha()

    def evenly_grouped_slice(chain: list[tuple[int, int]], s: int, e: int) -> bool:
        """A slice of a longer run of equal groups (1200 3500 4800 2600 1800)."""
        if s == e:
            return False
        sizes = {b - a for a, b in chain[s:e + 1]}
        if len(sizes) != 1:
            return False
        size = sizes.pop()
        return (s > 0 and chain[s - 1][1] - chain[s - 1][0] == size) or \
            (e + 1 < len(chain) and chain[e + 1][1] - chain[e + 1][0] == size)

    candidates.sort(key=lambda c: (c[0], -len(c[2])))   # at one start, the longest reading first
    # IDs first: the strongest reading (check character), then cards, then mobiles.
    for a, b, digits, _chain, _s, _e in candidates:
        check = ""
        end = b
        if len(digits) == 17 and b < len(norm) and norm[b] in "Xx":
            check, end = norm[b], b + 1
        elif len(digits) == 18:
            digits, check = digits[:17], digits[17]
        if len(digits) not in (15, 17) or not id_reading(digits, check):
            continue
        number = digits + check
        if not free(a, end) or glued_letter_after(end):
            continue
        kind, word = context(a)
        if kind == "code" and _STRONG_CODE.search(word):
            result.cleared.add(number)
            continue
        if glued_letter_before(a) and len(number) == 15:
            continue
        if number.upper() in allowed or number in allowed:
            continue
        why = "出生日期和校验位都对得上" if len(number) == 18 else "15位旧身份证号，地区和出生日期都对得上"
        report("id-number", a, end, number, mask_id(number), why)

    # Cards: first the readings that pass Luhn, then (next to card words) those that do not,
    # so that "卡号 6222…7894 12月" is the 16 digits, not 18 with the month.
    for with_luhn in (True, False):
        for a, b, digits, chain, s, e in candidates:
            if not 16 <= len(digits) <= 19 or not free(a, b):
                continue
            if glued_letter_before(a) or glued_letter_after(b):
                continue
            luhn, issuer = luhn_ok(digits), issuer_plausible(digits)
            if luhn != with_luhn or not (luhn or issuer):
                continue
            kind, word = context(a)
            structural = luhn and issuer
            cleared = (
                _date8(digits[:8])                                         # a serial or a date range
                or kind == "code"
                or bool(_AMOUNT_BEFORE.search(norm[max(0, a - 8):a])) or bool(_AMOUNT_AFTER.match(norm[b:b + 4]))
                or (kind != "card" and evenly_grouped_slice(chain, s, e)))
            if cleared:
                if structural:
                    result.cleared.add(digits)
                continue
            if kind == "card":
                why = word + ("" if luhn else "（校验位不符，可能有一位写错）")
            elif structural:
                why = "通过银行卡校验（Luhn），开头是银行卡号段"
            else:
                continue
            if digits in allowed:
                continue
            report("bank-card", a, b, digits, mask_card(digits), why)

    for a, b, digits, chain, s, e in candidates:
        prefix = ""
        if len(digits) in (13, 15) and s == e and digits.startswith(("86", "0086")):
            prefix, digits = digits[:-11], digits[-11:]
            if prefix not in ("86", "0086"):
                continue
        if not mobile_reading(digits) or not free(a, b) or glued_letter_after(b):
            continue
        kind, _word = context(a)
        if kind == "code":
            result.cleared.add(digits)
            continue
        if digits in allowed or prefix + digits in allowed:
            continue
        if s > 0 and norm[chain[s - 1][0]:chain[s - 1][1]] in ("86", "0086"):
            a = chain[s - 1][0]   # +86 138 0013 8000: the country code goes with the number
        if a > 0 and norm[a - 1] == "+":
            a -= 1
        report("mobile", a, b, digits, mask_mobile(digits), "11位，号段是手机号段")
    result.found.sort(key=lambda f: f.start)
    return result


def find_identifiers(text: str, allowed: frozenset[str] = frozenset(), header: str = "") -> list[Found]:
    """Every unmasked identifier in `text`; numbers in `allowed` (digits only) are public."""
    return scan(text, allowed, header).found


def mask_text(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """`text` with every identifier replaced by its masked form."""
    # Masking one number can expose another that was glued to it: repeat until none is left
    # (each round replaces digits with *, so this ends).
    while found := find_identifiers(text, allowed):
        for f in reversed(found):
            text = text[: f.start] + f.masked + text[f.end:]
    return text


def public_numbers(*phones: str | None) -> frozenset[str]:
    """Digits of the contact numbers a village publishes (its office, the township).
    Only phone-length numbers: an ID or card number in a phone field stays refused."""
    out = set()
    for phone in phones:
        digits = digits_of(phone or "")
        if 7 <= len(digits) <= 15:
            out.add(digits)
            out.add(digits[-11:])
    return frozenset(out)


def declared_numbers(numbers: Iterable[str | None]) -> frozenset[str]:
    """Digits of numbers a clerk declared public with a reason (`public_numbers:`)."""
    out = set()
    for number in numbers:
        digits = digits_of(number or "")
        if digits:
            out.add(digits)
            out.add(digits[-11:])
            if (number or "").strip()[-1:] in "Xx" and len(digits) == 17:
                out.add(digits + "X")
    return frozenset(out)
