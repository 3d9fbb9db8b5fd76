"""Pagefind's bundle made a pure function of the pages it indexed.

Why: the same input must give a byte-identical site (a local build, a Dask
worker's build in a temporary folder, tomorrow's rebuild), so that the build
cache, the publish diff and the tests can compare sites file by file.

What is not: Pagefind 1.5 writes the filters out of Rust hash maps, whose
order is seeded at random in every process. The filter files
(``filter/*.pf_filter``: a filter's values and their pages) and the list of
filters in the metadata file (``pagefind.<hash>.pf_meta``) come out in a
different order on every run, so their content hashes, their file names and
``pagefind-entry.json`` (which names the metadata file) change with them.
Paths and times play no part: the index chunks and result fragments are
already stable (Pagefind 1.3 made fragment hashes stable; issue
Pagefind/pagefind#638 lists the filter and metadata files as still unstable).

What this does, after Pagefind: decode those files (gzip, the
``pagefind_dcd`` signature, then CBOR), sort the filters by name and each
filter's values by value, encode them again, name each file after a hash of
its new content and point the metadata and the entry file at the new names.
The runtime only looks files up by the names it is given, so any content hash
serves; the order of filters and values carries no meaning for it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

__all__ = ["BundleFormatError", "canonicalize_bundle", "read_file", "read_payload"]

_SIGNATURE = b"pagefind_dcd"


class BundleFormatError(ValueError):
    """A file of the bundle is not in the format this module knows."""


# ------------------------------------------------------------ CBOR, the subset Pagefind writes

def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    head = data[pos]
    major, info = head >> 5, head & 31
    pos += 1
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        value = int.from_bytes(data[pos:pos + width], "big")
        pos += width
    else:
        raise BundleFormatError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major == 2:
        return data[pos:pos + value], pos + value
    if major == 3:
        return data[pos:pos + value].decode("utf-8"), pos + value
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], pos
    raise BundleFormatError(f"unsupported CBOR item 0x{head:02x}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | info]) + value.to_bytes(width, "big")
    raise BundleFormatError("integer too large")


def _encode(item: Any) -> bytes:
    if item is None or isinstance(item, bool):
        return bytes([0xF6 if item is None else 0xF5 if item else 0xF4])
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(_encode(x) for x in item)
    raise BundleFormatError(f"cannot encode {type(item).__name__}")


def read_payload(path: Path) -> bytes:
    """A bundle file's content after the signature (CBOR, or JSON for fragments)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise BundleFormatError(f"{path.name}: no Pagefind signature")
    return data[len(_SIGNATURE):]


def read_file(path: Path) -> Any:
    """A CBOR file of the bundle (index chunk, filter, metadata), decoded."""
    data = _SIGNATURE + read_payload(path)
    item, end = _decode(data, len(_SIGNATURE))
    if end != len(data):
        raise BundleFormatError(f"{path.name}: trailing bytes")
    return item


def _payload(item: Any) -> bytes:
    return _SIGNATURE + _encode(item)


def _write(path: Path, payload: bytes) -> None:
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))


def _digest(payload: bytes, length: int) -> str:
    return hashlib.sha256(payload).hexdigest()[:length]


# ------------------------------------------------------------ the bundle

def canonicalize_bundle(bundle: Path) -> None:
    """Rewrite `bundle`'s filter and metadata files in a fixed order, under
    names hashed from their content, and update pagefind-entry.json."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_file(meta_file)
        # [version, pages, index chunks, filters [[name, hash]], sorts, meta fields]
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise BundleFormatError(f"{meta_file.name}: unknown layout")
        prefix = f"{language}_"
        filters = []
        for name, old_hash in meta[3]:
            old_file = bundle / "filter" / f"{old_hash}.pf_filter"
            name_again, values = read_file(old_file)
            values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
            payload = _payload([name_again, values])
            new_hash = prefix + _digest(payload, len(old_hash) - len(prefix))
            old_file.unlink()
            _write(bundle / "filter" / f"{new_hash}.pf_filter", payload)
            filters.append([name, new_hash])
        meta[3] = sorted(filters, key=lambda f: f[0])
        payload = _payload(meta)
        new_hash = prefix + _digest(payload, len(info["hash"]) - len(prefix))
        meta_file.unlink()
        _write(bundle / f"pagefind.{new_hash}.pf_meta", payload)
        info["hash"] = new_hash
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
