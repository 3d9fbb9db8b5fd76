"""The county portal: the site at the root of `site/`, linking every village site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .load import County
from .markup import cell, table
from .render import Site, copy_shared_content, write_site_config


def render_portal(project: Path, county: County, as_of: date, out_dir: Path, site_dir: Path) -> Path:
    docs = out_dir / "docs"
    if docs.exists():
        import shutil
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    name = county.config.record.name if county.config else "村务公开"
    rows = []
    for v in county.villages:
        p = v.profile.record if v.profile else None
        rows.append([cell(p.township if p else "—"), f"[{cell(v.name)}]({v.slug}/index.html)",
                     p.households if p else "—", p.population if p else "—"])
    rows.sort(key=lambda r: r[0])
    text = [f"# {cell(name)}村务公开", "", "点击村名进入该村的村务公开栏。", "",
            table(["乡镇", "村", "户数", "人口"], rows, "llrr")]
    (docs / "index.md").write_text("\n".join(text), encoding="utf-8")
    nav = [{"全县各村": "index.md"}]
    copy_shared_content(project, docs, nav)
    return write_site_config(project, out_dir, Site(name, nav, docs), site_dir, as_of,
                             description=f"{name}各村村务公开汇总")
