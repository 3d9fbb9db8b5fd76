"""公开数据: the index of every CSV/JSON pair the other sections wrote."""

from __future__ import annotations

from ..dates import zh_month
from ..markup import link
from .base import VillagePages

NAMES = {"ledger-months": "月度收支汇总", "ledger-entries": "全部收支明细", "decisions": "村务决策事项",
         "evaluations": "民主评议结果", "notices": "公示目录"}

# the open data of pages/books.py
NAMES.update({"assets": "资产台账", "contracts": "资源与合同（应收与已收）", "debts": "债权债务",
              "special": "专项公开（征地补偿、一事一议）"})
BOOK_NAMES = {"plan": "财务计划执行", "distribution": "收益及收益分配"}


def label(stem: str) -> str:
    """What a data file holds, from its name."""
    if stem in NAMES:
        return NAMES[stem]
    for prefix, what in BOOK_NAMES.items():
        if stem.startswith(prefix + "-") and stem[len(prefix) + 1:].isdigit():
            return f"{stem[len(prefix) + 1:]}年{what}"
    if stem.startswith("ledger-") and len(stem) == 11:
        return f"{stem[7:]}年逐月汇总"
    if stem.startswith("ledger-"):
        return f"{zh_month(stem[7:])}收支明细"
    return "公示名单 " + stem[7:]


def render_data_index(pages: VillagePages) -> None:
    """Run last: it lists the files the other sections wrote."""
    files = sorted(p.stem for p in (pages.docs / "data").glob("*.csv"))
    rows = [[label(stem), link("CSV", f"{stem}.csv"), link("JSON", f"{stem}.json")] for stem in files]
    pages.page("data/index.md", "data_index.md.j2", rows=rows)
