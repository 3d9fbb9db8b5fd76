"""Incremental builds: digests of a site's inputs, and folder syncs that touch
only what changed (so unchanged pages keep their mtime and are not rebuilt)."""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

# What a built folder keeps at its root for the next build, never published:
STAMP = ".cunwu-input-hash"          # the digest of what it was built from
BUILD_RECORD = ".cunwu-build.json"   # the shape it was built with and each rendered file's digest (engine.py)
GATE_RECORD = ".cunwu-gate.json"     # what the personal-number gate read in each file (gate.py)
SEARCH_SOURCE = ".cunwu-search"      # the searchable part of each record page, what Pagefind reads (search.py)
NOT_PUBLISHED = (STAMP, BUILD_RECORD, GATE_RECORD, SEARCH_SOURCE)


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


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link a built file into a new folder: a county is about a gigabyte of
    HTML, and built files are never changed in place (a rebuild writes a new
    folder), so sharing them is safe. Copy when the two are on different disks."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


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



def render_into(target: Path, render: Callable[[Path], object]) -> None:
    """Render into a scratch folder, then sync: unchanged files keep their mtime."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        render(scratch)
        sync_tree(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
