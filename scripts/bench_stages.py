"""Where a cold build's CPU goes, stage by stage, in one process.

    python scripts/bench_stages.py [VILLAGES] [--as-of 2026-11-21]

Builds every village of VILLAGES (default: this tree's villages/) and the
portal one after another in this process, into a temporary folder, and sums
the CPU seconds spent in each stage: loading and checking, rendering, the
engine (MkDocs and Material), the post-build steps (the Content-Security-Policy,
Pagefind for each site, the personal-number gate) and the county's search
index. Pagefind runs as a child process: its CPU is counted from the
children's usage. The stages are timed by wrapping the functions the build
calls, so the figures are of the code as it is, not of a copy of it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cunwu import pipeline
from cunwu.site import engine, publish

ROOT = Path(__file__).resolve().parent.parent
SPENT: Counter[str] = Counter()


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, children = time.process_time(), _children()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[stage] += time.process_time() - cpu + _children() - children
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("villages", nargs="?", default=str(ROOT / "villages"))
    parser.add_argument("--as-of", default="2026-11-21")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    engine._init_worker(as_of)
    load_config, build = engine._engine("mkdocs")
    engine._engine = lambda _name: (load_config, timed("engine (MkDocs and Material)", build))
    for name, stage in (("apply_csp", "Content-Security-Policy"), ("index_site", "Pagefind, each site"),
                        ("scan_site", "personal-number gate"), ("prune_unused_assets", "pruning assets")):
        setattr(engine, name, timed(stage, getattr(engine, name)))
    publish.index_county = timed("Pagefind, the county", publish.index_county)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan = timed("load and check", pipeline.render_all)(ROOT, Path(args.villages), work / "build", as_of,
                                                             clean=True)
        if plan.report.errors:
            raise SystemExit("the county has errors: run cunwu check")
        for job in [*plan.jobs, plan.portal]:
            if job.prepare is not None:
                timed("render", job.prepare)()
            engine.build_site(job.render_dir / "mkdocs.yml", job.out_dir, job.label)
        publish.publish({job.key: job.out_dir for job in plan.jobs}, plan.portal.out_dir, work / "site")
    total = sum(SPENT.values())
    print("| stage | CPU s | share |\n|---|---:|---:|")
    for stage, seconds in SPENT.most_common():
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")
    print(f"| all stages | {total:.2f} | |")


if __name__ == "__main__":
    main()
