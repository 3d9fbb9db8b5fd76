"""Helpers for the clerk-workflow tests: run the real CLI, fill `cunwu new` files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "fixtures" / "good"


def cunwu(*args: str, cwd: Path, today: str | None = None) -> subprocess.CompletedProcess:
    """`python -m cunwu ARGS` in `cwd`, as a clerk would run it.

    today="YYYY-MM-DD" runs it on that day: for defaults that follow the calendar
    (`cunwu new ledger` makes last month's file), so that a test knows the answer
    instead of computing it from its own clock, which may cross midnight, or a
    month's end, between the test and the command. `cunwu new` has no --as-of, so
    date.today() itself is pinned (see _ON_DAY)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "cunwu"]
    if today is not None:
        env["CUNWU_TEST_TODAY"] = today
        command = [sys.executable, "-c", _ON_DAY]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env)


# `python -m cunwu` with datetime.date.today() answering CUNWU_TEST_TODAY: the
# date class is replaced before cunwu (or anything it imports) is loaded, by a
# subclass that still counts every real date (from YAML, say) as an instance.
_ON_DAY = """
import datetime, os, runpy, sys
_real = datetime.date
_day = _real.fromisoformat(os.environ["CUNWU_TEST_TODAY"])
class _Meta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real)
    def __subclasscheck__(cls, sub):
        return issubclass(sub, _real)
class date(_real, metaclass=_Meta):
    @classmethod
    def today(cls):
        return _real(_day.year, _day.month, _day.day)
datetime.date = date
sys.argv[0] = "cunwu"
runpy.run_module("cunwu", run_name="__main__", alter_sys=True)
"""


_EMPTY = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>[a-z_]+):(?P<gap>\s*)(?P<comment>#.*)?$")


def fill(text: str, values: dict) -> str:
    """Fill every `key:` left empty by `cunwu new` (nothing but a comment after the colon).

    values[key] is one value for every occurrence, or a list consumed in order.
    Keys that are not given stay as they are (parents such as `contact:`)."""
    queues = {k: list(v) for k, v in values.items() if isinstance(v, list)}
    out = []
    for line in text.splitlines():
        m = _EMPTY.match(line)
        if m and m.group("key") in values:
            key = m.group("key")
            value = queues[key].pop(0) if key in queues else values[key]
            line = f"{m.group('lead')}{key}: {value}"
        out.append(line)
    return "\n".join(out) + "\n"


def empty_keys(text: str) -> list[str]:
    """Keys still left empty (leaf or parent) — for assertions."""
    return [m.group("key") for m in map(_EMPTY.match, text.splitlines()) if m]


VILLAGE_VALUES = {
    "code": "430124105299", "households": "300", "population": "1100", "adults": "860",
    "representatives": "25", "office": "村部", "phone": "0731-84561111", "hours": "工作日 8:30—17:30",
    "township_phone": "0731-84560000", "name": ["王大山", "李小河", "赵清水"],
    "term": "[2021-01-15, 2026-01-14]",
}


def make_minimal_county(root: Path, slug: str = "qingshi") -> Path:
    """villages/county.yml and one village made with `cunwu new village` and filled in."""
    villages = root / "villages"
    villages.mkdir(parents=True, exist_ok=True)
    (villages / "county.yml").write_text("name: 青山县\ntownships: [青山镇, 石门乡]\n", encoding="utf-8")
    proc = cunwu("new", "village", slug, "--name", "青石村", "--township", "青山镇", cwd=root)
    assert proc.returncode == 0, proc.stderr
    path = villages / slug / "village.yml"
    path.write_text(fill(path.read_text(encoding="utf-8"), VILLAGE_VALUES), encoding="utf-8")
    return villages


def error_lines(stdout: str, rel: str) -> list[tuple[int, str]]:
    """(line, rule) of every error `cunwu check` printed for the file `rel`."""
    return [(int(m.group(1)), m.group(2)) for m in
            (re.match(rf"{re.escape(rel)}:(\d+): error (\S+):", line) for line in stdout.splitlines()) if m]


def keys(data, prefix=()) -> set[tuple]:
    """Every key path in parsed YAML, list positions folded away."""
    found = set()
    if isinstance(data, dict):
        for k, v in data.items():
            found.add(prefix + (k,))
            found |= keys(v, prefix + (k,))
    elif isinstance(data, list):
        for item in data:
            found |= keys(item, prefix)
    return found


def created(proc: subprocess.CompletedProcess, cwd: Path) -> Path:
    """The file `cunwu new` says it created (it must also say what to do next)."""
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = re.search(r"已创建 (\S+)（", proc.stdout)
    assert m and "下一步" in proc.stdout, proc.stdout
    return cwd / m.group(1)


def check_clean(cwd: Path, target: str = "villages/qingshi") -> str:
    """`cunwu check` passes with no error; returns what it printed."""
    proc = cunwu("check", target, cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " error " not in proc.stdout, proc.stdout
    return proc.stdout
