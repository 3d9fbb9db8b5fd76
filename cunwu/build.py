"""Build stage: rendered Markdown sites → HTML with MkDocs Material.

Each village is rendered to `build/render/<slug>/` and built by its own MkDocs
process into `build/out/<slug>/`. A site whose rendered input (pages, config,
theme, base config, cunwu version) is unchanged is not built again.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from . import __version__
from .external_urls import find_external_requests
from .search_index import compact_search_index, prune_unused_assets

STAMP = ".cunwu-input-hash"


class BuildError(Exception):
    """A site failed to build; carries which one and the engine's message."""

    def __init__(self, site: str, message: str) -> None:
        super().__init__(site, message)   # both in args, so it survives pickling
        self.site, self.message = site, message

    def __str__(self) -> str:
        return f"{self.site}: {self.message}"


@dataclass
class SiteJob:
    key: str             # "qingshi", or "_county" for the portal
    label: str           # shown in progress and errors: 青石村
    render_dir: Path     # holds docs/ and mkdocs.yml
    out_dir: Path        # the built HTML
    input_key: str | None = None   # known digest of everything the build reads; else hashed here
    prepare: Callable[[], object] | None = None   # renders the site just before it is needed


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def sync_tree(src: Path, dst: Path) -> int:
    """Make dst a copy of src, touching only files that differ (so an unchanged page
    keeps its mtime and the live-reload server sees only real changes). Returns the
    number of files written or removed."""
    changed = 0
    dst.mkdir(parents=True, exist_ok=True)
    src_files = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    for rel in src_files:
        target = dst / rel
        if target.is_file() and filecmp.cmp(src / rel, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, target)
        changed += 1
    for path in sorted(dst.rglob("*"), reverse=True):
        rel = path.relative_to(dst)
        if path.is_file() and rel not in src_files:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def tree_hash(*roots: Path, extra: str = "") -> str:
    """Digest of the file names and contents under the roots."""
    digest = hashlib.sha256(extra.encode())
    for root in roots:
        if root.is_file():
            files = [root]
        elif root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                           and not p.name.startswith(".cunwu-"))
        else:
            continue
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def input_hash(job: SiteJob, project: Path) -> str:
    if job.input_key:
        return hashlib.sha256(f"{job.input_key} {__version__}".encode()).hexdigest()
    return tree_hash(job.render_dir, project / "theme", project / "mkdocs.yml",
                     extra=f"cunwu {__version__}")


def source_date_epoch(as_of: date) -> str:
    return str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp()))


def engine_env(as_of: date) -> dict[str, str]:
    """Environment of an engine run: the same records and date give byte-identical
    pages (sitemap dates, footers), and MkDocs 1.x keeps its banner to itself."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = source_date_epoch(as_of)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _init_worker(as_of: date) -> None:
    """A build worker loads MkDocs, Material and jieba's dictionary once and then
    builds many sites: starting them afresh cost about a second a village."""
    os.environ.update({k: v for k, v in engine_env(as_of).items() if k in
                       ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")})
    import logging

    import mkdocs.commands.build  # noqa: F401
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    except ImportError:  # search then indexes Chinese without segmentation
        pass


def build_site(config_file: Path, out_dir: Path, label: str) -> float:
    """Build one rendered site with MkDocs into a fresh folder, check and shrink it,
    then move it into place. Returns the seconds it took. Pure function of the
    rendered folder, theme and base config, so any worker (local or Dask) can run it."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Absolute paths: MkDocs reads a relative site_dir against the config's folder.
    tmp_out = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent)).resolve()
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(f"{record.levelname}: {record.getMessage()}")

    handler = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        try:
            config = load_config(config_file=str(Path(config_file).resolve()), site_dir=str(tmp_out))
            mkdocs_build(config)
        except (Exception, SystemExit) as exc:  # the engine's own errors are free-form
            detail = "\n".join(messages[-10:] + [f"{type(exc).__name__}: {exc}"])
            raise BuildError(label, detail) from None
        compact_search_index(tmp_out)
        prune_unused_assets(tmp_out)
        outside = find_external_requests(tmp_out)
        if outside:  # a page would make the reader's phone call another host
            raise BuildError(label, "页面会向站外发出请求，已停止发布：" +
                             "；".join(f"{page} → {url}" for page, url in outside[:5]))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp_out.rename(out_dir)
    finally:
        logger.removeHandler(handler)
        if tmp_out.exists():
            shutil.rmtree(tmp_out, ignore_errors=True)
    return time.perf_counter() - start


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


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link a built file into the new site: a county is about a gigabyte of
    HTML, and built files are never changed in place (a rebuild writes a new
    folder), so sharing them is safe. Copy when the two are on different disks."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def publish(parts: dict[str, Path], portal: Path, site: Path) -> None:
    """Assemble portal + village sites beside `site` and swap them in.

    The new tree is complete before the old one is touched; if anything fails
    on the way, the published site stays exactly as it was."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        shutil.copytree(portal, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(STAMP),
                        copy_function=_link_or_copy)
        for slug, built in parts.items():
            shutil.copytree(built, staging / slug, ignore=shutil.ignore_patterns(STAMP),
                            copy_function=_link_or_copy)
        old = site.parent / f".{site.name}-old-{os.getpid()}"
        if site.exists():
            site.rename(old)
        staging.rename(site)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
