"""Publishing: the built portal and village sites are assembled beside `site/`
and swapped in only when all of them built."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .stamps import STAMP


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
