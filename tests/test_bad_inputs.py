"""The bad-input corpus: every rule of `cunwu check`, fired by a real file.

Each folder under tests/bad/ is one case. Its files are laid over a copy of the
valid county in tests/fixtures/good (same relative paths; an empty file named
`<name>.delete` deletes `<name>`), and its expect.yml lists every diagnostic the
checker must report, each with file (relative to the county folder; "." is the
county folder itself), line, rule and severity (error unless given). Nothing
else may be reported: not another error, not an unlisted warning.

expect.yml may also say
  cli: true        run `python -m cunwu check` too and check its output and exit code
  generate: [...]  files that cannot sensibly live in the repository:
    {file, head, repeat, times, tail}   head + repeat × times + tail (UTF-8)
    {file, name_encoding, head}         a file whose path bytes are in that encoding
    {symlink, target}                   a symbolic link (may dangle or loop)
    {git, edit: {file, old, new}}       commit the county as of the date `git` (a new
                                        repository at the first one), after replacing
                                        `old` by `new` in `file` when `edit` is given
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from cunwu.records.check import RULES, check_path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GOOD = HERE / "fixtures" / "good"
BAD = HERE / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())

CJK = re.compile(r"[\u4e00-\u9fff]")
JUNK = ("Traceback", "pydantic", "ValidationError", "input_value", "input_type", "errors.pydantic.dev",
        "For further information", "<class", "Error(", "Exception", "codec can't", "\\x", "\\u")
LINE_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<severity>error|warning) (?P<rule>[a-z0-9.-]+): (?P<message>.+)$")


def expectation(case: str) -> dict:
    return yaml.safe_load((BAD / case / "expect.yml").read_text("utf-8"))


def build(case: str, dest: Path) -> dict:
    """The good county with the case's files laid over it, at `dest`."""
    shutil.copytree(GOOD, dest)
    case_dir = BAD / case
    for src in sorted(case_dir.rglob("*")):
        if src.is_dir() or src == case_dir / "expect.yml":
            continue
        rel = src.relative_to(case_dir)
        if src.name.endswith(".delete"):
            target = dest / rel.with_name(src.name[: -len(".delete")])
            assert target.exists() or target.is_symlink(), f"{case}: nothing to delete at {rel}"
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        else:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel)
    expect = expectation(case)
    for gen in expect.get("generate") or []:
        if "git" in gen:
            git_commit(dest, str(gen["git"]), gen.get("edit"))
        elif "symlink" in gen:
            link = dest / gen["symlink"]
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(gen["target"], link)
        elif "name_encoding" in gen:
            raw = os.fsencode(dest) + b"/" + gen["file"].encode(gen["name_encoding"])
            os.makedirs(os.path.dirname(raw), exist_ok=True)
            with open(raw, "wb") as f:
                f.write(gen.get("head", "").encode("utf-8"))
        else:
            path = dest / gen["file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(gen.get("head", ""))
                f.write(gen.get("repeat", "") * gen.get("times", 0))
                f.write(gen.get("tail", ""))
    return expect


def git_commit(root: Path, day: str, edit: dict | None) -> None:
    """Commit the county folder as of `day` (its history is read by the check)."""
    if edit:
        path = root / edit["file"]
        text = path.read_text("utf-8")
        assert edit["old"] in text, f"{edit['old']!r} not in {edit['file']}"
        path.write_text(text.replace(edit["old"], edit["new"]), "utf-8")
    stamp = f"{day}T12:00:00+08:00"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_AUTHOR_NAME="村文书", GIT_AUTHOR_EMAIL="clerk@example.org",
               GIT_COMMITTER_NAME="村文书", GIT_COMMITTER_EMAIL="clerk@example.org")
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", day], cwd=root, check=True, env=env)


def wanted(expect: dict) -> Counter:
    return Counter((e["file"], e["line"], e["rule"], e.get("severity", "error"))
                   for e in expect.get("diagnostics") or [])


def relative(file: str, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(file), root)).as_posix()


def assert_same(got: Counter, want: Counter, case: str, messages: list[str]) -> None:
    missing, extra = want - got, got - want
    detail = "\n".join(messages)
    assert not missing and not extra, (f"{case}\n  missing: {sorted(missing.elements())}\n"
                                       f"  unexpected: {sorted(extra.elements())}\n  reported:\n{detail}")


def assert_chinese(message: str) -> None:
    assert CJK.search(message), f"message without Chinese: {message!r}"
    for junk in JUNK:
        assert junk not in message, f"{junk!r} in message: {message!r}"


# ---------------------------------------------------------------- the corpus

def test_good_fixture_is_clean():
    for path in (GOOD, GOOD / "qingshi"):
        county, report = check_path(path)
        assert [d.format() for d in report.items] == []
        assert len(county.villages) == 1
        village = county.villages[0]
        assert (len(village.ledgers), len(village.decisions), len(village.rules), len(village.evaluations),
                len(village.notices)) == (3, 2, 2, 2, 2)


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path) -> None:
    root = tmp_path / "county"
    expect = build(case, root)
    _, report = check_path(root)
    got = Counter((relative(d.file, root), d.line, d.rule, d.severity) for d in report.items)
    assert_same(got, wanted(expect), case, [d.format() for d in report.items])
    for d in report.items:
        assert d.rule in RULES
        assert_chinese(d.message)


CLI_CASES = [c for c in CASES if expectation(c).get("cli")]


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "cunwu", "check", ".", *args], cwd=root, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize("case", CLI_CASES)
def test_bad_input_cli(case: str, tmp_path: Path) -> None:
    root = tmp_path / "county"
    expect = build(case, root)
    want = wanted(expect)
    proc = run_cli(root)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == (1 if any(sev == "error" for *_, sev in want) else 0), proc.stdout + proc.stderr
    got = Counter()
    for text in proc.stdout.splitlines():
        m = LINE_RE.match(text)
        assert m, f"not `file:line: severity rule: message`: {text!r}"
        got[(Path(m["file"]).as_posix(), int(m["line"]), m["rule"], m["severity"])] += 1
        assert_chinese(m["message"])
    assert_same(got, Counter(set(want)), case, proc.stdout.splitlines())
    assert CJK.search(proc.stderr)  # the Chinese summary line

    proc = run_cli(root, "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    data = json.loads(proc.stdout)
    got = Counter((Path(d["file"]).as_posix(), d["line"], d["rule"], d["severity"]) for d in data["diagnostics"])
    assert_same(got, Counter(set(want)), case, proc.stdout.splitlines())
    assert data["errors"] == sum(n for (*_, sev), n in Counter(set(want)).items() if sev == "error")


def test_every_rule_has_a_case():
    covered = set()
    for case in CASES:
        for rule in {r for _, _, r, _ in wanted(expectation(case))}:
            assert rule in RULES, f"{case}: unknown rule {rule}"
            covered.add(rule)
    assert sorted(set(RULES) - covered) == []
    for rule in RULES:  # each rule also has a case named after it
        assert any(c == rule or c.startswith(rule + "-") for c in CASES), rule


def test_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    """The bomb would be 9**9 strings; refusing it must not build them."""
    import tracemalloc

    root = tmp_path / "county"
    build("yaml.alias-bomb", root)
    tracemalloc.start()
    try:
        _, report = check_path(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.rule for d in report.items] == ["yaml.alias"]
    assert peak < 50 * 1024 * 1024
