"""`cunwu check` never writes: not a byte, not a timestamp, not a new file.

Every file and folder under the checked tree is snapshotted (content, size,
mode, mtime, link target) before and after a check, run both in-process and
through the command line, on the good fixture, on bad inputs, and on the real
villages/ folder of the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from test_bad_inputs import build

from cunwu.records.check import check_path

REPO = Path(__file__).resolve().parent.parent
GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
VILLAGES = REPO / "villages"


def snapshot(root: Path) -> dict[bytes, tuple]:
    """Every entry under root (names as bytes: some are not UTF-8), with what it holds."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if os.path.islink(path):
                what = ("link", os.readlink(path))
            elif os.path.isdir(path):
                what = ("dir",)
            else:
                with open(path, "rb") as f:
                    what = ("file", hashlib.sha256(f.read()).hexdigest())
            state[os.path.relpath(path, os.fsencode(root))] = (what, st.st_size if what[0] == "file" else 0,
                                                               st.st_mode, st.st_mtime_ns)
    return state


def run_cli(path: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "cunwu", "check", str(path), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


def assert_check_leaves_untouched(root: Path, cwd: Path) -> None:
    before = snapshot(root)
    assert before, f"nothing to snapshot under {root}"
    check_path(root)
    assert snapshot(root) == before, "in-process check changed the tree"
    for args in ((), ("--format", "json")):
        proc = run_cli(root, cwd, *args)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode in (0, 1), proc.stderr
    assert snapshot(root) == before, "`cunwu check` changed the tree"


def test_good_fixture_untouched(tmp_path: Path) -> None:
    root = tmp_path / "county"
    shutil.copytree(GOOD, root)
    assert_check_leaves_untouched(root, cwd=tmp_path)
    assert_check_leaves_untouched(root / "qingshi", cwd=root)  # one village checked on its own


@pytest.mark.parametrize("case", ["file.encoding-gbk", "file.unreadable", "file.name-gbk", "yaml.alias-bomb",
                                  "privacy.id-number-block", "ledger.balance", "county.duplicate-name"])
def test_bad_inputs_untouched(case: str, tmp_path: Path) -> None:
    root = tmp_path / "county"
    build(case, root)
    assert_check_leaves_untouched(root, cwd=root)


def test_real_villages_untouched() -> None:
    assert_check_leaves_untouched(VILLAGES, cwd=REPO)


# The lapses scripts/gen_county.py --imperfections plants in the demo county (see
# its docstring and the README), by rule and count; README lists the same.
PLANTED = {
    "cadence.finance-late": 3,             # three ledger months posted late (helong 2, guangfeng 1)
    "ledger.review-missing": 1,            # helong: one month without its review
    "decision.step-missing": 1,            # guangfeng: a 一事一议 without 党员大会审议
    "roster.representatives-women": 1,     # guangfeng: a quarter of women among the representatives
    "evaluation.chair-evaluated": 1,       # guangfeng: the 2025 evaluation chaired by the secretary …
    "evaluation.chair-not-supervisor": 1,  # … who is not on the supervision committee
    "contract.rent-overdue": 1,            # shitian: a pond's 2026 rent never received
    "contract.expired-in-use": 1,          # helong: a shop front still paid after its contract ended
    "plan.overrun": 1,                     # tailing: 2025 公益支出 over its budget
    "receipt.missing": 1,                  # quanba: one entry above the county's amount without its voucher
}


def test_real_villages_pass() -> None:
    """The demo county in villages/ is an example clerks copy from: no errors, so it
    publishes. It carries the planted lapses (scripts/gen_county.py --imperfections)
    that are only warnings: exit 0, exactly those rules that many times, and one
    privacy.image-unscanned for each image (voucher photos, board photos), which
    no check can read."""
    proc = run_cli(Path("villages"), REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert " error " not in proc.stdout, proc.stdout
    data = json.loads(run_cli(Path("villages"), REPO, "--format", "json").stdout)
    assert data["villages"] > 0 and data["errors"] == 0, data
    assert all(d["severity"] == "warning" for d in data["diagnostics"]), data["diagnostics"]
    images = sorted(str(p.relative_to(REPO)) for p in VILLAGES.rglob("*")
                    if p.is_file() and p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    unscanned = sorted(d["file"] for d in data["diagnostics"] if d["rule"] == "privacy.image-unscanned")
    assert images and unscanned == images, (unscanned, images)
    found = Counter(d["rule"] for d in data["diagnostics"] if d["rule"] != "privacy.image-unscanned")
    assert dict(found) == PLANTED, [d for d in data["diagnostics"] if d["rule"] not in PLANTED]
    assert data["warnings"] == sum(PLANTED.values()) + len(images)
