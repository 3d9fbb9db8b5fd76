"""Every change on the record: the history of each record file, read from git.

When the county's folder is a git repository, each record's page shows when
it was first published and every later change to what it publishes (field, old
value, new value). A change committed after the record's posting date is an
integrity event: the board showed one figure, the site now shows another.

The whole county is read in three processes, whatever its size: `git rev-parse`
(is this a repository), one `git log --raw` (every commit that touched a record
file, with the blob of each version) and one `git cat-file --batch` (the text of
those blobs). Only committed versions count, so the same commit always gives
the same history (builds stay reproducible); without git nothing is read and
every page is as it was.

Old versions are parsed with the loader's own YAML reader (aliases refused,
sizes bounded); a version that does not parse is skipped, not reported: the
check reports the current file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from .models import FIELD_LABELS
from .source import SourceError, parse_yaml, split_front_matter

# Record folders whose files have a history (village.yml has no posting date).
RECORD_FOLDERS = ("ledgers", "decisions", "rules", "evaluations", "notices")
MAX_BLOB = 2 * 1024 * 1024       # an old version larger than this is not compared
MAX_CHANGES = 40                 # fields listed per revision; the rest are counted
BODY = "body"                    # the Markdown body of a record, as one field


@dataclass(frozen=True)
class Change:
    loc: tuple[Any, ...]     # data path in the record (("entries", 2, "amount")), ("body",) for the text
    label: str               # 收支明细第 3 条金额
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    day: date                # the commit's date
    commit: str              # abbreviated commit id
    changes: tuple[Change, ...]
    more: int = 0            # changes beyond MAX_CHANGES, not listed
    after_posting: bool = False


@dataclass(frozen=True)
class RecordHistory:
    """One record file: first commit, then every commit that changed its content."""

    first: date
    first_commit: str
    posted: date | None              # the posting date the first version gave
    revisions: tuple[Revision, ...]

    @property
    def events(self) -> tuple[Revision, ...]:
        """Changes committed after the record was posted."""
        return tuple(r for r in self.revisions if r.after_posting)


@dataclass
class History:
    """The county's record histories by absolute file path."""

    files: dict[Path, RecordHistory] = field(default_factory=dict)

    def village(self, folder: Path) -> dict[Path, RecordHistory]:
        return self._by_folder.get(Path(os.path.realpath(folder)), {})

    @cached_property
    def _by_folder(self) -> dict[Path, dict[Path, RecordHistory]]:
        """Every file under each of its folders, grouped once: asked per village,
        a scan of the whole county each time grew with villages × records."""
        groups: dict[Path, dict[Path, RecordHistory]] = {}
        for path, history in self.files.items():
            for folder in path.parents:
                groups.setdefault(folder, {})[path] = history
        return groups


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin,
                              capture_output=True, env=env, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def load_history(root: Path) -> History | None:
    """The history of every record under `root` (a county or village folder), or
    None when it is not inside a git repository (or git is not installed)."""
    root = Path(os.path.abspath(root))
    if not root.is_dir():
        return None
    top_raw = _git(["rev-parse", "--show-toplevel"], root)
    if not top_raw:
        return None
    top = Path(top_raw.decode("utf-8", "replace").strip())
    if os.path.realpath(top) != os.path.realpath(root):
        # Only the county's own repository (villages/ at its top, the clerks'
        # commits): a folder inside another project's repository — the demo
        # county inside cunwu's — has that project's history, not the record's.
        return None
    log = _git(["log", "--reverse", "--no-renames", "--raw", "--no-abbrev", "--format=%x01%h %cI",
                "--", "."], root)
    if log is None:
        return None
    versions: dict[Path, list[tuple[date, str, str]]] = {}    # path → [(day, commit, blob or "")]
    day, commit = date.min, ""
    for line in log.decode("utf-8", "replace").split("\n"):
        if line.startswith("\x01"):
            commit, stamp = line[1:].split(" ", 1)
            commit = commit[:10]
            day = date.fromisoformat(stamp[:10])
        elif line.startswith(":") and "\t" in line:
            meta, rel = line.split("\t", 1)
            parts = meta.split()
            if len(parts) < 5 or rel.startswith('"'):
                continue
            path = top / rel
            if path.parent.name not in RECORD_FOLDERS and path.parent.parent.name not in RECORD_FOLDERS:
                continue
            blob = "" if parts[4].startswith("D") else parts[3]
            versions.setdefault(path, []).append((day, commit, blob))
    blobs = _read_blobs(top, {b for vs in versions.values() for _, _, b in vs if b})
    history = History()
    for path, vs in versions.items():
        rec = _record_history(path, vs, blobs)
        if rec is not None:
            history.files[path] = rec
    return history


def _read_blobs(top: Path, wanted: set[str]) -> dict[str, str]:
    """Text of every wanted blob, from one `git cat-file --batch`."""
    if not wanted:
        return {}
    order = sorted(wanted)
    out = _git(["cat-file", "--batch"], top, ("\n".join(order) + "\n").encode())
    if out is None:
        return {}
    texts: dict[str, str] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii", "replace").split()
        pos = end + 1
        if len(header) < 3 or header[1] != "blob":
            continue   # "<sha> missing"
        size = int(header[2])
        if size <= MAX_BLOB:
            texts[header[0]] = out[pos:pos + size].decode("utf-8", "replace")
        pos += size + 1
    return texts


def _parse(path: Path, text: str) -> dict[str, Any] | None:
    """An old version's data (and body) as plain values, or None."""
    try:
        if path.suffix == ".md":
            front, body, _ = split_front_matter(text)
            src = parse_yaml(front, path, line_offset=1)
            data = src.data
            if isinstance(data, dict):
                return {**data, BODY: body.strip()}
            return None
        data = parse_yaml(text, path).data
    except (SourceError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _flat(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, (*loc, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _flat(v, (*loc, i))
    else:
        yield loc, "" if value is None else str(value)


def label(loc: tuple[Any, ...]) -> str:
    """收支明细第 3 条金额: a data path in the words of the clerk's template."""
    if loc == (BODY,):
        return "正文"
    parts = []
    for k in loc:
        parts.append(f"第 {k + 1} 条" if isinstance(k, int) else FIELD_LABELS.get(k, k))
    return "".join(parts)


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def posting_date(data: dict[str, Any]) -> date | None:
    """When a version says the record went up on the board: its `posted`, the
    决议公开 step of a decision, the first posted version of a rule."""
    if "posted" in data:
        return _iso(data["posted"])
    steps = data.get("steps")
    if isinstance(steps, list):
        for step in steps:
            if isinstance(step, dict) and step.get("step") == "决议公开":
                return _iso(step.get("date"))
    versions = data.get("versions")
    if isinstance(versions, list):
        days = [d for v in versions if isinstance(v, dict) and (d := _iso(v.get("posted"))) is not None]
        return min(days) if days else None
    return None


def _record_history(path: Path, versions: list[tuple[date, str, str]],
                    blobs: dict[str, str]) -> RecordHistory | None:
    # The history of the file as it is now: from its latest creation on.
    start = max((i for i, (_, _, blob) in enumerate(versions) if not blob), default=-1) + 1
    current = versions[start:]
    if not current:
        return None
    first_day, first_commit, first_blob = current[0]
    previous = _parse(path, blobs.get(first_blob, "")) if first_blob in blobs else None
    posted = posting_date(previous) if previous else None
    revisions = []
    for day, commit, blob in current[1:]:
        data = _parse(path, blobs[blob]) if blob in blobs else None
        if data is None:
            continue
        if previous is not None:
            old, new = dict(_flat(previous)), dict(_flat(data))
            changed = [Change(loc, label(loc), old.get(loc, ""), new.get(loc, ""))
                       for loc in list(old) + [k for k in new if k not in old]
                       if old.get(loc, "") != new.get(loc, "")]
            if changed:
                revisions.append(Revision(day, commit, tuple(changed[:MAX_CHANGES]),
                                          max(len(changed) - MAX_CHANGES, 0),
                                          posted is not None and day > posted))
        previous = data
    return RecordHistory(first_day, first_commit, posted, tuple(revisions))


def history_of(history: dict[Path, RecordHistory] | None, path: Path) -> RecordHistory | None:
    """The history of the record file at `path` (keys are real paths in the repository)."""
    return history.get(Path(os.path.realpath(path))) if history else None


def history_key(history: dict[Path, RecordHistory] | None) -> str:
    """A short key that changes when a village's history does (for the render cache:
    committing a file does not change its bytes, but it changes its page)."""
    if history is None:
        return "no-git"
    h = hashlib.sha256()
    for path, rec in sorted(history.items()):
        h.update(f"{path}\0{rec.first_commit}\0{[r.commit for r in rec.revisions]}\n".encode())
    return h.hexdigest()[:16]
