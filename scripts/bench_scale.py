"""How build cost grows with the county, measured in one run on one machine.

    python scripts/bench_scale.py [--sizes 10,20,40,139] [--entries 20:60] [--limit 600] [--json out.json]

For each size N it generates a synthetic county (scripts/gen_county.py: N
villages, 3 years, seeded) and measures:

  (a) a full `cunwu build` (clean work folder, all cores);
  (b) the rebuild after changing one month of one village;
  (c) the same pages built naively as ONE MkDocs Material site with every page
      in its nav. (c) stops at the first size that takes over --limit seconds,
      and larger sizes are not tried.

It prints a Markdown table with times, output sizes and the ratios (a)/(c) and
(b)/(a). Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"


def run(cmd: list[str], timeout: float | None = None, **kw) -> tuple[float, subprocess.CompletedProcess | None]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start, proc


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def cunwu_build(villages: Path, tmp: Path) -> float:
    seconds, _ = run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(tmp / "site"),
                      "--work", str(tmp / "build"), "--as-of", AS_OF, "--project", str(ROOT), "--quiet"])
    return seconds


def naive_site(tmp: Path, limit: float) -> tuple[float | None, int, int]:
    """All villages' rendered pages as one MkDocs site, every page in the nav."""
    docs = tmp / "naive" / "docs"
    nav = []
    for render in sorted((tmp / "build" / "render").iterdir()):
        if render.name.startswith(("_", ".")):
            continue
        shutil.copytree(render / "docs", docs / render.name)
        pages = sorted(p.relative_to(docs).as_posix() for p in (docs / render.name).rglob("*.md"))
        nav.append({render.name: pages})
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(site_name="全县村务公开（单站点对照）", docs_dir="docs", site_dir=str(tmp / "naive" / "site"),
                  nav=nav)
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    (tmp / "naive" / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    page_count = sum(len(next(iter(n.values()))) for n in nav)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795219200", NO_MKDOCS_2_WARNING="1")
    seconds, proc = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                         str(tmp / "naive" / "mkdocs.yml")], timeout=limit, env=env)
    if proc is None:
        return None, page_count, 0
    return seconds, page_count, size_of(tmp / "naive" / "site")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,20,40,139")
    parser.add_argument("--entries", default="20:60", help="ledger entries per month, MIN:MAX")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before (c) is stopped")
    parser.add_argument("--json")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    rows, naive_stopped = [], False
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp_name:
            tmp = Path(tmp_name)
            villages = tmp / "villages"
            townships = max(2, round(12 * n / 139))
            run([sys.executable, str(ROOT / "scripts" / "gen_county.py"), str(villages), "--villages", str(n),
                 "--townships", str(townships), "--years", "3", "--end-month", "2026-10",
                 "--entries", args.entries, "--seed", "1", "--no-check"])
            full = cunwu_build(villages, tmp)
            site_bytes = size_of(tmp / "site")
            pages = sum(1 for _ in (tmp / "site").rglob("*.html"))
            slug = sorted(p.name for p in villages.iterdir() if p.is_dir())[0]
            ledger = sorted((villages / slug / "ledgers").glob("*.yml"))[-1]
            ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 更正 ", 1),
                              encoding="utf-8")
            one = cunwu_build(villages, tmp)
            naive, naive_pages, naive_bytes = (None, 0, 0)
            if not naive_stopped:
                naive, naive_pages, naive_bytes = naive_site(tmp, args.limit)
                naive_stopped = naive is None
            row = {"villages": n, "pages": pages, "a_full_s": round(full, 1), "b_one_month_s": round(one, 1),
                   "c_naive_s": None if naive is None else round(naive, 1), "c_pages": naive_pages,
                   "site_mb": round(site_bytes / 2**20, 1), "naive_mb": round(naive_bytes / 2**20, 1),
                   "a_over_c": round(full / naive, 3) if naive else None, "b_over_a": round(one / full, 3),
                   "c_stopped": naive is None and naive_pages > 0}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print(f"\ncores: {os.cpu_count()}, entries/month {args.entries}, (c) limit {args.limit:.0f} s\n")
    print("| villages | pages | (a) full build s | (b) one month s | (c) naive s | site MB | naive MB "
          "| (a)/(c) | (b)/(a) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        naive = (f"> {args.limit:.0f} (stopped)" if r["c_stopped"] else
                 "not run" if r["c_naive_s"] is None else f"{r['c_naive_s']}")
        print(f"| {r['villages']} | {r['pages']} | {r['a_full_s']} | {r['b_one_month_s']} | {naive} | "
              f"{r['site_mb']} | {r['naive_mb'] or '—'} | {r['a_over_c'] or '—'} | {r['b_over_a']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
