"""Search of a built site: a Pagefind index made from the built HTML.

Why Pagefind, and why after the engine:
- A phone downloads nothing for search until the reader opens it; then it
  fetches the runtime and only the index chunks and result fragments the
  query needs (Material's search loaded a worker and the whole index on every
  first visit).
- The index is made from the HTML the engine wrote, so it does not depend on
  the engine (MkDocs today, a successor tomorrow).
- The extended binary (`pagefind[extended]` on PyPI) segments Chinese at
  index time; queries are segmented in the browser (theme/assets/cunwu-search.js
  does it itself where `Intl.Segmenter` is missing, as in Chromium-86-era
  WeChat browsers).

What is indexed is decided by the theme (theme/main.html): only record pages
(a month's ledger, a decision, a notice, a rule, a year's evaluation) carry
`data-pagefind-body`, with the village, township, month and section as
Pagefind meta, filters and sort keys. Section lists and the home page repeat
every title and would crowd the records out of the results.

The county portal merges every village's index in the browser (Pagefind's
`mergeIndex`); it only needs the runtime and the list of villages
(`search-sites.json`, written by the portal's render step).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .pagefind_canon import BundleFormatError, canonicalize_bundle
from .synonyms import SEARCH_GROUPS

__all__ = ["BUNDLE", "SITES_FILE", "SearchIndexError", "index_site", "pagefind_executable", "write_search_sites"]

BUNDLE = "pagefind"   # the index and runtime, at the root of each built site

# Parts of the bundle the cunwu search box uses; Pagefind's own UIs and their
# stylesheets (about 400 KB a site) are never loaded and are removed.
_KEEP_FILES = {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"}
_KEEP_SUFFIXES = (".pf_meta", ".pagefind")
_KEEP_DIRS = {"index", "fragment", "filter"}

# Blocks a template wraps as not worth searching (the ledger's category table,
# the data links): the same marker Material's search honoured.
EXCLUDE_SELECTORS = "[data-search-exclude]"


class SearchIndexError(Exception):
    """Pagefind failed on a built site; the message is Pagefind's own."""


def pagefind_executable() -> Path:
    """The extended Pagefind binary shipped in the `pagefind_bin_extended` wheel."""
    from pagefind_bin_extended import get_executable

    return Path(get_executable())


def index_site(site_dir: Path) -> int:
    """Index `site_dir` into `site_dir/pagefind/`; returns the bytes of the bundle.

    Also writes the synonym table the search box applies to queries
    (`pagefind/cunwu-synonyms.json`), so the table lives in one place
    (cunwu/site/synonyms.py) and never in the pages or their snippets."""
    site = Path(site_dir)
    bundle = site / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE,
           "--force-language", "zh", "--exclude-selectors", EXCLUDE_SELECTORS, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError((proc.stderr or proc.stdout).strip()[-2000:] or "Pagefind wrote no index")
    _prune_bundle(bundle)
    try:
        canonicalize_bundle(bundle)   # same pages, same bytes (see pagefind_canon.py)
    except (BundleFormatError, OSError, KeyError, ValueError) as exc:
        raise SearchIndexError(f"Pagefind 输出无法规范化：{exc}") from None
    (bundle / "cunwu-synonyms.json").write_text(
        json.dumps([list(group) for group in SEARCH_GROUPS], ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def _prune_bundle(bundle: Path) -> None:
    for path in bundle.iterdir():
        if path.is_dir():
            if path.name not in _KEEP_DIRS:
                shutil.rmtree(path)
        elif path.name not in _KEEP_FILES and not path.name.endswith(_KEEP_SUFFIXES):
            path.unlink()


SITES_FILE = "search-sites.json"


def write_search_sites(docs: Path, villages: list[tuple[str, str, str]]) -> Path:
    """The county portal's list of village sites to search, as (folder, village,
    township): `search-sites.json` at the portal's root. The portal's search box
    merges each `<folder>/pagefind/` index; a village site finds the list at
    `../search-sites.json` to offer searching the whole county."""
    path = Path(docs) / SITES_FILE
    data = [{"path": f"{slug}/", "village": name, "township": township} for slug, name, township in villages]
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
