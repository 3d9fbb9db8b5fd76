"""会计科目 → the standard income and expense categories of a ledger.

A journal names its subject as text ("管理费用-办公费", "541001 管理费用"), as a
code, or as a local name; a mapping file can add the village's own names.
Balance-sheet subjects (cash, bank, loans) are refused with a reason, since
moving money between them is neither income nor expense.
"""

from __future__ import annotations

import re

from ..records.accounts import ACCOUNT_SYSTEMS, BALANCE_SHEET_NAMES, NAMES_2023, SYSTEM_TITLES, other_system
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from .cells import norm

CATEGORIES = INCOME_CATEGORIES + EXPENSE_CATEGORIES

CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "经营收入": ("营业收入", "主营业务收入", "销售收入", "服务收入", "劳务收入", "租赁收入", "出租收入",
              "农产品销售收入", "物资销售收入", "经营性收入"),
    "承包收入": ("发包及上交收入", "发包及上交", "发包收入", "承包金", "承包费", "承包费收入", "上交收入",
              "土地承包收入", "果园承包收入", "承包上交收入"),
    "补助收入": ("财政补助", "财政补助收入", "上级补助", "上级补助收入", "补贴收入", "转移支付", "转移支付收入",
              "农业税附加返还收入", "补助", "财政补贴"),
    "投资收益": ("投资收入", "分红收入", "股金分红", "股份分红", "投资分红", "入股分红"),
    "其他收入": ("利息收入", "营业外收入", "捐赠收入", "罚款收入", "杂项收入", "其它收入"),
    "经营支出": ("营业支出", "经营成本", "主营业务成本", "经营费用", "销售成本", "经营性支出"),
    "管理费用": ("管理费", "干部报酬", "村干部报酬", "误工补贴", "村干部误工补贴", "办公费", "办公费用",
              "差旅费", "报刊费", "会议费", "招待费", "业务招待费", "村级组织运转经费支出"),
    "公益支出": ("公益事业支出", "公益性支出", "公益事业", "公益费用", "村级公益事业支出", "公益事业费"),
    "其他支出": ("利息支出", "营业外支出", "杂项支出", "捐赠支出", "罚款支出", "其它支出"),
}
# Names that are ours already in the old aliases keep their meaning; the 2023
# system's other names (records/accounts.py, NAMES_2023) come after them.
_CATEGORY_ALIAS = {**NAMES_2023,
                   **{alias: cat for cat, aliases in CATEGORY_ALIASES.items() for alias in aliases}}


def _by_name(parts: list[str], n: str) -> str | None:
    for part in parts:
        part = part.removesuffix("科目")
        if part in CATEGORIES:
            return part
        if part in _CATEGORY_ALIAS:
            return _CATEGORY_ALIAS[part]
    found = {c for c in CATEGORIES if c in n}
    return found.pop() if len(found) == 1 else None


def _account(code: str, system: str) -> str | None:
    """The first-level account a code (or a sub-account's code) names under `system`."""
    digits = norm(code)
    return ACCOUNT_SYSTEMS[system].get(digits[:3]) if re.fullmatch(r"\d{3,}", digits) else None


def map_category(text: str, code: str = "", extra: dict[str, str] | None = None,
                 system: str = "2023") -> tuple[str | None, str]:
    """科目 text (and/or code) → (category, '') or (None, why). Codes are read by
    `system`, the accounting system of the month's books (records/accounts.py)."""
    extra = extra or {}
    raw = str(text or "").strip()
    for key in (raw, norm(raw), str(code).strip()):
        if key and key in extra:
            return extra[key], ""
    n = norm(raw)
    m = re.match(r"^(\d{3,})[-_.、:]?(.*)$", n)
    codes = [str(code).strip()] if code else []
    if m:
        codes.insert(0, m.group(1))
        n = m.group(2)
    parts = [p for p in re.split(r"[-—–_/\\:>|·、]+", n) if p]
    named = _by_name(parts, n)
    shown = raw or str(code)
    other = other_system(system)
    for c in codes:
        used, account = system, _account(c, system)
        if account is None:   # a code only the other system has (541 管理费用 of 2004) can mean nothing else
            used, account = other, _account(c, other)
        if account is None:
            continue
        by_code = _by_name([account], account)
        if named is None:
            if by_code is not None:
                return by_code, ""
            if norm(c)[0] in "1234":
                return None, (f"科目“{shown}”的编号 {norm(c)[:3]} 在{SYSTEM_TITLES[used]}里是“{account}”，"
                              "不是收入或支出科目（现金、存款、往来款、借款等不列入收支明细）。"
                              "如确需列入，请在映射文件的 categories 里写明它对应的科目")
            return None, (f"科目“{shown}”的编号 {norm(c)[:3]} 在{SYSTEM_TITLES[used]}里是“{account}”，"
                          f"收支明细没有这个科目。请在映射文件的 categories 里写明它对应的科目")
        if used != system:
            continue   # the name decides
        other_account = _account(c, other)
        if by_code not in (None, named) and (other_account is None or _by_name([other_account], other_account) != named):
            elsewhere = f"，在{SYSTEM_TITLES[other]}里是“{other_account}”" if other_account else ""
            return None, (f"科目“{shown}”的编号 {norm(c)[:3]} 在{SYSTEM_TITLES[system]}里是“{account}”{elsewhere}，"
                          f"与名称（{named}）不符。请核对科目的编号和名称")
    if named is not None:
        return named, ""
    if not raw and not codes:
        return None, "没有科目"
    if parts and parts[0] in BALANCE_SHEET_NAMES:
        return None, (f"科目“{shown}”不是收入或支出科目（现金、存款、往来款、借款等不列入收支明细）。"
                      "如确需列入，请在映射文件的 categories 里写明它对应的科目")
    return None, (f"不认识的科目“{shown}”。可用的科目：收入 {'、'.join(INCOME_CATEGORIES)}；"
                  f"支出 {'、'.join(EXPENSE_CATEGORIES)}。可在表格里改正，或在映射文件的 categories 里写明对照")
