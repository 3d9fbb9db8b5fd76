"""How build and check cost grow with the county, as ratios from one run.

    python scripts/bench_scale.py [--counties demo,40] [--baseline REV] [--repeat 2]
        [--entries 20:60] [--naive] [--limit 600] [--json out.json]

Each county is either `demo` (a copy of this tree's villages/) or a number N
(a synthetic county of N villages from scripts/gen_county.py: 3 years, seeded).
Both sides are given the same county (from the baseline's tree when there is
one: today's cunwu reads yesterday's records). A side is this working tree ("current")
and, with `--baseline REV`, cunwu as of commit REV, checked out into a
temporary git worktree and run with the same Python. For each side it measures:

  cold    `cunwu build` with no work folder and no published site (truly cold);
  one     the rebuild after one ledger amount changed (1.00 yuan moved between
          two entries of the same category in one month: the month still balances);
  check   `cunwu check --format json` on the county, before any build (no
          work folder: every village parsed and checked);
  check_after_build   the same after the cold build, whose per-village cache
          `cunwu check` reads (a village unchanged since is not parsed again).

Every figure is of the whole process tree (the build's worker processes
included): CPU-seconds are user + system time of every process that ran
(this process becomes the "child subreaper", so even workers whose parent has
exited are reaped here and counted); peak memory is the largest sum of the
resident set sizes of the tree, sampled every 50 ms with psutil (shared pages
count once per process, so it errs high). `--repeat` runs each measurement
that many times and keeps the lowest of each figure (other work on the
machine only ever adds). `--naive` also builds the same pages as ONE MkDocs
site with every page in its nav (one process), stopped after --limit seconds.

Linux only (prctl). Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"
PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    stdout: str = ""
    stopped: bool = False


def become_subreaper() -> None:
    """Orphaned descendants (a pool's forkserver and its workers outlive the
    build's main process by a moment) are re-parented to us, so their CPU time
    reaches RUSAGE_CHILDREN when we reap them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed: this benchmark needs Linux")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_all(timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None,
            check: bool = True) -> Run:
    """Run `cmd`; its wall time, the CPU-seconds of its whole process tree and the
    tree's peak resident memory."""
    me = psutil.Process()
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            total = 0
            for proc in me.children(recursive=True):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            stop.wait(0.05)

    _reap_all(5)
    cpu0 = _children_cpu()
    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        stopped = False
    except subprocess.TimeoutExpired:
        for child in psutil.Process(proc.pid).children(recursive=True):
            child.kill()
        proc.kill()
        out, err = proc.communicate()
        stopped = True
    wall = time.perf_counter() - start
    _reap_all()
    stop.set()
    sampler.join()
    if check and not stopped and proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out[-2000:]}\n{err[-2000:]}")
    if check and not stopped and proc.returncode == 1 and "check" not in cmd:
        sys.exit(f"failed: {' '.join(cmd)}\n{out[-2000:]}\n{err[-2000:]}")
    return Run(wall, _children_cpu() - cpu0, peak / 2**20, out, stopped)


def best(runs: list[Run]) -> Run:
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs), min(r.peak_mb for r in runs), runs[0].stdout)


class Side:
    """One version of cunwu: its source tree, run with this Python."""

    def __init__(self, name: str, root: Path) -> None:
        self.name, self.root = name, root
        self.env = dict(os.environ, PYTHONPATH=str(root))
        self.env.pop("PYTHONHASHSEED", None)

    def cunwu(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "cunwu", *args]

    def build(self, villages: Path, tmp: Path) -> Run:
        return measure(self.cunwu("build", str(villages), "--site", str(tmp / "site"), "--work", str(tmp / "build"),
                                  "--as-of", AS_OF, "--project", str(self.root), "--quiet"), tmp, self.env)

    def check(self, villages: Path, tmp: Path) -> Run:
        return measure(self.cunwu("check", str(villages), "--format", "json"), tmp, self.env)


def make_county(spec: str, dest: Path, entries: str, source: Path = ROOT) -> Path:
    """The county both sides are given, from `source`: the baseline's tree when there
    is one (today's cunwu reads yesterday's records; the reverse may not hold)."""
    if spec == "demo":
        shutil.copytree(source / "villages", dest)
        return dest
    n = int(spec)
    subprocess.run([sys.executable, str(source / "scripts" / "gen_county.py"), str(dest), "--villages", str(n),
                    "--townships", str(max(2, round(12 * n / 139))), "--years", "3", "--end-month", "2026-10",
                    "--entries", entries, "--seed", "1", "--no-check"], check=True, capture_output=True)
    return dest


AMOUNT_RE = re.compile(r"^(\s*)amount: (\d+\.\d\d)\s*$", re.M)


def change_one_amount(villages: Path) -> Path:
    """Move 1.00 yuan between two entries of one category in one village's
    latest ledger: one amount (and its partner) changes, the month still balances."""
    slug = sorted(p.name for p in villages.iterdir() if p.is_dir())[0]
    for ledger in sorted((villages / slug / "ledgers").glob("*.yml"), reverse=True):
        text = ledger.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        seen: dict[str, int] = {}
        for i, entry in enumerate(data.get("entries") or []):
            first = seen.setdefault(entry["category"], i)
            if first != i and float(entry["amount"]) > 1:
                spans = list(AMOUNT_RE.finditer(text))
                a, b = spans[first], spans[i]
                new_a = f"{a.group(1)}amount: {float(a.group(2)) + 1:.2f}"
                new_b = f"{b.group(1)}amount: {float(b.group(2)) - 1:.2f}"
                text = text[:a.start()] + new_a + text[a.end():b.start()] + new_b + text[b.end():]
                ledger.write_text(text, encoding="utf-8")
                return ledger
    sys.exit(f"no ledger of {slug} has two entries of one category")


def naive_site(side: Side, tmp: Path, limit: float) -> tuple[Run, int]:
    """All villages' rendered pages as one MkDocs site, every page in the nav."""
    docs = tmp / "naive" / "docs"
    nav = []
    for render in sorted((tmp / "build" / "render").iterdir()):
        if render.name.startswith(("_", ".")):
            continue
        shutil.copytree(render / "docs", docs / render.name)
        pages = sorted(p.relative_to(docs).as_posix() for p in (docs / render.name).rglob("*.md"))
        nav.append({render.name: pages})
    config = yaml.safe_load((side.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(site_name="全县村务公开（单站点对照）", docs_dir="docs", site_dir=str(tmp / "naive" / "site"), nav=nav)
    config["theme"]["custom_dir"] = str(side.root / "theme")
    (tmp / "naive" / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = dict(side.env, SOURCE_DATE_EPOCH="1795219200", NO_MKDOCS_2_WARNING="1")
    run = measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(tmp / "naive" / "mkdocs.yml")],
                  tmp, env, timeout=limit)
    return run, sum(len(next(iter(n.values()))) for n in nav)


def bench_side(side: Side, spec: str, pristine: Path, tmp: Path, repeat: int, naive: bool, limit: float,
               what: set[str]) -> dict:
    cold: list[Run] = []
    one: list[Run] = []
    check: list[Run] = []
    warm: list[Run] = []
    pages = 0
    for _ in range(repeat):
        work = tmp / side.name
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        villages = work / "villages"
        shutil.copytree(pristine, villages)
        if "check" in what:   # first, with no build folder: a cold check
            check.append(side.check(villages, work))
        if what & {"cold", "one"}:
            cold.append(side.build(villages, work))
            pages = sum(1 for _ in (work / "site").rglob("*.html"))
            if "check" in what:   # again, after the build: its per-village cache is there
                warm.append(side.check(villages, work))
        if "one" in what:
            change_one_amount(villages)
            one.append(side.build(villages, work))
    row: dict = {"county": spec, "side": side.name, "pages": pages}
    for name, runs in (("cold", cold), ("one", one), ("check", check), ("check_after_build", warm)):
        if not runs:
            continue
        b = best(runs)
        row[name] = {"wall": round(b.wall, 2), "cpu": round(b.cpu, 2), "peak_mb": round(b.peak_mb, 1),
                     "cpu_all": [round(r.cpu, 2) for r in runs]}
    row["check_json"] = best(check).stdout if check else "{}"
    if naive:
        run, naive_pages = naive_site(side, tmp / side.name, limit)
        row["naive"] = {"wall": round(run.wall, 2), "cpu": round(run.cpu, 2), "peak_mb": round(run.peak_mb, 1),
                        "stopped": run.stopped, "pages": naive_pages}
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", default="demo,40", help="comma-separated: demo and/or village counts")
    parser.add_argument("--baseline", metavar="REV", help="also measure cunwu as of this commit")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the lowest is kept")
    parser.add_argument("--entries", default="20:60", help="ledger entries per month in generated counties, MIN:MAX")
    parser.add_argument("--naive", action="store_true", help="also build every page as one MkDocs site")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before the naive build is stopped")
    parser.add_argument("--measure", default="cold,one,check", help="which of cold, one, check")
    parser.add_argument("--json")
    args = parser.parse_args()
    what = set(args.measure.split(","))
    become_subreaper()
    random.seed(0)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        # A copy of this working tree: edits made while the benchmark runs (theme/,
        # content/, cunwu/) would otherwise make the rebuild a full one.
        current = tmp / "current-src"
        shutil.copytree(ROOT, current, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", ".venv*", "build", "site", ".site.versions",
                                                      "__pycache__", "*.egg-info"))
        sides = [Side("current", current)]
        if args.baseline:
            base = tmp / "baseline-src"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.baseline],
                           check=True, capture_output=True)
            sides.append(Side("baseline", base))
        try:
            for spec in args.counties.split(","):
                pristine = make_county(spec, tmp / f"county-{spec}", args.entries, sides[-1].root)
                for side in sides:
                    row = bench_side(side, spec, pristine, tmp / f"run-{spec}", args.repeat, args.naive, args.limit, what)
                    rows.append(row)
                    print(json.dumps({k: v for k, v in row.items() if k != "check_json"}, ensure_ascii=False), flush=True)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "baseline-src")],
                               capture_output=True)
    print(f"\ncores: {os.cpu_count()}, best of {args.repeat}, baseline {args.baseline or '—'}\n")
    print("| county | measurement | side | wall s | CPU s | peak MB (tree) | CPU vs baseline | peak vs baseline |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        base = next((r for r in rows if r["county"] == row["county"] and r["side"] == "baseline"), None)
        for name in ("cold", "one", "check", "check_after_build"):
            if name not in row:
                continue
            m = row[name]
            ratio = mem = "—"
            if base and row is not base:
                ratio = f"{m['cpu'] / base[name]['cpu']:.2f}"
                mem = f"{m['peak_mb'] / base[name]['peak_mb']:.2f}"
            print(f"| {row['county']} | {name} | {row['side']} | {m['wall']} | {m['cpu']} | {m['peak_mb']} | {ratio} | {mem} |")
    for row in rows:
        if "one" in row:
            print(f"{row['county']} {row['side']}: one-amount rebuild / cold build CPU = "
                  f"{row['one']['cpu'] / row['cold']['cpu']:.3f}, wall = {row['one']['wall'] / row['cold']['wall']:.3f}"
                  f"; pages {row['pages']}")
        if "naive" in row:
            print(f"  naive single site: {row['naive']}")
        base = next((r for r in rows if r["county"] == row["county"] and r["side"] == "baseline"), None)
        if base and row is not base and "check" in row:
            same = json.loads(row["check_json"]) == json.loads(base["check_json"])
            print(f"  check --format json output identical to baseline: {same}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
