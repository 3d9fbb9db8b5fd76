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

# What `cunwu import ledger` (clerk/subjects.py) accepts from journals kept under
# the 2023 system, matched by NAME: the profit-and-loss accounts above are our
# categories already (经营收入, 投资收益, 税金及附加 …), sub-accounts such as
# 经营收入-出租收入 are read by their first part, and these other names map as
# shown. The 2023 system's account CODES are not listed here: we could not
# verify them against the published text, so an export that gives only a code
# of that system is refused with a request to add the name (or a mapping file)
# rather than guessed. The 2004 system's three-digit codes stay in subjects.py.
NAMES_2023: dict[str, str] = {
    "营业税金及附加": "税金及附加", "税金及附加费": "税金及附加",
    "出租收入": "经营收入", "发包收入": "经营收入", "服务收入": "经营收入",
    "股利收入": "投资收益", "投资分红收入": "投资收益",
}

# Balance-sheet accounts of the 2023 system (资产负债表): money moves through them
# but it is neither income nor expense, so the importer refuses such rows with
# that reason (as it does for the 2004 names in subjects.py).
BALANCE_SHEET_2023 = ("货币资金", "应收款项", "存货", "消耗性生物资产", "生产性生物资产", "公益性生物资产",
                      "累计折旧", "固定资产清理", "无形资产", "累计摊销", "长期待摊费用", "待处理财产损溢",
                      "应付款项", "应付劳务费", "应交税费", "资本", "本年收益", "收益分配", "公积公益金")


def account_2023(category: str) -> str:
    """The 2023 account a ledger category is reported under."""
    return ACCOUNT_2023.get(category, OLD_NAMES.get(category, category))
