"""Benchmark the village sites of a county: build time, pages per second,
first-load bytes of a village home and the size of each search index.

    python scripts/bench_site.py [villages] [--as-of 2026-11-21] [--json out.json]

Builds every village with a clean cache into a temporary folder (nothing in
the project is touched), then measures the published output. Times are wall
clock on this machine; compare them as ratios within one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cunwu.pipeline import render_all  # noqa: E402
from cunwu.site.publish import publish  # noqa: E402
from cunwu.site.workers import build_sites  # noqa: E402

ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def first_load(page: Path) -> dict:
    """Bytes a phone downloads to show `page` the first time: the HTML and the
    CSS/JS it links (raw and gzip), and separately the size of the site's
    search bundle (Pagefind: fetched only in the chunks a query needs, never
    on a first visit; scripts/bench_search.py measures what a query costs)."""
    html = page.read_bytes()
    files = [page]
    for href in ASSET_RE.findall(html.decode("utf-8")):
        target = (page.parent / href.split("?")[0]).resolve()
        if target.is_file():
            files.append(target)
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(gz(f.read_bytes()) for f in files)
    bundle = [p for p in (page.parent / "pagefind").rglob("*") if p.is_file()]
    return {"files": len(files), "raw": raw, "gzip": zipped,
            "search_raw": sum(p.stat().st_size for p in bundle),
            # Pagefind's index files are gzip already; its JavaScript and JSON are not
            "search_gzip": sum(p.stat().st_size if p.suffix.startswith(".pf") or p.suffix == ".pagefind"
                               else gz(p.read_bytes()) for p in bundle)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("villages", nargs="?", default=str(ROOT / "villages"))
    parser.add_argument("--as-of", default="2026-11-21")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="parallel builds (default 1, so per-village times are comparable)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)

    with tempfile.TemporaryDirectory() as tmp:
        work, site = Path(tmp) / "build", Path(tmp) / "site"
        t0 = time.perf_counter()
        plan = render_all(ROOT, Path(args.villages), work, as_of)
        render_s = time.perf_counter() - t0
        if plan.report.errors:
            print("the records have errors; run cunwu check first", file=sys.stderr)
            return 1
        t1 = time.perf_counter()
        result = build_sites(plan.jobs + [plan.portal], ROOT, as_of, args.jobs, clean=True)
        build_s = time.perf_counter() - t1
        publish({j.key: j.out_dir for j in plan.jobs}, plan.portal.out_dir, site)

        rows = []
        for job in plan.jobs:
            out = site / job.key
            pages = sum(1 for _ in out.rglob("*.html"))
            load = first_load(out / "index.html")
            rows.append({"village": job.key, "seconds": round(result.seconds[job.key], 2), "pages": pages,
                         "pages_per_s": round(pages / result.seconds[job.key], 1), **load})
        total_pages = sum(r["pages"] for r in rows)
        total_bytes = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())

    summary = {
        "cores": os.cpu_count(), "villages": len(rows), "render_s": round(render_s, 2),
        "build_s": round(build_s, 2), "jobs": args.jobs, "pages": total_pages,
        "pages_per_s": round(total_pages / build_s, 1), "site_bytes": total_bytes,
        "mean_village_s": round(sum(r["seconds"] for r in rows) / max(len(rows), 1), 2),
    }
    print(f"{'village':14} {'build s':>8} {'pages':>6} {'pages/s':>8} {'home raw':>9} {'home gz':>8} "
          f"{'index raw':>10} {'index gz':>9}")
    for r in rows:
        print(f"{r['village']:14} {r['seconds']:8.2f} {r['pages']:6d} {r['pages_per_s']:8.1f} "
              f"{r['raw']:9,d} {r['gzip']:8,d} {r['search_raw']:10,d} {r['search_gzip']:9,d}")
    print(json.dumps(summary, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "villages": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
