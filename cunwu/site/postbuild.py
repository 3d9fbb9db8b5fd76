"""Post-build clean-up: files the engine copies into every site that no page of
a cunwu site loads.

Material copies its whole theme folder into each site, whether a feature is
used or not. cunwu builds without Material's search plugin (search is Pagefind,
made from the built HTML: cunwu/site/search.py), so Material's search worker
and its lunr language packs are dead weight in every village folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["prune_unused_assets"]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune_unused_assets(site_dir: Path) -> int:
    """Delete assets a cunwu site never loads; return bytes freed.

    - ``assets/javascripts/lunr/`` and ``assets/javascripts/workers/search.*``:
      Material's search (worker and language packs), unused without its plugin;
    - ``*.map`` source maps under ``assets/`` (only developer tools read them);
    - the theme's own stylesheets that this site's pages do not link (every
      site shares theme/, so village sites receive the portal's stylesheet).
    """
    site = Path(site_dir)
    assets = site / "assets"
    if not assets.is_dir():
        return 0
    doomed: list[Path] = []
    lunr_dir = assets / "javascripts" / "lunr"
    if lunr_dir.is_dir():
        doomed.append(lunr_dir)
    doomed += sorted((assets / "javascripts" / "workers").glob("search.*"))
    doomed += sorted(p for p in assets.rglob("*.map") if p.is_file())
    home = site / "index.html"
    linked = home.read_text(encoding="utf-8") if home.is_file() else ""
    doomed += [p for p in sorted(assets.glob("cunwu*.css")) if f"assets/{p.name}" not in linked]
    freed = 0
    for path in doomed:
        if not path.exists():
            continue
        freed += _size(path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    workers = assets / "javascripts" / "workers"
    if workers.is_dir() and not any(workers.iterdir()):
        workers.rmdir()
    return freed
