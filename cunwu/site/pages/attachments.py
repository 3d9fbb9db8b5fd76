"""Attachments published as downloads: the village's accepted files under
files/ and images/, copied byte for byte, never as pages.

What may be published is decided when the village is loaded
(`cunwu.records.attachments`: type by extension and content, size, plain
file). This module copies exactly that list, and checks again what would be
dangerous at this end of the pipe, so that a mistake upstream cannot turn
into a page: the destination stays inside files/ or images/, its extension is
one of the download types (never .md, which MkDocs would build with raw HTML,
nor .html or .svg, which a browser would run on the origin every village and
the portal share), and the source is opened without following a symbolic link.
Nothing else under the village folder is copied.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Protocol

ATTACHMENT_DIRS = ("files", "images", "board")
# Download types: none of them is read by MkDocs as a page or run by a browser.
DOWNLOAD_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".docx", ".csv", ".txt"})


class Attachment(Protocol):
    """What the render stage needs of one attachment (records.attachments.Attachment)."""

    @property
    def path(self) -> str: ...        # relative to the village folder, with /, e.g. "files/会议记录.pdf"

    @property
    def source(self) -> Path: ...     # the file on disk

    @property
    def accepted(self) -> bool: ...   # passed the type, size and symlink checks


def destination(path: str) -> PurePosixPath | None:
    """Where an attachment goes in the docs folder, or None when it must not
    be published whatever the checks said."""
    rel = PurePosixPath(path)
    parts = rel.parts
    if (rel.is_absolute() or len(parts) < 2 or parts[0] not in ATTACHMENT_DIRS
            or any(p in ("", ".", "..") or p.startswith(".") or "\\" in p for p in parts)):
        return None
    if rel.suffix.lower() not in DOWNLOAD_SUFFIXES:
        return None
    return rel


def publish_attachments(attachments: Iterable[Attachment], village_dir: Path, docs: Path) -> list[PurePosixPath]:
    """Copy the accepted attachments of the village in `village_dir` into docs/;
    returns what was copied."""
    root = os.path.realpath(village_dir)
    copied = []
    for attachment in attachments:
        rel = destination(attachment.path) if attachment.accepted else None
        # The file itself, not a folder link on its way, must be inside the village.
        if rel is None or os.path.realpath(attachment.source) != os.path.join(root, *rel.parts):
            continue
        dest = docs.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if _copy_plain_file(attachment.source, dest):
            copied.append(rel)
    return copied


def _copy_plain_file(source: Path, dest: Path) -> bool:
    """Copy `source` if it is a regular file, opened without following a link
    (O_NOFOLLOW: a link swapped in after the check is not read)."""
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            return False
        with open(dest, "wb") as out:
            shutil.copyfileobj(src, out)
    return True
