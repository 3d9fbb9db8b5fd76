"""The commit hook: in a real git repository holding a county's records, a commit
that breaks a ledger is stopped with the Chinese message of `cunwu check`, and a
good commit goes through — with the pre-commit framework (local hook) and with the
plain hook script in scripts/. Plus `cunwu check-changed` on its own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from clerk_helpers import GOOD, REPO, cunwu, make_minimal_county

LEDGER = "villages/qingshi/ledgers/2024-03.yml"


def git(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=repo, capture_output=True,
                          text=True, encoding="utf-8", env=env)


def hook_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),   # its cache, kept out of $HOME
        "PYTHON": sys.executable,                          # for the plain hook script
        "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        "PYTHONIOENCODING": "utf-8",
        "GIT_AUTHOR_NAME": "文书", "GIT_AUTHOR_EMAIL": "clerk@example.org",
        "GIT_COMMITTER_NAME": "文书", "GIT_COMMITTER_EMAIL": "clerk@example.org",
    })
    return env


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository with the county's records under villages/ (the good fixture when
    it exists, else a village made with `cunwu new`)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "records"
    repo.mkdir()
    if GOOD.is_dir():
        shutil.copytree(GOOD, repo / "villages")
    else:  # pragma: no cover - the fixture is part of the repository
        make_minimal_county(repo)
        led = cunwu("new", "ledger", "qingshi", "--month", "2024-03", "--opening", "100.00", cwd=repo)
        assert led.returncode == 0, led.stderr
        path = repo / LEDGER
        path.write_text(path.read_text(encoding="utf-8").replace("posted:", "posted: 2024-04-05", 1)
                        .replace("by: []", "by: [赵清水]").replace("  date:", "  date: 2024-04-02", 1),
                        encoding="utf-8")
    assert cunwu("check", "villages", cwd=repo).returncode == 0
    assert git(repo, "init", "-q").returncode == 0
    return repo


def break_ledger(repo: Path) -> None:
    path = repo / LEDGER
    text = path.read_text(encoding="utf-8")
    closing = yaml.safe_load(text)["closing_balance"]
    path.write_text(re.sub(r"closing_balance: .*", f"closing_balance: {float(closing) + 100:.2f}", text, count=1),
                    encoding="utf-8")


def fix_ledger(repo: Path) -> None:
    git(repo, "checkout", "HEAD", "--", LEDGER)


def commit(repo: Path, env: dict, message: str) -> subprocess.CompletedProcess:
    return git(repo, "commit", "-m", message, env=env)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def run_scenario(repo: Path, env: dict) -> None:
    """Good first commit passes; a broken ledger is stopped; an unrelated good change passes."""
    assert git(repo, "add", "-A").returncode == 0
    first = commit(repo, env, "初始记录")
    assert first.returncode == 0, first.stdout + first.stderr
    start = head(repo)

    break_ledger(repo)
    git(repo, "add", LEDGER)
    blocked = commit(repo, env, "改错的账")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "ledger.balance" in output and "账目不平" in output, output
    assert "提交被拦下" in output, output
    assert f"{LEDGER}:" in output
    assert head(repo) == start                          # nothing was committed

    fix_ledger(repo)
    notice = repo / "villages/qingshi/notices/2024-04-低保公示.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n如有疑问请到村部咨询。\n", encoding="utf-8")
    git(repo, "add", "-A")
    ok = commit(repo, env, "补充公示说明")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert head(repo) != start


def test_pre_commit_framework_blocks_a_broken_ledger(repo, tmp_path):
    pytest.importorskip("pre_commit", reason="pip install pre-commit (in the test extra)")
    env = hook_env(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: cunwu-check\n"
        "        name: cunwu 村务记录检查\n"
        f"        entry: {sys.executable} -m cunwu check-changed\n"
        "        language: system\n"
        "        files: ^villages/\n"
        "        require_serial: true\n", encoding="utf-8")
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, capture_output=True,
                             text=True, env=env)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (repo / ".git/hooks/pre-commit").is_file()
    run_scenario(repo, env)


def test_plain_hook_script_blocks_a_broken_ledger(repo, tmp_path):
    env = hook_env(tmp_path)
    hook = repo / ".git/hooks/pre-commit"
    shutil.copy(REPO / "scripts/git-pre-commit-hook.sh", hook)
    hook.chmod(0o755)
    run_scenario(repo, env)


def test_hook_manifest_is_valid():
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in manifest if h["id"] == "cunwu-check")
    assert hook["entry"].split()[-1] == "check-changed" and hook["pass_filenames"] is True
    assert hook["files"] == "^villages/" and hook["language"] == "python"
    pytest.importorskip("pre_commit")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(REPO / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------- check-changed itself


@pytest.fixture
def county(tmp_path) -> Path:
    shutil.copytree(GOOD, tmp_path / "villages")
    shutil.copytree(GOOD / "qingshi", tmp_path / "villages" / "shimen")
    profile = tmp_path / "villages/shimen/village.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: 青石村", "name: 石门村")
                       .replace('code: "430124105201"', 'code: "430124105202"'), encoding="utf-8")
    assert cunwu("check", "villages", cwd=tmp_path).returncode == 0
    return tmp_path


def test_check_changed_checks_only_the_changed_villages(county):
    break_ledger(county)                                            # qingshi is broken
    proc = cunwu("check-changed", "villages/shimen/village.yml", cwd=county)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "shimen" in proc.stderr and "qingshi" not in proc.stdout
    proc = cunwu("check-changed", LEDGER, "villages/shimen/ledgers/2024-01.yml", cwd=county)
    assert proc.returncode == 1
    assert f"{LEDGER}:" in proc.stdout and "账目不平" in proc.stdout
    assert "2 个村" in proc.stdout + proc.stderr


def test_check_changed_sees_county_wide_problems(county):
    profile = county / "villages/shimen/village.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('"430124105202"', '"430124105201"'),
                       encoding="utf-8")
    proc = cunwu("check-changed", "villages/shimen/village.yml", cwd=county)
    assert proc.returncode == 1 and "county.duplicate-code" in proc.stdout, proc.stdout + proc.stderr
    proc = cunwu("check-changed", "villages/qingshi/notices/2024-04-低保公示.md", cwd=county)
    assert proc.returncode == 1 and "county.duplicate-code" in proc.stdout


def test_check_changed_county_yml_checks_everyone(county):
    cfg = county / "villages/county.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - 青山镇\n", ""), encoding="utf-8")
    proc = cunwu("check-changed", "villages/county.yml", cwd=county)
    assert proc.returncode == 1
    assert proc.stdout.count("county.unknown-township") == 2


def test_check_changed_ignores_other_files_and_deleted_villages(county):
    proc = cunwu("check-changed", "README.md", "content/guide/index.md", "villages/gone/village.yml", cwd=county)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""
    # a deleted ledger still checks its village (the next month may now have a gap)
    (county / "villages/qingshi/ledgers/2024-02.yml").unlink()
    proc = cunwu("check-changed", "villages/qingshi/ledgers/2024-02.yml", cwd=county)
    assert proc.returncode == 0 and "ledger.gap" in proc.stdout
