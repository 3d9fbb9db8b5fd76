"""The engine call: one rendered Markdown site → HTML with MkDocs Material.

`build_site` is a pure function of the rendered folder, the theme and the base
config, so any worker (a local process or a Dask worker) can run it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .csp import CspError, apply_csp
from .gate import leak_message, read_public_numbers, scan_site
from .postbuild import prune_unused_assets
from .search import SearchIndexError, index_site


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



def source_date_epoch(as_of: date) -> str:
    return str(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp()))


def engine_env(as_of: date) -> dict[str, str]:
    """Environment of an engine run: the same records and date give byte-identical
    pages (sitemap dates, footers), and MkDocs 1.x keeps its banner to itself."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = source_date_epoch(as_of)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _init_worker(as_of: date) -> None:
    """A build worker loads MkDocs and Material once and then builds many sites:
    starting them afresh cost about a second a village."""
    os.environ.update({k: v for k, v in engine_env(as_of).items() if k in
                       ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")})
    import logging

    import mkdocs.commands.build  # noqa: F401
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


# MkDocs and its plugins keep state in module globals (the loaded config, the
# theme's Jinja environment, plugin state), so two builds in one
# process at once mix their pages. A thread that wants to build waits for the
# other: the builds are Python-bound, so threads would not run them faster.
_ENGINE_LOCK = threading.Lock()


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
    try:
        with _ENGINE_LOCK:
            logger.addHandler(handler)
            try:
                config = load_config(config_file=str(Path(config_file).resolve()), site_dir=str(tmp_out))
                mkdocs_build(config)
            except (Exception, SystemExit) as exc:  # the engine's own errors are free-form
                detail = "\n".join(messages[-10:] + [f"{type(exc).__name__}: {exc}"])
                raise BuildError(label, detail) from None
            finally:
                logger.removeHandler(handler)
        prune_unused_assets(tmp_out)
        try:
            index_site(tmp_out)   # search is made from the built HTML (Pagefind)
        except SearchIndexError as exc:
            raise BuildError(label, f"搜索索引生成失败：{exc}") from None
        try:
            apply_csp(tmp_out)
        except CspError as exc:
            raise BuildError(label, str(exc)) from None
        # Last, on exactly what would be published: no personal number in any file.
        leaks = scan_site(tmp_out, read_public_numbers(Path(config_file).parent))
        if leaks:
            raise BuildError(label, leak_message(leaks))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp_out.rename(out_dir)
    finally:
        if tmp_out.exists():
            shutil.rmtree(tmp_out, ignore_errors=True)
    return time.perf_counter() - start


