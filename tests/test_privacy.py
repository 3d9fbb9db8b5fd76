"""Unit tests for cunwu/privacy.py: what counts as an ID, mobile or bank card number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunwu.records.privacy import (
    declared_numbers,
    find_identifiers,
    id_checksum_ok,
    luhn_ok,
    mask_card,
    mask_id,
    mask_mobile,
    mask_text,
    public_numbers,
)

ID = "430124198001011231"           # checksum-valid (computed by GB 11643)
ID_X = "11010519491231002X"         # the standard's own example, check character X
CARD16 = "6222021234567894"         # Luhn-valid
CARD19 = "6217000012345678907"      # Luhn-valid


def kinds(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_identifiers(text, allowed)]


# ---------------------------------------------------------------- checksums

@pytest.mark.parametrize("number", [ID, ID_X, ID_X.lower(), "430124200002290025"])
def test_id_checksum_valid(number):
    assert id_checksum_ok(number)


@pytest.mark.parametrize("number", ["430124198001011232", "110105194912310021", "43012419800101123",
                                    "4301241980010112311", "43012419800101123Y", "A30124198001011231", ""])
def test_id_checksum_invalid(number):
    assert not id_checksum_ok(number)


@pytest.mark.parametrize("digits", ["79927398713", "4111111111111111", CARD16, CARD19, "0"])
def test_luhn_valid(digits):
    assert luhn_ok(digits)


@pytest.mark.parametrize("digits", ["79927398710", "4111111111111112", "6222021234567895", "6217000012345678900"])
def test_luhn_invalid(digits):
    assert not luhn_ok(digits)


def test_luhn_catches_every_single_digit_change():
    for i in range(len(CARD19)):
        for d in "0123456789":
            if d != CARD19[i]:
                assert not luhn_ok(CARD19[:i] + d + CARD19[i + 1:])


# ---------------------------------------------------------------- masks

def test_masks():
    assert mask_id(ID) == "4301**********1231"
    assert mask_id(ID_X) == "1101**********002X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("8613812345678") == "138****5678"
    assert mask_card(CARD16) == "6222 **** **** 7894"
    assert mask_card(CARD19) == "6217 **** **** 8907"


def test_masked_forms_are_not_found_again():
    for masked in ("430124********1231", "138****5678", "6222 **** **** 7894", "110105********002X"):
        assert kinds(f"号码：{masked}。") == []


# ---------------------------------------------------------------- finding

@pytest.mark.parametrize("text, expected", [
    (f"身份证号{ID}。", [("id-number", ID)]),
    (f"身份证 {ID_X}", [("id-number", ID_X)]),
    (f"身份证 {ID_X.lower()}", [("id-number", ID_X.lower())]),
    ("身份证 430124 19800101 1231", [("id-number", "430124 19800101 1231")]),
    ("电话13812345678", [("mobile", "13812345678")]),
    ("电话 138-1234-5678", [("mobile", "138-1234-5678")]),
    ("电话 138 1234 5678", [("mobile", "138 1234 5678")]),
    ("电话 +86 138 1234 5678", [("mobile", "+86 138 1234 5678")]),
    ("电话 +8613812345678", [("mobile", "+8613812345678")]),
    (f"卡号{CARD16}", [("bank-card", CARD16)]),
    ("卡号 6222 0212 3456 7894", [("bank-card", "6222 0212 3456 7894")]),
    ("卡号 6222-0212-3456-7894", [("bank-card", "6222-0212-3456-7894")]),
    (f"卡号 {CARD19}", [("bank-card", CARD19)]),
    ("卡号 6217 0000 1234 5678 907", [("bank-card", "6217 0000 1234 5678 907")]),
    (f"卡号 {CARD16} 12月到账", [("bank-card", CARD16)]),
    (f"张三，{ID}，13812345678，{CARD16}",
     [("id-number", ID), ("mobile", "13812345678"), ("bank-card", CARD16)]),
])
def test_found(text, expected):
    assert sorted(kinds(text)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "430124198001011232",        # ID with a wrong check digit (and not Luhn-valid either)
    "6222021234567895",          # card failing Luhn
    "1381234567",                # 10 digits
    "138123456789",              # 12 digits: not a mobile
    "12812345678",               # 12x is not a mobile prefix
    "0731-84561234",             # landline
    "430124105201",              # a 12-digit village code
    "2024-03-08", "2024-03-08 至 2024-04-15", "12000.00", "380000.00", "记-001", "1690 人",
    f"1{ID}",                    # glued to a digit (and the 19 digits fail Luhn)
])
def test_not_found(text):
    assert kinds(text) == []


def test_found_positions_point_at_the_text():
    text = f"甲 {ID} 乙 138-1234-5678 丙 6222 0212 3456 7894 丁"
    for f in find_identifiers(text):
        assert text[f.start:f.end] == f.text


# ---------------------------------------------------------------- public numbers

def test_public_numbers():
    allowed = public_numbers("0731-84561234", "139-0731-1234", "", None)
    assert "073184561234" in allowed
    assert "13907311234" in allowed
    assert "" not in allowed


def test_declared_public_mobile_is_allowed_in_any_spelling():
    allowed = public_numbers("13907311234")
    for spelling in ("13907311234", "139-0731-1234", "139 0731 1234", "+86 139 0731 1234"):
        assert kinds(f"咨询电话：{spelling}", allowed) == []
    assert kinds("另一个 13812345678", allowed) == [("mobile", "13812345678")]


def test_declared_public_card_is_allowed():
    allowed = declared_numbers([CARD16])
    assert kinds(f"村集体账户 {CARD16}", allowed) == []


def test_id_numbers_are_never_allowed():
    assert kinds(f"{ID}", public_numbers(ID)) == [("id-number", ID)]


# ---------------------------------------------------------------- mask_text

def test_mask_text():
    text = f"张三，身份证 {ID}，电话 138-1234-5678，卡号 6222 0212 3456 7894。"
    assert mask_text(text) == "张三，身份证 4301**********1231，电话 138****5678，卡号 6222 **** **** 7894。"


def test_mask_text_keeps_allowed_numbers():
    allowed = public_numbers("13907311234")
    assert mask_text("电话 13907311234、13812345678", allowed) == "电话 13907311234、138****5678"


PIECES = st.sampled_from([ID, ID_X, CARD16, CARD19, "13812345678", "138-1234-5678", "6222 0212 3456 7894",
                          "0731-84561234", "2024-03-08", "12000.00", " ", "-", "，", "x", "X", "+86 "])
TEXTS = st.lists(st.one_of(PIECES, st.text(alphabet="0123456789 -xX+张", max_size=8)), max_size=8).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(TEXTS)
def test_masked_text_has_no_identifiers_left(text):
    masked = mask_text(text)
    assert find_identifiers(masked) == []
    assert mask_text(masked) == masked


@settings(max_examples=300, deadline=None, database=None)
@given(TEXTS)
def test_found_spans_are_disjoint_and_exact(text):
    found = find_identifiers(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for f in found:
        assert text[f.start:f.end] == f.text


def test_the_list_of_other_digits_is_complete():
    """privacy.OTHER_DIGITS is every character str.isdigit counts that is not a
    decimal digit: a text of fewer than eleven digits is skipped by that count."""
    from cunwu.records.privacy import OTHER_DIGITS
    wanted = {chr(c) for c in range(0x110000) if chr(c).isdigit() and not chr(c).isdecimal()}
    listed = {chr(c) for c in range(0x110000) if OTHER_DIGITS.fullmatch(chr(c))}
    assert listed == wanted
