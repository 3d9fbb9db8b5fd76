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

Each village keeps its own index for its own site. The county portal's
search is one combined index of every village's records (`index_county`, run
when the county is published: the village, township and month are Pagefind
filters), so a county-wide query fetches the index chunks of its words once,
not once per village as merging each village's index in the browser did. A
village site offers "全县各村" as a link to the portal's search with the query.
The list of villages (`search-sites.json`, written by the portal's render step)
fills the township and village filters. Both indexes read the searchable part
of each record page, which a village's build keeps (`write_search_source`):
the county's index reads every village again at each publish, and the theme
around the records is most of a page.

Synonyms: the table (cunwu/site/synonyms.py) goes with each index as
`pagefind/cunwu-synonyms.json`, with the words of the table this index need
not look up (`skipped_words`): those no indexed record contains, and those
whose records another word of the group finds as well. Each word looked up
costs a phone its index chunks (10-20 KB each; Pagefind also fetches the
chunk of each character of a Chinese word).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .pagefind_canon import BundleFormatError, canonicalize_bundle, read_payload
from .stamps import SEARCH_SOURCE, link_or_copy
from .synonyms import SEARCH_GROUPS

__all__ = ["BUNDLE", "SITES_FILE", "SearchIndexError", "index_county", "index_site", "pagefind_executable",
           "write_search_source", "write_search_sites"]

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


# The element of a record page that Pagefind indexes (theme/main.html), and the
# end of the article it sits in.
_BODY = "<div data-pagefind-body>"
_ARTICLE_END = "</article>"


def write_search_source(site_dir: Path) -> int:
    """The searchable part of each record page, at the same path under
    `site_dir/SEARCH_SOURCE` (kept for the county's index, never published).

    Pagefind reads only what is inside `data-pagefind-body` but parses the
    whole page to find it: the theme's header, navigation and footer are three
    quarters of a page's bytes. Given only the part it reads, it makes the same
    index, byte for byte (tests/test_search.py), and the county's index, which
    reads every village's records again at each publish, costs a third less.
    Returns the number of pages written; 0 when no page is a record page."""
    site = Path(site_dir)
    source = site / SEARCH_SOURCE
    if source.exists():
        shutil.rmtree(source)
    pages = 0
    for path in sorted(site.rglob("*.html")):
        if path.is_relative_to(source):
            continue
        html = path.read_text(encoding="utf-8")
        start = html.find(_BODY)
        end = html.rfind(_ARTICLE_END)
        if start < 0 or end < start:
            continue
        target = source / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>'
                          + html[start:end] + "</body></html>", encoding="utf-8")
        pages += 1
    return pages


def index_site(site_dir: Path) -> int:
    """Index `site_dir` into `site_dir/pagefind/`; returns the bytes of the bundle.

    Also writes the synonym table the search box applies to queries
    (`pagefind/cunwu-synonyms.json`), so the table lives in one place
    (cunwu/site/synonyms.py) and never in the pages or their snippets."""
    site = Path(site_dir)
    if write_search_source(site):
        return _index(site / SEARCH_SOURCE, site / BUNDLE, None)
    return _index(site, site / BUNDLE, None)   # no record page: Pagefind indexes every page


def index_county(root: Path, villages: dict[str, Path]) -> int:
    """The county-wide index: every village's record pages, indexed together
    into `root/pagefind/` (root is the assembled county: the portal at the root,
    each village in its folder), replacing the portal's own. `villages` maps each
    village's folder to its built site, whose SEARCH_SOURCE is read. Records
    carry their village and township as filters (theme/main.html), so the
    portal filters by them. Returns the bytes of the bundle."""
    root = Path(root)
    if not villages:
        return _index(root, root / BUNDLE, None)
    if not all((built / SEARCH_SOURCE).is_dir() for built in villages.values()):
        # A site built without its search source: read the published pages themselves.
        folders = sorted(villages)
        pattern = (folders[0] if len(folders) == 1 else "{" + ",".join(folders) + "}") + "/**/*.html"
        return _index(root, root / BUNDLE, pattern)
    # Each village's source under its folder's name, so the pages keep their addresses.
    # Beside `root` and named like it (.new-…): what a killed run leaves is cleaned with it.
    source = Path(tempfile.mkdtemp(prefix=".new-search-", dir=root.parent))
    try:
        for slug, built in villages.items():
            shutil.copytree(built / SEARCH_SOURCE, source / slug, copy_function=link_or_copy)
        return _index(source, root / BUNDLE, None)
    finally:
        shutil.rmtree(source, ignore_errors=True)


def _index(site: Path, bundle: Path, glob: str | None) -> int:
    """Pagefind over the pages under `site`, its bundle written to `bundle`."""
    if bundle.exists():
        shutil.rmtree(bundle)
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-path", str(bundle),
           "--force-language", "zh", "--exclude-selectors", EXCLUDE_SELECTORS, "--silent"]
    if glob:
        cmd += ["--glob", glob]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError((proc.stderr or proc.stdout).strip()[-2000:] or "Pagefind wrote no index")
    _prune_bundle(bundle)
    try:
        canonicalize_bundle(bundle)   # same pages, same bytes (see pagefind_canon.py)
        texts = _record_texts(bundle)
    except (BundleFormatError, OSError, KeyError, ValueError) as exc:
        raise SearchIndexError(f"Pagefind 输出无法规范化：{exc}") from None
    (bundle / "cunwu-synonyms.json").write_text(
        json.dumps({"groups": [list(group) for group in SEARCH_GROUPS], "absent": skipped_words(texts)},
                   ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def skipped_words(texts: list[str]) -> list[str]:
    """Words of the synonym table the search box need not look up in this
    index: no record contains them, or every record that does is found by
    another word of the same group (the group's words are searched together,
    so the results are the same; each word looked up costs its index chunks).
    Chosen greedily, the words found in most records kept first."""
    skip: set[str] = set()
    for group in SEARCH_GROUPS:
        found = {word: {i for i, text in enumerate(texts) if word in text} for word in group}
        covered: set[int] = set()
        for word in sorted(group, key=lambda w: (-len(found[w]), group.index(w))):
            if found[word] - covered:
                covered |= found[word]
            else:
                skip.add(word)
    return sorted(skip)


def _record_texts(bundle: Path) -> list[str]:
    """The title and text of every indexed record, from the result fragments."""
    texts = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = json.loads(read_payload(path))
        texts.append(compact(str(data.get("meta", {}).get("title", "")) + str(data.get("content", ""))))
    return texts


def compact(text: str) -> str:
    """Text as the search box compares it: no spaces, lower case. Pagefind
    keeps the words it segmented apart with zero-width spaces (U+200B)."""
    return "".join(text.replace("\u200b", " ").split()).lower()


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
