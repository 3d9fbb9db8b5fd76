"""`cunwu build` end to end on a small fixture county: real renders, real MkDocs
Material builds, real files compared byte for byte."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cunwu.site.engine import build_site

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
AS_OF = "2024-06-20"


def run_build(villages: Path, site: Path, work: Path, *extra: str, project: Path = ROOT):
    return subprocess.run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(site),
                           "--work", str(work), "--as-of", AS_OF, "--project", str(project), *extra],
                          capture_output=True, text=True)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("county")
    villages = tmp / "villages"
    shutil.copytree(GOOD, villages)
    proc = run_build(villages, tmp / "site", tmp / "build")
    assert proc.returncode == 0, proc.stderr
    return tmp


def html_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_section_is_built(built):
    site = built / "site"
    assert (site / "index.html").is_file()
    village = site / "qingshi"
    for page in ("index.html", "finance/index.html", "finance/2024.html", "finance/2024-03.html",
                 "decisions/index.html", "rules/index.html", "evaluations/index.html",
                 "evaluations/2024.html", "notices/index.html", "data/index.html"):
        assert (village / page).is_file(), page
    # search is Pagefind's bundle, made from the built pages; Material's index is gone
    assert (village / "pagefind" / "pagefind-entry.json").is_file()
    assert (village / "pagefind" / "cunwu-synonyms.json").is_file()
    assert not (village / "search" / "search_index.json").exists()
    assert "青石村" in html_text(village / "index.html")


def test_figures_equal_the_records(built):
    """Year and month totals on the pages equal sums computed here from the YAML."""
    village = built / "site" / "qingshi"
    income_cats = {"经营收入", "承包收入", "补助收入", "投资收益", "其他收入"}
    income = expense = Decimal("0")
    for path in sorted((GOOD / "qingshi" / "ledgers").glob("2024-*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        month_in = sum((Decimal(str(e["amount"])) for e in data["entries"] if e["category"] in income_cats),
                       Decimal("0"))
        month_out = sum((Decimal(str(e["amount"])) for e in data["entries"] if e["category"] not in income_cats),
                        Decimal("0"))
        income, expense = income + month_in, expense + month_out
        page = html_text(village / "finance" / f"{path.stem}.html")
        assert f"{month_in:,.2f}" in page and f"{month_out:,.2f}" in page, path.name
        assert "账目核对无误" in page
    year = html_text(village / "finance" / "2024.html")
    assert f"全年收入 <strong>{income:,.2f}</strong>" in year
    assert f"支出 <strong>{expense:,.2f}</strong>" in year
    csv = (village / "data" / "ledger-entries.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")          # BOM, so Excel reads the Chinese
    assert (village / "finance" / "2024-monthly.svg").read_text(encoding="utf-8").startswith("<svg")


def test_unchanged_villages_are_not_rebuilt(built, tmp_path):
    villages, site, work = built / "villages", built / "site", built / "build"
    before = snapshot(site / "qingshi")
    proc = run_build(villages, site, work)
    assert proc.returncode == 0, proc.stderr
    assert "青石村（qingshi）未变化" in proc.stderr
    assert snapshot(work / "out" / "qingshi").keys() >= {"index.html"}
    after = snapshot(site / "qingshi")
    assert {k: v[0] for k, v in before.items()} == {k: v[0] for k, v in after.items()}

    # A change in one month's ledger rebuilds that village only.
    ledger = villages / "qingshi" / "ledgers" / "2024-03.yml"
    original = ledger.read_text(encoding="utf-8")
    ledger.write_text(original.replace("posted: 2024-04-0", "posted: 2024-04-0", 1)
                      .replace("summary: ", "summary: 更正：", 1), encoding="utf-8")
    try:
        proc = run_build(villages, site, work)
        assert proc.returncode == 0, proc.stderr
        assert "青石村（qingshi）已生成" in proc.stderr
        assert "更正：" in html_text(site / "qingshi" / "finance" / "2024-03.html")
    finally:
        ledger.write_text(original, encoding="utf-8")
        assert run_build(villages, site, work).returncode == 0


def test_a_rebuild_from_the_last_build_equals_a_full_build(tmp_path):
    """A rebuild takes the pages whose Markdown did not change from the village's
    last build (the engine's dirty build, the gate's record of what it read) and
    removes the pages of records that are gone: the published site is byte for
    byte what a --clean build of the same records makes."""
    villages = tmp_path / "villages"
    shutil.copytree(GOOD, villages)
    county = villages / "county.yml"   # with an address, the board sheets carry QR codes (reused by a rebuild)
    county.write_text(county.read_text(encoding="utf-8") + "site_url: https://cunwu.example.org/\n", encoding="utf-8")
    site, work = tmp_path / "site", tmp_path / "build"
    proc = run_build(villages, site, work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = work / "out" / "qingshi"
    assert list((out / "board" / "qr").glob("*.svg"))
    unchanged = out / "rules" / "index.html"
    kept = unchanged.stat().st_mtime_ns
    gone = next((out / "notices").glob("*.html"), None)
    assert (out / ".cunwu-build.json").is_file() and (out / ".cunwu-gate.json").is_file()

    ledger = villages / "qingshi" / "ledgers" / "2024-03.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 更正：", 1), encoding="utf-8")
    notice = villages / "qingshi" / "notices" / "2024-06-党费收缴.md"
    notice.unlink()
    proc = run_build(villages, site, work)
    assert proc.returncode == 0, proc.stderr
    assert "更正：" in html_text(site / "qingshi" / "finance" / "2024-03.html")
    assert unchanged.stat().st_mtime_ns == kept      # taken from the last build, not built again
    assert gone is not None and not any("党费" in p.read_text(encoding="utf-8")
                                        for p in (site / "qingshi" / "notices").glob("*.html")
                                        if p.name != "index.html")

    full = tmp_path / "full"
    assert run_build(villages, full, tmp_path / "build-full", "--clean").returncode == 0
    rebuilt, clean = snapshot(site.resolve()), snapshot(full.resolve())
    assert sorted(rebuilt) == sorted(clean)
    assert [name for name in rebuilt if rebuilt[name][0] != clean[name][0]] == []
    assert not any(".cunwu-" in name for name in rebuilt)   # what a build keeps for the next is not published

    # A rendered file's bytes decide whether it is built again, not its time
    # (a clock set back, a file system that keeps whole seconds).
    render = work / "render" / "qingshi"
    data = sorted((render / "docs" / "data").glob("*.csv"))[0]
    data.write_bytes(data.read_bytes() + b"\r\n")
    os.utime(data, (0, 0))
    build_site(render / "mkdocs.yml", out, "青石村", reuse=True)
    assert (out / "data" / data.name).read_bytes() == data.read_bytes()
    assert unchanged.stat().st_mtime_ns == kept


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is(tmp_path):
    """Nothing changed: no new version, no county index made again. After a
    rollback the same build publishes the current records again."""
    villages = tmp_path / "villages"
    shutil.copytree(GOOD, villages)
    site, work = tmp_path / "site", tmp_path / "build"
    assert run_build(villages, site, work).returncode == 0
    first = os.readlink(site)
    proc = run_build(villages, site, work)
    assert proc.returncode == 0, proc.stderr
    assert "没有变化" in proc.stderr and os.readlink(site) == first

    ledger = villages / "qingshi" / "ledgers" / "2024-03.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 更正：", 1), encoding="utf-8")
    assert run_build(villages, site, work).returncode == 0
    second = os.readlink(site)
    rolled = subprocess.run([sys.executable, "-m", "cunwu", "rollback", "--site", str(site)],
                            capture_output=True, text=True)
    assert rolled.returncode == 0, rolled.stderr
    assert os.readlink(site) == first
    proc = run_build(villages, site, work)   # nothing to build, but the site shows an older version
    assert proc.returncode == 0, proc.stderr
    assert "已发布到" in proc.stderr and os.readlink(site) not in (first, second)
    assert "更正：" in html_text(site / "qingshi" / "finance" / "2024-03.html")


def test_errors_refuse_to_publish_and_keep_the_old_site(built, tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(built / "villages", villages)
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    before = snapshot(site)
    ledger = villages / "qingshi" / "ledgers" / "2024-02.yml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(re.sub(r"closing_balance: [\d.]+", "closing_balance: 1.00", text), encoding="utf-8")
    proc = run_build(villages, site, tmp_path / "build")
    assert proc.returncode == 1
    assert "error ledger.balance" in proc.stdout
    assert "未发布" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(site) == before


def test_failed_engine_build_keeps_the_old_site(built, tmp_path):
    """A village whose MkDocs build fails names itself; nothing is published."""
    project = tmp_path / "project"
    for name in ("mkdocs.yml", "theme", "content"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        elif src.is_file():
            project.mkdir(exist_ok=True)
            shutil.copy2(src, project / name)
    (project / "theme" / "main.html").write_text("{% extends 'base.html' %}{% block content %}{{ oops(",
                                                 encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    before = snapshot(site)
    proc = run_build(built / "villages", site, tmp_path / "build", project=project)
    assert proc.returncode == 1
    assert "生成失败" in proc.stderr and "已发布的网站保持不变" in proc.stderr
    assert "Traceback (most recent call last)" not in proc.stderr
    assert snapshot(site) == before


def test_same_records_same_date_give_identical_pages(built, tmp_path):
    proc = run_build(built / "villages", tmp_path / "site", tmp_path / "build", "--clean")
    assert proc.returncode == 0, proc.stderr
    first = {k: v[0] for k, v in snapshot(built / "site" / "qingshi").items()}
    second = {k: v[0] for k, v in snapshot(tmp_path / "site" / "qingshi").items()}
    assert first == second


def test_clerk_markup_cannot_inject_script(tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(GOOD, villages)
    decision = villages / "qingshi" / "decisions" / "2024-03-修建村道.md"
    decision.write_text(decision.read_text(encoding="utf-8") +
                        '\n<script>alert("x")</script>\n\n<img src="x.png" onerror="alert(1)">\n'
                        '[点我](javascript:alert(1)) <iframe src="https://evil.example/"></iframe>\n'
                        '![外链](https://evil.example/track.png)\n', encoding="utf-8")
    proc = run_build(villages, tmp_path / "site", tmp_path / "build")
    assert proc.returncode == 0, proc.stderr
    pages = list((tmp_path / "site" / "qingshi" / "decisions").glob("*.html"))
    page = next(html_text(p) for p in pages if "修建" in html_text(p) and "index" not in p.name)
    body = page[page.index("事项说明"):]
    assert "<script>alert" not in body and "onerror" not in body and "javascript:" not in body
    assert "<iframe" not in body and "evil.example" not in body
