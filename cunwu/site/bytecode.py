"""Compiled Jinja templates, kept between runs.

Compiling cunwu's page templates and Material's theme costs about a second of
every build, the same work each time. Jinja's own file cache (a folder only
this user may use, in the system's temporary folder) keeps the compiled code
the way Python keeps .pyc files: it is code, not records, and a template whose
source changed is compiled afresh (Jinja compares a checksum of the source).
Where that folder cannot be made safely, the cache lives in memory, one per
process (a worker still compiles Material's templates once for all its sites).
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in this process (Jinja's documented extension point)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _cache() -> jinja2.BytecodeCache:
    try:
        return jinja2.FileSystemBytecodeCache(pattern="__cunwu_%s.cache")
    except (OSError, RuntimeError):   # Jinja refuses a folder it does not own
        return MemoryBytecodeCache()


TEMPLATE_CACHE = _cache()
