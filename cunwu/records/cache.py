"""Per-village cache for the build: a village whose files have not changed is
not parsed, checked or rendered again.

Parsing and checking a county of 139 villages with three years of records
takes about 40 s; reading the cached result takes about 4 s. The cache lives
under the build's work folder (never among the clerk's files) and is keyed by
the bytes of every file of the village, county.yml, the working folder (the
diagnostics name files relative to it) and cunwu's version.

A cache file is a pickle, and unpickling runs code: a work folder carried in
from elsewhere (a restored CI cache, a copied folder) must not be able to do
that. Each file starts with a header line — its key and an HMAC of the pickled
bytes made with a secret that lives outside the work folder, in the user's
cache folder — and nothing is unpickled unless both match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from .. import __version__
from .check import check_village
from .diagnostics import Report
from .load import COUNTY_FILE, Village, load_village
from .models import Policy

CACHE_FORMAT = 5   # bump when what is cached changes shape


def _secret() -> bytes:
    """This user's signing key for cache files, created on first use (0600)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cunwu"
    path = home / "cache-key"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd, tmp = tempfile.mkstemp(dir=home)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        os.replace(tmp, path)   # mkstemp made it 0600
        return bytes.fromhex(path.read_text().strip())


def village_key(folder: Path, county_file: Path) -> str:
    digest = hashlib.sha256(f"cunwu {__version__} {CACHE_FORMAT}\0{os.getcwd()}\0{folder.resolve()}\0".encode())
    if county_file.is_file():
        digest.update(county_file.read_bytes())
    if folder.is_symlink():
        return digest.hexdigest()   # refused by the loader, never read through
    for path in _files(folder):
        rel = path.relative_to(folder)
        digest.update(b"\0" + os.fsencode(rel) + b"\0")
        if path.is_symlink():   # refused by the loader: its target names it, never its bytes
            digest.update(b"link " + os.fsencode(os.readlink(path)))
        elif stat.S_ISREG(path.lstat().st_mode):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every entry that is not a folder, without following links or entering
    hidden folders (.backup/ and editor files are not records)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / name for name in dirs + files if not name.startswith(".")
                     and (name in files or os.path.islink(os.path.join(root, name))))
    return sorted(found)


def slim(village: Village) -> None:
    """Drop what only the checker needs (raw data, every scalar for the privacy
    scan) once the village is checked: the cache then holds far fewer bytes and
    loads that much faster. Rendering needs only the records, their file names
    and Markdown bodies; the county-wide rules and the history check need the
    line of each key, which stays."""
    for src in village.sources:
        src.data, src.scalars = None, []


class VillageCache:
    """`load(folder, report, policy)` as load_county expects, remembering each
    village's records and diagnostics between builds."""

    def __init__(self, folder: Path, fresh: bool = False, best_effort: bool = False) -> None:
        self.folder = folder
        self.fresh = fresh   # --clean: read nothing cached, write afresh
        self.best_effort = best_effort   # `cunwu check`: a cache that cannot be written is no error
        self.keys: dict[str, str] = {}   # slug → key, for the render stage
        self.hits: list[str] = []

    def load(self, folder: Path, report: Report, policy: Policy) -> Village:
        key = village_key(folder, folder.parent / COUNTY_FILE)
        self.keys[folder.name] = key
        # A long folder name (refused by the check) must not make the file name too long.
        name = folder.name if len(folder.name) <= 64 else hashlib.sha256(os.fsencode(folder.name)).hexdigest()
        path = self.folder / f"{name}.pickle"
        cached = None if self.fresh else self._read(path, key)
        if cached is not None:
            village, items = cached
            self.hits.append(folder.name)
        else:
            own = Report()
            village = load_village(folder, own, policy)
            check_village(village, policy, own)
            items = own.items
            slim(village)
            try:
                self._write(path, key, village, items)
            except OSError:
                if not self.best_effort:
                    raise
        report.items.extend(items)
        return village

    @staticmethod
    def _read(path: Path, key: str) -> tuple[Village, list[Any]] | None:
        try:
            with path.open("rb") as handle:
                header = json.loads(handle.readline(4096))
                if not isinstance(header, dict) or header.get("key") != key:
                    return None   # stale or from another version: load afresh
                payload = handle.read()
            mac = hmac.new(_secret(), payload, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(str(header.get("mac", "")), mac):
                return None   # not written by this user's cunwu: never unpickle it
            data = pickle.loads(payload)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None   # missing or damaged: load afresh
        return data["village"], data["items"]

    def _write(self, path: Path, key: str, village: Village, items: list[Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps({"village": village, "items": items}, protocol=5)
        header = json.dumps({"key": key, "mac": hmac.new(_secret(), payload, hashlib.sha256).hexdigest()})
        fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=self.folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(header.encode() + b"\n" + payload)
        os.replace(tmp, path)
