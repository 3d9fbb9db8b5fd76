"""The 财务公开 pages beyond the cash journal on a phone, and the demo's new books.

- In Chromium at 360x740 (the demo county built by `cunwu build`): every finance
  and books page kind — the books index, plan, assets, contracts and a contract,
  debts, distribution, special disclosures, audits, a month with voucher
  photos, and the village home with its audits — has no horizontal overflow,
  every amount element (`data-amount`) inside the viewport and every link
  target at least 44x44 px.
- From the YAML files, read with PyYAML: the distribution's members share equals
  the ledger entries that paid it; the loan's increase equals its ledger entry;
  every voucher named exists; the roster links each audit.
- The village pages use the county's policy: with a wider overrun percentage the
  planted overrun is no longer marked.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cunwu.records.check import check_path
from cunwu.site.pages import render_village

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "villages"
VILLAGE = "qingqiao"     # the demo village with 征地补偿 as well as the rest of the books

PROBE = """(min) => {
  const vw = document.documentElement.clientWidth;
  const out = {vw, scrollWidth: document.documentElement.scrollWidth, amounts: 0, amountsOut: [], small: []};
  for (const el of document.querySelectorAll('[data-amount]')) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    out.amounts++;
    if (r.left < -0.5 || r.right > vw + 0.5)
      out.amountsOut.push([el.textContent, Math.round(r.left), Math.round(r.right)]);
  }
  for (const el of document.querySelectorAll('.md-content a[href], .md-content button, .md-content summary')) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (r.width < min - 0.5 || r.height < min - 0.5)
      out.small.push([el.className || el.tagName, (el.textContent || '').trim().slice(0, 16),
                      Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]);
  }
  return out;
}"""


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def entries(slug: str) -> list[tuple[str, dict]]:
    return [(p.stem, e) for p in sorted((DEMO / slug / "ledgers").glob("*.yml")) for e in load(p)["entries"]]


def book_pages(site: Path) -> dict[str, str]:
    """One page of every finance/books kind of the village."""
    finance = site / VILLAGE / "finance"
    months = [p for p in sorted(finance.glob("20??-??.html")) if "凭证" in p.read_text(encoding="utf-8")]
    contract = sorted(finance.glob("contract-*.html"))[0]
    plan = sorted(finance.glob("plan-*.html"))[-1]
    distribution = sorted(finance.glob("distribution-*.html"))[-1]
    pages = {"books": "books.html", "plan": plan.name, "assets": "assets.html", "contracts": "contracts.html",
             "contract": contract.name, "debts": "debts.html", "distribution": distribution.name,
             "special": "special.html", "audits": "audits.html", "month with vouchers": months[0].name}
    out = {kind: f"{VILLAGE}/finance/{name}" for kind, name in pages.items()}
    out["home"] = f"{VILLAGE}/index.html"
    return out


def test_book_pages_on_a_phone(demo_site, serve_dir, phone_page):
    base = serve_dir(demo_site)
    pages = book_pages(demo_site)
    for kind, path in pages.items():
        assert (demo_site / path).is_file(), (kind, path)
        phone_page.goto(base + path)
        m = phone_page.evaluate(PROBE, 44)
        assert m["vw"] == 360
        assert m["scrollWidth"] <= 360, f"{kind} {path}: document {m['scrollWidth']} px wide"
        assert not m["amountsOut"], f"{kind} {path}: amounts off screen {m['amountsOut']}"
        assert not m["small"], f"{kind} {path}: targets under 44 px {m['small']}"
        if kind not in ("books", "home", "audits"):
            assert m["amounts"] > 0, f"{kind} {path}: no amount marked"


def test_roster_links_each_audit(demo_site):
    home = (demo_site / VILLAGE / "index.html").read_text(encoding="utf-8")
    audits = (demo_site / VILLAGE / "finance" / "audits.html").read_text(encoding="utf-8")
    for path in sorted((DEMO / VILLAGE / "audits").glob("*.yml")):
        audit = load(path)
        assert audit["cadre"] in home and "任期经济责任审计" in home
    anchors = [part.split('"')[0] for part in home.split('href="finance/audits.html#')[1:]]
    assert anchors and all(f'id="{a}"' in audits for a in anchors)


@pytest.mark.parametrize("slug", sorted(p.name for p in DEMO.iterdir() if (p / "village.yml").is_file()))
def test_demo_books_tie_to_the_ledger(slug):
    all_entries = entries(slug)
    # the distribution's members share = the entries tagged 收益分配 for its year
    for path in sorted((DEMO / slug / "distributions").glob("*.yml")):
        d = load(path)
        paid = sum((Decimal(str(e["amount"])) for _, e in all_entries
                    if e.get("tag") == "收益分配" and str(e.get("project")) == str(d["year"])), Decimal())
        assert paid == Decimal(str(d["members"])) > 0
        assert Decimal(str(d["per_unit"])) * d["units"] == Decimal(str(d["members"]))
        assert (DEMO / slug / "decisions" / f"{d['decision']}.md").is_file()
    # a loan's increase = the ledger entries naming it in its year, and it names its decision
    for path in sorted((DEMO / slug / "debts").glob("*.yml")):
        year = load(path)
        moved: dict[str, Decimal] = defaultdict(Decimal)
        for month, e in all_entries:
            if e.get("debt") and month.startswith(str(year["year"])):
                moved[e["debt"]] += Decimal(str(e["amount"]))
        for item in year["items"]:
            if item["kind"] in ("短期借款", "长期借款") and item.get("increase"):
                assert Decimal(str(item["increase"])) == moved[item["id"]]
                assert (DEMO / slug / "decisions" / f"{item['decision']}.md").is_file()
    # every voucher named exists, is a PNG, and sits under files/
    for _, e in all_entries:
        for rel in e.get("receipts", []):
            assert rel.startswith("files/") and (DEMO / slug / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_has_each_new_kind():
    assert any((DEMO / v / "distributions").is_dir() for v in ("guangfeng", "helong", "tailing"))
    assert all(list((p / "audits").glob("*.yml")) for p in DEMO.iterdir() if (p / "village.yml").is_file())
    assert any(e.get("tag") == "征地补偿" for _, e in entries(VILLAGE))
    assert any(e.get("debt") for p in DEMO.iterdir() if (p / "village.yml").is_file() for _, e in entries(p.name))


def test_pages_use_the_county_policy(tmp_path):
    """tailing's 公益支出 overran its 2025 plan by about 24 %: marked under the demo's
    10 %, not when the county allows 50 %."""
    county = tmp_path / "villages"
    county.mkdir()
    shutil.copytree(DEMO / "tailing", county / "tailing")
    text = (DEMO / "county.yml").read_text(encoding="utf-8")
    marks = {}
    for percent in (10, 50):
        (county / "county.yml").write_text(text.replace("policy:\n", f"policy:\n  budget_overrun_percent: {percent}\n"),
                                           encoding="utf-8")
        loaded, report = check_path(county)
        assert loaded.policy.budget_overrun_percent == percent
        out = tmp_path / f"out{percent}"
        render_village(ROOT, loaded.villages[0], date(2026, 11, 21), out, tmp_path / "site", loaded.policy)
        marks[percent] = (out / "docs" / "finance" / "plan-2025.md").read_text(encoding="utf-8")
    assert "**超支**" in marks[10] and "**超支**" not in marks[50]
