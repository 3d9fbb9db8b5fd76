"""Publishing: the built portal and village sites become the new `site/` in one step.

The county-wide search index is made here, from the assembled pages of every
village (a village's own index is made with its build).

`site` is a symbolic link to a complete, versioned folder beside it
(`.site.versions/<version>/`). A new version is assembled there first (hard
links to the built files), then the link is replaced by an atomic rename: a
web server sees the old site or the new one, never neither and never half of
one, even if the build is killed at any moment. The version before stays for
`cunwu rollback`; older ones and leftovers of killed runs are removed.
Folders and files are made readable by others (as the umask allows), so a web
server running as another user can serve them.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .search import SearchIndexError, index_county
from .stamps import NOT_PUBLISHED, link_or_copy

# What a built folder keeps for the next build, not for readers.
UNPUBLISHED = shutil.ignore_patterns(*NOT_PUBLISHED)


class PublishError(Exception):
    """Publishing cannot go on; the message is for the person running cunwu."""


def _site_path(site: Path) -> Path:
    """The site's own path, its parent resolved but not the link itself."""
    return site.absolute().parent.resolve() / site.name


def versions_dir(site: Path) -> Path:
    site = _site_path(site)
    return site.parent / f".{site.name}.versions"


@contextmanager
def site_lock(site: Path) -> Iterator[None]:
    """One build or rollback of a site at a time: a second one is told plainly."""
    site = _site_path(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    path = site.parent / f".{site.name}.lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise PublishError(f"另一个 cunwu 正在生成或发布 {site.name}（进程 {holder}）。"
                               "请等它结束后再运行；它结束后锁会自动解除。") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _readable(root: Path) -> None:
    """Folders from mkdtemp are private (0700): open the tree as the umask allows."""
    umask = os.umask(0)
    os.umask(umask)
    dir_mode, file_mode = 0o777 & ~umask, 0o666 & ~umask
    os.chmod(root, dir_mode)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), dir_mode)
        for name in files:
            os.chmod(os.path.join(folder, name), file_mode)


def _new_version_name() -> str:
    # Sortable by time; the pid keeps two machines sharing a disk apart. One reading
    # of the clock for both parts: two readings can straddle a second, and the
    # later version would then sort first.
    now = time.time_ns()
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now // 10**9))}-{now % 10**9:09d}-{os.getpid()}"


def _versions(versions: Path) -> list[Path]:
    if not versions.is_dir():
        return []
    return sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_version(site: Path) -> Path | None:
    site = _site_path(site)
    if not site.is_symlink():
        return None
    return (site.parent / os.readlink(site)).resolve()


def _point(site: Path, target: Path) -> None:
    """Make `site` a link to `target` with one atomic rename."""
    link = site.parent / f".{site.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(target, site.parent), link)
    if site.exists() and not site.is_symlink():
        # A site published before versions existed is a real folder: keep it as
        # a version. This one move has a moment without a site; later ones do not.
        # Named to sort before every dated version: it is the oldest.
        site.rename(versions_dir(site) / f"00000000T000000-{time.time_ns()}-earlier")
    os.replace(link, site)


def _clean(site: Path) -> None:
    """Keep the current version and the one before it; remove the rest and what
    killed runs left (staging folders, links, the old .site-new/old folders)."""
    versions = versions_dir(site)
    current = current_version(site)
    kept = [v for v in _versions(versions) if v != current]
    for old in kept[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    leftovers = list(versions.glob(".new-*")) if versions.is_dir() else []
    leftovers += list(site.parent.glob(f".{site.name}-new-*")) + list(site.parent.glob(f".{site.name}-old-*"))
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    for link in site.parent.glob(f".{site.name}.link-*"):
        link.unlink(missing_ok=True)


def publish(parts: dict[str, Path], portal: Path, site: Path) -> Path:
    """Assemble portal + village sites as a new version and switch `site` to it.
    Returns the new version's folder. If anything fails on the way, `site`
    still points at the complete previous version."""
    site = _site_path(site)
    versions = versions_dir(site)
    versions.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=versions))
    try:
        shutil.copytree(portal, staging, dirs_exist_ok=True, ignore=UNPUBLISHED,
                        copy_function=link_or_copy)
        for slug, built in parts.items():
            shutil.copytree(built, staging / slug, ignore=UNPUBLISHED,
                            copy_function=link_or_copy)
        # The portal's search: one index of every village's records, made from
        # the pages being published (cunwu/site/search.py). It replaces the
        # portal's own (hard-linked) bundle in this version only. Villages
        # built without a search index (none is searchable) leave it as it is.
        try:
            searchable = {slug: built for slug, built in sorted(parts.items()) if (staging / slug / "pagefind").is_dir()}
            if searchable:
                index_county(staging, searchable)
        except SearchIndexError as exc:
            raise PublishError(f"全县搜索索引生成失败，本次不发布，已发布的网站保持不变：{exc}") from None
        _readable(staging)
        final = versions / _new_version_name()
        staging.rename(final)
        _point(site, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _clean(site)
    return final


def rollback(site: Path) -> Path:
    """Point `site` back at the version published before the current one."""
    site = _site_path(site)
    current = current_version(site)
    if current is None:
        raise PublishError(f"{site} 还没有按版本发布过，没有可以恢复的上一版。")
    older = [v for v in _versions(versions_dir(site)) if v.name < current.name]
    if not older:
        raise PublishError("没有更早的版本可以恢复：只保留当前版本和上一版本，上一版本已经恢复过或不存在。")
    _point(site, older[-1])
    return older[-1]
