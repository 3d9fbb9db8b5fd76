"""Every change on the record: a scratch git repository of a county whose
ledger amount is changed after its posting date. The record page shows both
values and both dates, the village home lists it, the portal counts it and
`cunwu check` warns naming the field. Without git nothing is said; the same
commit renders the same pages."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from cunwu.records.check import check_path
from cunwu.records.history import load_history
from cunwu.site.pages import render_village

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
LEDGER = "qingshi/ledgers/2024-02.yml"


def git(root: Path, *args: str, day: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="村文书", GIT_AUTHOR_EMAIL="clerk@example.org",
               GIT_COMMITTER_NAME="村文书", GIT_COMMITTER_EMAIL="clerk@example.org")
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T10:00:00+08:00", GIT_COMMITTER_DATE=f"{day}T10:00:00+08:00")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def scratch_county(tmp_path: Path) -> Path:
    """The good county committed on the ledger's posting day, then an expense
    moved by 100 yuan between two entries of the month (the balance still holds)
    three months after it was posted."""
    root = tmp_path / "county"
    shutil.copytree(GOOD, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "二月账目公布", day="2024-03-05")
    ledger = root / LEDGER
    text = ledger.read_text("utf-8")
    assert "amount: 4249.50" in text and "amount: 7200.00" in text
    ledger.write_text(text.replace("amount: 4249.50", "amount: 4149.50").replace("amount: 7200.00", "amount: 7300.00"),
                      "utf-8")
    git(root, "commit", "-q", "-am", "改动二月账目", day="2024-06-01")
    return root


def test_history_is_read_in_one_pass_and_changes_after_posting_are_events(tmp_path: Path):
    root = scratch_county(tmp_path)
    history = load_history(root)
    assert history is not None
    rec = history.files[Path(os.path.realpath(root / LEDGER))]
    assert rec.first == date(2024, 3, 5) and rec.posted == date(2024, 3, 5)
    assert len(rec.revisions) == 1 and rec.events == rec.revisions
    changes = {(c.label, c.old, c.new) for c in rec.revisions[0].changes}
    assert ("收支明细第 1 条金额", "4249.50", "4149.50") in changes
    # the other ledgers: published once, never changed
    other = history.files[Path(os.path.realpath(root / "qingshi/ledgers/2024-03.yml"))]
    assert other.revisions == ()


def test_check_warns_naming_the_field(tmp_path: Path):
    root = scratch_county(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cunwu", "check", "."], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    warnings = [line for line in proc.stdout.splitlines() if "record.changed-after-posting" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{LEDGER}:") and "warning" in warnings[0]
    assert "收支明细第 1 条金额" in warnings[0] and "4249.50" in warnings[0] and "4149.50" in warnings[0]
    assert "2024-06-01" in warnings[0] and "2024-03-05" in warnings[0]


def test_built_page_home_and_portal_show_the_change(tmp_path: Path):
    root = scratch_county(tmp_path)
    site = tmp_path / "site"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cunwu", "build", str(root), "--site", str(site),
                           "--work", str(tmp_path / "build"), "--as-of", "2024-12-31", "--project", str(ROOT),
                           "--quiet"], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (site / "qingshi" / "finance" / "2024-02.html").read_text("utf-8")
    history = page[page.index("变更记录"):]
    assert "2024年3月5日" in history and "2024年6月1日" in history
    assert "4249.50" in history and "4149.50" in history and "7200.00" in history and "7300.00" in history
    assert "公布后修改" in history
    home = (site / "qingshi" / "index.html").read_text("utf-8")
    listed = home[home.index("公布后修改的记录"):]
    assert 'href="finance/2024-02.html"' in listed and "2024年6月1日" in listed
    portal = (site / "index.html").read_text("utf-8")
    section = portal[portal.index("公布后修改的记录"):]
    assert "共 1 条记录" in section
    assert re.search(r"qingshi/index\.html\">青石村</a>.*?>\s*1\s*<", section, re.S)
    # records never changed say so
    march = (site / "qingshi" / "finance" / "2024-03.html").read_text("utf-8")
    assert "发布后没有修改过" in march


def test_without_git_nothing_is_said_and_the_same_commit_renders_the_same(tmp_path: Path):
    plain = tmp_path / "plain"
    shutil.copytree(GOOD, plain)
    county, _ = check_path(plain)
    assert county.villages[0].history is None
    out = tmp_path / "r0"
    render_village(ROOT, county.villages[0], date(2024, 12, 31), out, tmp_path / "s0")
    for page in (out / "docs").rglob("*.md"):
        text = page.read_text("utf-8")
        assert "变更记录" not in text and "公布后修改" not in text, page

    root = scratch_county(tmp_path)
    outs = []
    for i in (1, 2):
        county, _ = check_path(root)
        out = tmp_path / f"r{i}"
        render_village(ROOT, county.villages[0], date(2024, 12, 31), out, tmp_path / f"s{i}")
        outs.append(out / "docs")
    same = filecmp.dircmp(outs[0], outs[1])

    def differences(d: filecmp.dircmp) -> list[str]:
        found = d.diff_files + d.left_only + d.right_only
        for sub in d.subdirs.values():
            found += differences(sub)
        return found

    assert differences(same) == []


def test_a_county_inside_another_repository_has_no_history(tmp_path: Path):
    project = tmp_path / "project"
    (project / "villages").mkdir(parents=True)
    shutil.copytree(GOOD / "qingshi", project / "villages" / "qingshi")
    shutil.copy(GOOD / "county.yml", project / "villages" / "county.yml")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "demo", day="2024-01-01")
    assert load_history(project / "villages") is None
