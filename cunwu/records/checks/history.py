"""Changes after posting: a record edited after it went up on the board (read
from git, records/history.py) is reported field by field, so that the clerk
knows the change is visible to every villager and to the county."""

from __future__ import annotations

from ..diagnostics import Report
from ..history import History, history_of, load_history
from ..load import County, Doc, Village
from ..privacy import mask_text


def attach_history(county: County) -> History | None:
    """Read the county's git history once and give each village its part."""
    history = load_history(county.root)
    site_url = county.config.record.site_url if county.config else ""
    for village in county.villages:
        village.history = history.village(village.dir) if history is not None else None
        village.site_url = site_url
    return history


def _short(text: str) -> str:
    text = " ".join(mask_text(text).split())
    return text if len(text) <= 40 else text[:39] + "…"


def check_history(village: Village, report: Report) -> None:
    if not village.history:
        return
    docs: list[Doc] = [*village.ledgers, *village.decisions, *village.rules, *village.evaluations, *village.notices]
    for doc in docs:
        rec = history_of(village.history, doc.path)
        if rec is None:
            continue
        for revision in rec.events:
            first = revision.changes[0]
            line = doc.src.body_line if first.loc == ("body",) else doc.line(*first.loc)
            listed = "；".join(f"“{c.label}”由“{_short(c.old)}”改为“{_short(c.new)}”" for c in revision.changes[:3])
            more = len(revision.changes) - 3 + revision.more
            report.warning(doc.path, line, "record.changed-after-posting",
                           f"这条记录公布（{rec.posted}）之后，{revision.day} 又被修改（提交 {revision.commit}）：{listed}"
                           + (f"，另有 {more} 处" if more > 0 else "") +
                           "。网站会在这条记录的页面和村首页公开这次修改，县级网站也会统计。"
                           "如是更正，请在公开栏同步张贴更正说明。")
