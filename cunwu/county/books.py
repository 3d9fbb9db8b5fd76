"""County rollups of 财务公开 beyond the cash journal: each village's debt and
its change over the year (village debt is a known risk), contracts with overdue
rent or past their end, and ledger entries above the county's amount that carry
no original vouchers. Rows for the open-data tables in datasets.DATASETS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..records.bookkeeping import books_date, contract_receipts, contract_state, debt_totals
from ..records.load import Village, page_id
from ..records.models import Policy
from ..records.money import ZERO
from ..site.pages.books import counterparty

Rows = list[list[Any]]


def debt_rows(villages: list[Village], where: Callable[[str], list]) -> Rows:
    """One row a village and year: debt and credit at the start and end, and the change."""
    rows = []
    for v in villages:
        for doc in v.debts:
            t = debt_totals(doc.record.items)
            rows.append([*where(v.slug), doc.record.year, t["年初债务"], t["债务"], t["债务"] - t["年初债务"],
                         t["年初债权"], t["债权"]])
    return rows


def contract_lapse_rows(villages: list[Village], policy: Policy, where: Callable[[str], list],
                        masked: Callable[[str, Any], str]) -> Rows:
    """Contracts with rent overdue on the books' date, or past their end and still in use."""
    rows = []
    for v in villages:
        as_of = books_date(v)
        receipts = contract_receipts(v)
        for doc in sorted(v.contracts, key=lambda d: d.record.code):
            c = doc.record
            s = contract_state(c, receipts.get(c.code, []), as_of, policy.rent_grace_days)
            page = f"{v.slug}/finance/contract-{page_id(doc.id)}.html"
            party = masked(v.slug, counterparty(c.counterparty_kind, c.counterparty))
            if s.overdue:
                rows.append([*where(v.slug), masked(v.slug, c.code), masked(v.slug, c.resource.name), party,
                             "逾期欠租", s.overdue_since, s.overdue, as_of, page])
            if s.expired_in_use:
                rows.append([*where(v.slug), masked(v.slug, c.code), masked(v.slug, c.resource.name), party,
                             "到期仍在用", c.end, sum((e.amount for e in s.paid_after_end), ZERO), as_of, page])
    return rows


def receipt_rows(villages: list[Village], policy: Policy, where: Callable[[str], list]) -> Rows:
    """Per village: entries above the county's amount, how many lack vouchers and their sum."""
    rows = []
    limit = policy.receipt_required_amount
    for v in villages:
        big = [e for d in v.ledgers for e in d.record.entries if e.amount > limit]
        missing = [e for e in big if not e.receipts]
        rows.append([*where(v.slug), limit, len(big), len(missing), sum((e.amount for e in missing), ZERO)])
    return rows


def portal_books(dicts: Callable[[str], list[dict]], year: int) -> dict[str, Any]:
    """What the portal's finance page shows of these tables: each village's debt in
    the latest year it published (with the change), contract lapses, missing vouchers."""
    latest: dict[tuple, dict] = {}
    for row in dicts("village-debts"):
        key = (row["乡镇"], row["村"])
        if key not in latest or row["年度"] > latest[key]["年度"]:
            latest[key] = row
    return {"debts": sorted(latest.values(), key=lambda x: -x["年末债务"]),
            "lapses": dicts("contract-lapses"),
            "receipts": [x for x in dicts("receipts-missing") if x["缺凭证笔数"]], "year": year}
