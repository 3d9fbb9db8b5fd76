"""Ledger categories under the two accounting systems.

Since 2024-01-01 the collective's books follow 《农村集体经济组织会计制度》
(财会〔2023〕14号), which replaced the 2004 《村集体经济组织会计制度》. Its
profit-and-loss accounts differ from ours in two ways:

- 发包及上交收入 (our 承包收入) is gone: rent for land, ponds, forests and
  buildings let out is 经营收入 (出租收入), and what a company hands over from its
  profits is 投资收益;
- 税金及附加 is new (taxes and surcharges of the collective's business).

Records keep the names a clerk knows: 承包收入 stays valid and is shown under
2023 accounts as 经营收入 (this table), so that books written before and after
2024 add up side by side. The 2023 statements are the 资产负债表 and the
收益及收益分配表; the year's 收益 is computed from the ledger in books_view.
"""

from __future__ import annotations

from .models import EXPENSE_CATEGORIES, INCOME_CATEGORIES

# our category → the 2023 account it is reported under
ACCOUNT_2023: dict[str, str] = {**{c: c for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES}, "承包收入": "经营收入"}

# The profit-and-loss accounts of the 2023 system, in the order of its 收益及收益分配表.
INCOME_ACCOUNTS_2023 = ("经营收入", "投资收益", "补助收入", "其他收入")
EXPENSE_ACCOUNTS_2023 = ("经营支出", "税金及附加", "管理费用", "公益支出", "其他支出")

# Names of the old system still met in exports, with the 2023 account they fall under.
OLD_NAMES = {"发包及上交收入": "经营收入", "农业税附加返还收入": "补助收入"}


def account_2023(category: str) -> str:
    """The 2023 account a ledger category is reported under."""
    return ACCOUNT_2023.get(category, OLD_NAMES.get(category, category))
