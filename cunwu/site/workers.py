"""Building many sites: each village (and the portal) is a job, built by a pool
of worker processes here or on a Dask cluster, and skipped when its inputs are
as at its last build."""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from .engine import BuildError, SiteJob, _init_worker, build_site
from .stamps import STAMP, tree_hash


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

def input_hash(job: SiteJob, project: Path) -> str:
    if job.input_key:
        return hashlib.sha256(f"{job.input_key} {__version__}".encode()).hexdigest()
    return tree_hash(job.render_dir, project / "theme", project / "mkdocs.yml",
                     extra=f"cunwu {__version__}")


def _build_job(config_file: str, out_dir: str, label: str, digest: str) -> float:
    seconds = build_site(Path(config_file), Path(out_dir), label)
    (Path(out_dir) / STAMP).write_text(digest)
    return seconds


def build_sites(jobs: list[SiteJob], project: Path, as_of: date, workers: int,
                clean: bool = False, on_done: Callable[[SiteJob, str, float, int, int], None] | None = None,
                scheduler=None) -> BuildResult:
    """Build every job whose input changed, `workers` at a time here, or on the Dask
    cluster at `scheduler`. Raises BuildError naming the first site that failed,
    after the others have finished."""
    result = BuildResult()
    todo = []
    done, total = 0, len(jobs)

    def report(job: SiteJob, status: str, seconds: float = 0.0) -> None:
        nonlocal done
        done += 1
        if on_done:
            on_done(job, status, seconds, done, total)

    def needs_build(job: SiteJob) -> str | None:
        """The job's digest when it must be built, None when its last output stands."""
        if job.prepare is not None:
            job.prepare()
        job.out_dir.parent.mkdir(parents=True, exist_ok=True)
        stamp = job.out_dir / STAMP
        digest = input_hash(job, project)
        if not clean and stamp.is_file() and stamp.read_text() == digest:
            result.skipped.append(job.key)
            report(job, "skipped")
            return None
        return digest

    failures: list[BuildError] = []

    def failed(job: SiteJob, error: BaseException) -> None:
        # A bug, a full disk, a killed worker: still name the village.
        failures.append(error if isinstance(error, BuildError)
                        else BuildError(job.label, f"{type(error).__name__}: {error}"))
        report(job, "failed")

    ready = [job for job in jobs if job.prepare is None]
    deferred = [job for job in jobs if job.prepare is not None]
    if scheduler is not None:
        from .distributed import run_on_cluster

        todo = [(job, digest) for job in ready + deferred if (digest := needs_build(job))]

        def collect(job: SiteJob, digest: str, error: BaseException | None) -> None:
            if error is not None:
                return failed(job, error)
            (job.out_dir / STAMP).write_text(digest)
            result.built.append(job.key)
            report(job, "built")

        if todo:
            run_on_cluster(scheduler, todo, project, as_of, collect)
    else:
        # Processes, not threads: an engine build is Python-bound (jieba, Markdown).
        # The pool starts only when something must be built; deferred jobs (the
        # portal) are prepared here while the workers build the villages.
        context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        pool: ProcessPoolExecutor | None = None
        futures = {}
        try:
            for job in ready + deferred:
                digest = needs_build(job)
                if digest is None:
                    continue
                if pool is None:
                    pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context,
                                               initializer=_init_worker, initargs=(as_of,))
                futures[pool.submit(_build_job, str(job.render_dir / "mkdocs.yml"), str(job.out_dir),
                                    job.label, digest)] = job
            for future in as_completed(futures):
                job = futures[future]
                try:
                    seconds = future.result()
                except Exception as exc:  # noqa: BLE001 - reported with the village's name
                    failed(job, exc)
                    continue
                result.built.append(job.key)
                result.seconds[job.key] = seconds
                report(job, "built", seconds)
        finally:
            if pool is not None:
                pool.shutdown()
    if failures:
        raise failures[0]
    return result

