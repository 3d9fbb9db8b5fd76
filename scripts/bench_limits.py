"""Benchmark: `cunwu check` and a one-village build for decision bodies at the
limits of cunwu/records/checks/text.py, of growing size. Time should grow
linearly with the body (compare the per-KB column), never with its square.

    .venv/bin/python scripts/bench_limits.py            # sizes 1/8 … 1 of the limit
    .venv/bin/python scripts/bench_limits.py --steps 3  # fewer builds

Each body is made of the worst blocks the limits admit: MAX_BRACKETS unclosed
"[" (the pattern that made Python-Markdown quadratic), lists nested MAX_DEPTH
deep, filled with plain text up to the size. The bad body that the limits
refuse is checked too (check only: it is never built).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cunwu.records.checks import check_path  # noqa: E402
from cunwu.records.checks.text import MAX_BODY_CHARS, MAX_BRACKETS, MAX_DEPTH  # noqa: E402

GOOD = ROOT / "tests" / "fixtures" / "good"
DECISION = Path("qingshi") / "decisions" / "2024-07-测试.md"


def worst_body(chars: int) -> str:
    """Blocks at the limits, repeated up to `chars` characters."""
    brackets = "[链接 " * MAX_BRACKETS
    nested = "".join("  " * i + f"- 第{i + 1}层\n" for i in range(MAX_DEPTH))
    unit = brackets + "\n\n" + nested + "\n"
    return (unit * (chars // len(unit) + 1))[:chars].rsplit("\n", 1)[0] + "\n"


def county(tmp: Path, body: str) -> Path:
    root = tmp / "villages"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(GOOD, root)
    front = (GOOD / "qingshi" / "decisions" / "2024-03-修建村道.md").read_text(encoding="utf-8").split("---\n")[1]
    (root / DECISION).write_text("---\n" + front + "---\n" + body, encoding="utf-8")
    return root


def time_check(root: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    _, report = check_path(root)
    return time.perf_counter() - start, sorted({d.rule for d in report.errors})


def time_build(root: Path, tmp: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cunwu", "build", str(root), "--site", str(tmp / "site"),
                           "--work", str(tmp / "build"), "--as-of", "2024-09-01", "--project", str(ROOT),
                           "-j", "1", "--quiet", "--clean"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=4, help="sizes: limit/2^(steps-1) … limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        baseline = time_build(county(tmp, "正文。\n"), tmp)
        print(f"one-village build, a one-line body: {baseline:.2f} s\n")
        print(f"{'body chars':>10} {'check s':>8} {'build s':>8} {'build − base':>13} {'ms per 1k chars':>16}")
        for step in range(args.steps - 1, -1, -1):
            chars = MAX_BODY_CHARS // 2 ** step
            root = county(tmp, worst_body(chars))
            check_s, rules = time_check(root)
            assert not rules, f"a body at the limits was refused: {rules}"
            build_s = time_build(root, tmp)
            extra = build_s - baseline
            print(f"{chars:>10} {check_s:>8.2f} {build_s:>8.2f} {extra:>13.2f} {1000 * extra / (chars / 1000):>16.1f}")
        bad = "[" * 12000 + "](" * 6000 + "\n"
        check_s, rules = time_check(county(tmp, bad))
        print(f"\nthe 24 KB bracket body of issue 10: check {check_s:.2f} s, refused with {', '.join(rules)}")
        deep = "- " * 600 + "项\n"
        check_s, rules = time_check(county(tmp, deep))
        print(f"lists nested 600 deep: check {check_s:.2f} s, refused with {', '.join(rules)}")


if __name__ == "__main__":
    main()
