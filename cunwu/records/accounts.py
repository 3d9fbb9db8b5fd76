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
# shown.
NAMES_2023: dict[str, str] = {
    "营业税金及附加": "税金及附加", "税金及附加费": "税金及附加",
    "出租收入": "经营收入", "发包收入": "经营收入", "服务收入": "经营收入",
    "股利收入": "投资收益", "投资分红收入": "投资收益",
}

# Account CODES, first level (a sub-account extends its account's code: 501001 is
# under 501). The two systems give some codes different accounts (502 is 经营支出
# in 2004 and 投资收益 in 2023), so a code is read by the system the month's books
# follow: the 2023 system from January 2024 (its first year), the 2004 system
# before; a mapping file's `accounts: 2004` keeps the old codes for a village
# whose software still exports them. Where a row gives a name as well, the name
# decides and a code that contradicts it under both systems is refused
# (clerk/subjects.py).
SYSTEM_2023_FROM = "2024-01"

# 《村集体经济组织会计制度》(财会〔2004〕12号), 会计科目表.
CODES_2004: dict[str, str] = {
    "101": "现金", "102": "银行存款", "111": "短期投资", "112": "应收款", "113": "内部往来", "121": "库存物资",
    "131": "牲畜(禽)资产", "132": "林木资产", "141": "长期投资", "151": "固定资产", "152": "累计折旧",
    "153": "固定资产清理", "154": "在建工程",
    "201": "短期借款", "202": "应付款", "211": "应付工资", "212": "应付福利费", "221": "长期借款及应付款",
    "231": "一事一议资金",
    "301": "资本", "311": "公积公益金", "321": "本年收益", "322": "收益分配",
    "401": "生产(劳务)成本",
    "501": "经营收入", "502": "经营支出", "511": "发包及上交收入", "521": "农业税附加返还收入", "522": "补助收入",
    "531": "其他收入", "541": "管理费用", "551": "其他支出", "561": "投资收益",
}

# 《农村集体经济组织会计制度》(财会〔2023〕14号), 会计科目表: 42 accounts.
CODES_2023: dict[str, str] = {
    "101": "库存现金", "102": "银行存款", "111": "短期投资", "112": "应收款", "113": "内部往来", "121": "库存物资",
    "131": "消耗性生物资产", "132": "生产性生物资产", "133": "生产性生物资产累计折旧", "134": "公益性生物资产",
    "141": "长期投资", "151": "固定资产", "152": "累计折旧", "153": "在建工程", "154": "固定资产清理",
    "161": "无形资产", "162": "累计摊销", "171": "长期待摊费用", "181": "待处理财产损溢",
    "201": "短期借款", "211": "应付款", "212": "应付工资", "213": "应付劳务费", "214": "应交税费",
    "221": "长期借款及应付款", "231": "一事一议资金", "241": "专项应付款",
    "301": "资本", "311": "公积公益金", "321": "本年收益", "322": "收益分配",
    "401": "生产(劳务)成本",
    "501": "经营收入", "502": "投资收益", "503": "补助收入", "504": "其他收入",
    "511": "经营支出", "512": "税金及附加", "513": "管理费用", "514": "公益支出", "515": "其他支出",
    "521": "所得税费用",
}

ACCOUNT_SYSTEMS = {"2004": CODES_2004, "2023": CODES_2023}
SYSTEM_TITLES = {"2004": "2004年的《村集体经济组织会计制度》", "2023": "2023年的《农村集体经济组织会计制度》"}


def other_system(system: str) -> str:
    return "2004" if system == "2023" else "2023"


def system_for(month: str, chosen: str | None = None) -> str:
    """The accounting system ("2004" or "2023") whose codes a month's books use."""
    if chosen:
        return chosen
    return "2023" if month >= SYSTEM_2023_FROM else "2004"


# Balance-sheet accounts (资产负债表) of both systems, and the statement's own
# line names: money moves through them but it is neither income nor expense, so
# the importer refuses such rows with that reason. The accounts are those whose
# codes start with 1 to 4 (assets, liabilities, equity, cost).
BALANCE_SHEET_NAMES = frozenset(
    [name for codes in ACCOUNT_SYSTEMS.values() for code, name in codes.items() if code[0] in "1234"]
    + ["货币资金", "应收款项", "存货", "应付款项", "长期借款"])


def account_2023(category: str) -> str:
    """The 2023 account a ledger category is reported under."""
    return ACCOUNT_2023.get(category, OLD_NAMES.get(category, category))
