"""Render stage: one village's records → an ordinary Markdown site on disk.

The output is a docs folder (pages, CSV/JSON, SVG charts) and that site's
mkdocs.yml derived from the project's base one. Nothing is generated inside
MkDocs, so any MkDocs-compatible engine can build it and it can be diffed.

Each section of the site is a module that turns records into raw values and
fills its templates (cunwu/site/templates/*.md.j2); the templates escape and
mask every value they print, so no page is assembled from strings here.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from ...records.load import Village
from ...records.models import Policy
from ...records.money import amount_text
from ..config import Site, copy_shared_content, write_site_config
from ..synonyms import SEARCH_GROUPS
from .attachments import publish_attachments
from .base import VillagePages
from .books import render_books
from .data import render_data_index
from .decisions import render_decisions
from .evaluations import render_evaluations
from .finance import ENTRY_COLUMNS, render_finance
from .home import render_home
from .notices import render_notices
from .paper import render_paper
from .records_index import render_records_index
from .rules import render_rules

__all__ = ["ENTRY_COLUMNS", "SEARCH_GROUPS", "VillageRenderer", "money", "render_village"]

money = amount_text   # the county portal writes amounts the way the village pages do

NAV = [{"公开栏": "index.md"}, {"财务公开": "finance/index.md"}, {"村务决策": "decisions/index.md"},
       {"制度规章": "rules/index.md"}, {"民主评议": "evaluations/index.md"},
       {"公示公告": "notices/index.md"}, {"公开数据": "data/index.md"}]


class VillageRenderer(VillagePages):
    def render(self) -> Site:
        """Every page of the village into a fresh docs folder; the nav lists only sections."""
        if self.docs.exists():
            shutil.rmtree(self.docs)
        self.docs.mkdir(parents=True)
        render_books(self)     # first: the finance index links the pages it wrote
        render_finance(self)
        render_decisions(self)
        render_rules(self)
        render_evaluations(self)
        render_notices(self)
        render_data_index(self)   # after the sections: it lists the files they wrote
        render_home(self)
        render_records_index(self)   # search.html: the records by section and year
        return Site(self.village.name, [dict(item) for item in NAV], self.docs, self.allowed)


def render_village(project: Path, village: Village, as_of: date, out_dir: Path, site_dir: Path,
                   policy: Policy | None = None, earlier: Path | None = None) -> Path:
    """Render one village into out_dir (docs/ + mkdocs.yml); returns the config path.
    `policy` is the county's (County.policy, as the check used it); without it the
    pages read county.yml beside the village folder themselves. `earlier`: the
    docs folder of this village's last render, whose QR codes are reused."""
    renderer = VillageRenderer(village, as_of, out_dir, policy, earlier)
    site = renderer.render()
    # Paper and web in step: board sheets, poster, feed, record histories (pages/paper.py).
    render_paper(renderer, village.site_url)
    copy_shared_content(project, site.docs, site.nav)
    # Documents a record links to (files/会议记录.pdf): only the attachments the
    # loader checked and accepted (records/attachments.py), as downloads
    # (pages/attachments.py); never a copy of the folder.
    publish_attachments(village.attachments, village.dir, site.docs)
    profile = village.profile.record if village.profile else None
    description = f"{profile.township}{profile.name}村务公开：财务、决策、制度、评议、公示" if profile else ""
    return write_site_config(project, out_dir, site, site_dir, as_of, description)
