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
    published: bool = True   # False: nothing changed and `site` already shows these sites

def input_hash(job: SiteJob, project: Path, engine: str = "mkdocs") -> str:
    # A site built by the other engine is built again (MkDocs' digests stay as they were).
    other = "" if engine == "mkdocs" else f" {engine}"
    if job.input_key:
        return hashlib.sha256(f"{job.input_key} {__version__}{other}".encode()).hexdigest()
    return tree_hash(job.render_dir, project / "theme", project / "mkdocs.yml",
                     extra=f"cunwu {__version__}{other}")


def _warm_up() -> None:
    """Starts the first worker (its initializer loads the engine) at once."""


def _build_job(config_file: str, out_dir: str, label: str, digest: str, engine: str, reuse: bool) -> float:
    seconds = build_site(Path(config_file), Path(out_dir), label, engine, reuse)
    (Path(out_dir) / STAMP).write_text(digest)
    return seconds


def build_sites(jobs: list[SiteJob], project: Path, as_of: date, workers: int,
                clean: bool = False, on_done: Callable[[SiteJob, str, float, int, int], None] | None = None,
                scheduler=None, engine: str = "mkdocs") -> BuildResult:
    """Build every job whose input changed with `engine` (mkdocs or properdocs),
    `workers` at a time here, or on the Dask cluster at `scheduler`. Raises
    BuildError naming the first site that failed, after the others have finished."""
    result = BuildResult()
    todo = []
    done, total = 0, len(jobs)

    def report(job: SiteJob, status: str, seconds: float = 0.0) -> None:
        nonlocal done
        done += 1
        if on_done:
            on_done(job, status, seconds, done, total)

    def up_to_date(job: SiteJob, digest: str) -> bool:
        stamp = job.out_dir / STAMP
        if not clean and stamp.is_file() and stamp.read_text() == digest:
            result.skipped.append(job.key)
            report(job, "skipped")
            return True
        return False

    def needs_build(job: SiteJob) -> str | None:
        """The job's digest when it must be built, None when its last output stands.
        A job whose inputs are known before it is rendered (a village: its records,
        the shared content and the date) is not even rendered when its output stands."""
        if job.input_key is not None:
            digest = input_hash(job, project, engine)
            if up_to_date(job, digest):
                return None
            if job.prepare is not None:
                job.prepare()
        else:
            if job.prepare is not None:
                job.prepare()
            digest = input_hash(job, project, engine)
            if up_to_date(job, digest):
                return None
        job.out_dir.parent.mkdir(parents=True, exist_ok=True)
        return digest

    def may_build(job: SiteJob) -> bool:
        """False only when the job's output surely stands (known inputs, matching stamp)."""
        if clean or job.input_key is None:
            return True
        stamp = job.out_dir / STAMP
        return not (stamp.is_file() and stamp.read_text() == input_hash(job, project, engine))

    failures: list[BuildError] = []

    def failed(job: SiteJob, error: BaseException) -> None:
        # A bug, a full disk, a killed worker: still name the village.
        failures.append(error if isinstance(error, BuildError)
                        else BuildError(job.label, f"{type(error).__name__}: {error}"))
        report(job, "failed")

    # Jobs already rendered first, then those rendered on demand (the villages in
    # their order, the portal last): each is submitted as soon as it is rendered,
    # so the first village builds while the next renders.
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
            run_on_cluster(scheduler, todo, project, as_of, collect, engine)
    else:
        # Processes, not threads: an engine build is Python-bound (Markdown, Jinja).
        # No more workers than sites that may need building (a one-village change
        # starts two: that village and the portal), and none when nothing does.
        # The pool starts before the first render, so a worker loads the engine
        # while the main process renders.
        context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        maybe = [job for job in ready + deferred if may_build(job)]
        size = min(max(1, workers), len(maybe))
        pool: ProcessPoolExecutor | None = None
        futures = {}

        def started() -> ProcessPoolExecutor:
            nonlocal pool
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=size, mp_context=context,
                                           initializer=_init_worker, initargs=(as_of, engine))
            return pool

        try:
            if any(job.input_key is not None for job in maybe):   # surely built: start now
                started().submit(_warm_up)
            for job in ready + deferred:
                digest = needs_build(job)
                if digest is None:
                    continue
                # Not --clean: pages unchanged since this site's last build are taken from it.
                futures[started().submit(_build_job, str(job.render_dir / "mkdocs.yml"), str(job.out_dir),
                                         job.label, digest, engine, not clean)] = job
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
        except BaseException:
            if pool is not None:   # a render failed: builds not yet started are not started
                pool.shutdown(cancel_futures=True)
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown()
    if failures:
        raise failures[0]
    return result

