"""The whole build of a county, top to bottom: load → check → render → build → publish.

`render_all` loads and checks every village (through the per-village cache)
and prepares each village's render; `build_county` builds each village as
soon as it is rendered, renders the portal while they build, and publishes.
Nothing is published unless every part built: a failed run leaves the
previously published `site/` exactly as it was. A run in which nothing changed
publishes nothing when `site` shows the version the last run made.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from . import __version__
from .county.portal import render_portal
from .records.cache import VillageCache
from .records.checks import check_county
from .records.diagnostics import Report
from .records.history import history_key
from .records.load import County, Village, load_county
from .records.models import Policy
from .site.engine import SiteJob
from .site.gate import write_public_numbers
from .site.pages import render_village
from .site.publish import current_version, publish, site_lock
from .site.stamps import STAMP, render_into, tree_hash
from .site.workers import BuildResult, build_sites

PORTAL_KEY = "_county"


@dataclass
class Plan:
    county: County
    report: Report
    jobs: list[SiteJob]
    portal: SiteJob


RENDER_STAMP = ".cunwu-render-key"


def render_all(project: Path, villages_dir: Path, work: Path, as_of: date, clean: bool = False) -> Plan:
    """Check, then plan every village and the portal under `work`: each job renders
    its site when the builder asks for it (`job.prepare`), so the first village
    builds while the next one renders. A village whose records, the shared content
    and the date are as at the last render is neither parsed nor rendered again
    (see cache.py); `clean` reads nothing from earlier runs. Nothing is planned
    when the check found errors: records over the limits would crash the engine,
    refused attachments must not be copied."""
    cache = VillageCache(work / "cache", fresh=clean)
    report = Report()
    county = load_county(Path(villages_dir), report, cache.load)
    check_county(county, report, villages=False)
    portal = SiteJob(PORTAL_KEY, "县级汇总", work / "render" / PORTAL_KEY, work / "out" / PORTAL_KEY)
    if report.errors:
        return Plan(county, report, [], portal)
    shared = tree_hash(project / "content", project / "mkdocs.yml", project / "theme",
                       extra=f"{__version__} {as_of.isoformat()}")
    jobs = []
    render_root, out_root = work / "render", work / "out"
    for village in county.villages:
        job = SiteJob(village.slug, village.name, render_root / village.slug, out_root / village.slug)
        job.input_key = f"{cache.keys.get(village.slug)} {shared} {history_key(village.history)}"   # the records, content/, theme/, mkdocs.yml, the date
        # partial binds this village and job now, not when the loop has moved on
        job.prepare = partial(_render_village, project, village, as_of, job, clean, county.policy)
        jobs.append(job)
    # The portal sums up every village: rendered last, while the villages build.
    every_public = frozenset().union(*(village.public_numbers for village in county.villages))

    def prepare_portal() -> None:
        render_into(portal.render_dir, lambda tmp: render_portal(project, county, as_of, tmp, portal.out_dir))
        write_public_numbers(portal.render_dir, every_public)

    portal.prepare = prepare_portal
    return Plan(county, report, jobs, portal)


def _render_village(project: Path, village: Village, as_of: date, job: SiteJob, clean: bool,
                    policy: Policy) -> None:
    """Render one village's site unless its render stamp says it is as the
    records, the shared content and the date would make it now. The pages judge
    with the county's own thresholds (budget overrun, rent grace, on-time days)."""
    stamp = job.render_dir / RENDER_STAMP
    if clean or not (stamp.is_file() and stamp.read_text() == job.input_key):
        render_into(job.render_dir, partial(render_village, project, village, as_of, site_dir=job.out_dir,
                                            policy=policy, earlier=None if clean else job.render_dir / "docs"))
        stamp.write_text(job.input_key or "")
    write_public_numbers(job.render_dir, village.public_numbers)   # for the gate, beside mkdocs.yml


def build_county(project: Path, villages_dir: Path, site_dir: Path, as_of: date, work: Path,
                 workers: int | None = None, clean: bool = False,
                 on_done: Callable[[SiteJob, str, float, int, int], None] | None = None,
                 scheduler: str | None = None, engine: str = "mkdocs") -> tuple[Plan, BuildResult | None]:
    """The whole job of `cunwu build`. Returns the plan (with the check report) and
    the build result, or None when the check found errors and nothing was built.
    One build of a site at a time: a second one raises PublishError at once
    (the lock is beside `site_dir`), never waits on or mixes with the first."""
    with site_lock(site_dir):
        plan = render_all(project, villages_dir, work, as_of, clean)
        if plan.report.errors:
            return plan, None
        workers = workers or os.cpu_count() or 1
        result = build_sites(plan.jobs + [plan.portal], project, as_of, workers, clean, on_done, scheduler, engine)
        made_from = _built_from(plan)
        if not result.built and made_from is not None and _still_published(work, site_dir, made_from):
            result.published = False   # nothing changed: the site already shows exactly these builds
        else:
            version = publish({job.key: job.out_dir for job in plan.jobs}, plan.portal.out_dir, site_dir)
            _remember_published(work, site_dir, version, made_from)
    return plan, result


# In the work folder: which version of which site the last publish made, from which builds.
PUBLISHED = "last-publish.json"


def _built_from(plan: Plan) -> dict[str, str] | None:
    """The input digest of every site's build (its stamp), or None when one has none."""
    made: dict[str, str] = {}
    for job in plan.jobs + [plan.portal]:
        try:
            made[job.key] = (job.out_dir / STAMP).read_text(encoding="utf-8")
        except OSError:
            return None
    return made


def _still_published(work: Path, site: Path, made_from: dict[str, str]) -> bool:
    """Whether `site` shows the version the last publish made from these same builds
    (not after a rollback, nor for another site)."""
    try:
        record = json.loads((work / PUBLISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    current = current_version(site)
    return (isinstance(record, dict) and current is not None and record.get("site") == str(Path(site).absolute())
            and record.get("version") == current.name and record.get("from") == made_from)


def _remember_published(work: Path, site: Path, version: Path, made_from: dict[str, str] | None) -> None:
    try:
        (work / PUBLISHED).write_text(json.dumps({"site": str(Path(site).absolute()), "version": version.name,
                                                  "from": made_from}), encoding="utf-8")
    except OSError:
        pass   # the site is published; the next build publishes again instead of stopping early
