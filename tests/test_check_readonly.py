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


def test_real_villages_pass() -> None:
    """The demo county in villages/ is an example clerks copy from: no errors, so it
    publishes. It carries a few planted lapses (scripts/gen_county.py --imperfections)
    that are only warnings: exit 0, and nothing but those rules."""
    proc = run_cli(Path("villages"), REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert " error " not in proc.stdout, proc.stdout
    data = json.loads(run_cli(Path("villages"), REPO, "--format", "json").stdout)
    assert data["villages"] > 0 and data["errors"] == 0, data
    rules = {d["rule"] for d in data["diagnostics"]}
    assert rules <= {"ledger.review-missing", "decision.step-missing"}, rules
    assert all(d["severity"] == "warning" for d in data["diagnostics"]), data["diagnostics"]
