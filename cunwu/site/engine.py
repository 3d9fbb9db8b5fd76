"""The engine call: one rendered Markdown site → HTML with MkDocs Material.

`build_site` is a pure function of the rendered folder, the theme and the base
config, so any worker (a local process or a Dask worker) can run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .csp import CspError, apply_csp
from .gate import leak_message, read_public_numbers, scan_site
from .postbuild import prune_unused_assets
from .search import BUNDLE, SearchIndexError, index_site
from .stamps import BUILD_RECORD, NOT_PUBLISHED, tree_hash


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


HOOKS = Path(__file__).with_name("engine_hooks.py")


# The engines that build a rendered tree: MkDocs 1.x, and ProperDocs, its maintained
# fork (the same code under another name, Material runs on it unchanged). One
# process runs one of them: ProperDocs answers Material's `import mkdocs…` itself
# (properdocs.replacement), which cannot be undone once either is imported.
ENGINES = ("mkdocs", "properdocs")


def resolve_engine(name: str = "auto") -> str:
    """`auto`: MkDocs while a 1.x is installed (MkDocs 2 drops the plugins and themes
    Material needs), else ProperDocs."""
    if name != "auto":
        if name not in ENGINES:
            raise ValueError(f"unknown engine {name!r}: {', '.join(ENGINES)} or auto")
        return name
    from importlib.metadata import PackageNotFoundError, version

    try:
        if version("mkdocs").split(".")[0] == "1":
            return "mkdocs"
    except PackageNotFoundError:
        pass
    return "properdocs"


def _engine(name: str) -> tuple[Callable[..., Any], Callable[..., None]]:
    """(load_config, build) of the engine `name`, loaded into this process."""
    loaded = sys.modules.get("mkdocs")
    running = None if loaded is None else ("properdocs" if loaded.__name__ == "properdocs" else "mkdocs")
    if running is not None and running != name:
        raise RuntimeError(f"this process already runs {running}; {name} needs a process of its own")
    from importlib import import_module

    if name == "properdocs":
        import_module("properdocs.replacement")   # Material's `mkdocs.*` imports now load ProperDocs
    return import_module(f"{name}.config").load_config, import_module(f"{name}.commands.build").build


def _init_worker(as_of: date, engine: str = "mkdocs") -> None:
    """A build worker loads the engine and Material once and then builds many sites:
    starting them afresh cost about a second a village."""
    os.environ.update({k: v for k, v in engine_env(as_of).items() if k in
                       ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")})
    import logging

    _engine(engine)
    for name in ENGINES:
        logging.getLogger(name).setLevel(logging.WARNING)


# MkDocs and its plugins keep state in module globals (the loaded config, the
# theme's Jinja environment, plugin state), so two builds in one
# process at once mix their pages. A thread that wants to build waits for the
# other: the builds are Python-bound, so threads would not run them faster.
_ENGINE_LOCK = threading.Lock()


def _shape(config: Any, config_file: Path, engine: str) -> str:
    """Digest of what every page of a site depends on alike: its mkdocs.yml (nav,
    titles, extensions, the date in the footer), the theme folder, the versions of
    the engine, Material, Python-Markdown and Jinja, and cunwu's own build and post-build
    code (a page kept from the last build must be what this code would make)."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    versions = []
    for package in (engine, "mkdocs-material", "markdown", "jinja2"):
        try:
            versions.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package}=?")
    custom = getattr(config.theme, "custom_dir", None)
    code = b"".join(Path(__file__).with_name(name).read_bytes()
                    for name in ("engine.py", "engine_hooks.py", "postbuild.py", "csp.py"))
    return tree_hash(Path(config_file), *([Path(custom)] if custom else []),
                     extra=f"{__version__} {' '.join(versions)} {hashlib.sha256(code).hexdigest()}")


def _rendered_files(docs: Path) -> dict[str, str]:
    """Every rendered file (relative to docs/) with the digest of its bytes."""
    return {p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(docs.rglob("*")) if p.is_file()}


def _output_of(source: str) -> str:
    """The built file of a rendered one (use_directory_urls is off: a.md → a.html)."""
    return source[:-3] + ".html" if source.endswith(".md") else source


def _reuse_previous(out_dir: Path, tmp_out: Path, shape: str, docs: dict[str, str]) -> bool:
    """Start from the previous build of this site when it was built with the same
    shape: copy it (copies, not links: its files are linked into the published
    site and the engine writes pages in place), then delete the built file of
    every rendered file that is gone, new or changed since (by its bytes, not its
    time). The engine's `dirty` build then makes exactly the files that are
    missing (and any whose rendered file is newer): a page's HTML depends only on
    its own Markdown and on the shape. False when there is nothing to reuse."""
    try:
        record = json.loads((out_dir / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("shape") != shape or not isinstance(record.get("files"), dict):
        return False
    shutil.copytree(out_dir, tmp_out, symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(*NOT_PUBLISHED, BUNDLE))   # made again
    before: dict[str, Any] = record["files"]
    for rel in set(before) | set(docs):
        if before.get(rel) != docs.get(rel):
            stale = tmp_out / _output_of(rel)
            if stale.is_file() or stale.is_symlink():
                stale.unlink()
    return True


def build_site(config_file: Path, out_dir: Path, label: str, engine: str = "mkdocs", reuse: bool = False) -> float:
    """Build one rendered site with `engine` (MkDocs or ProperDocs) into a fresh folder,
    check and shrink it, then move it into place. Returns the seconds it took. Pure
    function of the rendered folder, theme and base config, so any worker (local or
    Dask) can run it. `reuse`: pages whose rendered file did not change since the
    build already in `out_dir` are taken from it (see _reuse_previous); the result
    is the same site as a full build makes."""
    import logging

    try:
        load_config, engine_build = _engine(engine)
    except (ImportError, RuntimeError) as exc:
        raise BuildError(label, f"{engine}: {exc}") from None
    start = time.perf_counter()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Absolute paths: MkDocs reads a relative site_dir against the config's folder.
    tmp_out = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent)).resolve()
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING and "'dirty' build" not in record.getMessage():
                messages.append(f"{record.levelname}: {record.getMessage()}")

    handler = Collect()
    loggers = [logging.getLogger(name) for name in ENGINES]   # Material logs under mkdocs.* on both
    try:
        with _ENGINE_LOCK:
            for logger in loggers:
                logger.addHandler(handler)
            try:
                config = load_config(config_file=str(Path(config_file).resolve()), site_dir=str(tmp_out),
                                     hooks=[str(HOOKS)])
                shape = _shape(config, Path(config_file), engine)
                docs = _rendered_files(Path(config.docs_dir))
                dirty = reuse and _reuse_previous(out_dir, tmp_out, shape, docs)
                engine_build(config, dirty=dirty)
            except (Exception, SystemExit) as exc:  # the engine's own errors are free-form
                detail = "\n".join(messages[-10:] + [f"{type(exc).__name__}: {exc}"])
                raise BuildError(label, detail) from None
            finally:
                for logger in loggers:
                    logger.removeHandler(handler)
        prune_unused_assets(tmp_out)
        try:
            apply_csp(tmp_out)
        except CspError as exc:
            raise BuildError(label, str(exc)) from None
        try:
            index_site(tmp_out)   # search is made from the built HTML (Pagefind)
        except SearchIndexError as exc:
            raise BuildError(label, f"搜索索引生成失败：{exc}") from None
        # Last, on exactly what would be published: no personal number in any file.
        # Files whose bytes the previous build's gate read are not read again.
        leaks = scan_site(tmp_out, read_public_numbers(Path(config_file).parent),
                          known=out_dir if reuse else None, record=True)
        if leaks:
            raise BuildError(label, leak_message(leaks))
        (tmp_out / BUILD_RECORD).write_text(json.dumps({"shape": shape, "files": docs}), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp_out.rename(out_dir)
    finally:
        if tmp_out.exists():
            shutil.rmtree(tmp_out, ignore_errors=True)
    return time.perf_counter() - start
