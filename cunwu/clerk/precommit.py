"""`cunwu check-changed FILE...`: check the villages that changed files belong to.

Run by git's pre-commit hook (see .pre-commit-hooks.yaml) with the staged
files under villages/. Each file maps to its village folder; those villages
are checked with the county's county.yml for context. A change to county.yml
itself checks every village. Exit 1, with the Chinese messages of `cunwu
check`, when there is an error, so the commit is stopped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..records.diagnostics import Report, terminal_safe

HOOK_HINT = ("提交被拦下了：记录里有错误。请按上面每行的提示（文件:行号）改正，保存后重新 git add 这些文件，"
             "再 git commit。提醒（warning）不会拦下提交。")


def changed_villages(files: Iterable[str], root: Path) -> tuple[list[Path], bool]:
    """(village folders that the files belong to, whether county.yml changed)."""
    from ..records.load import COUNTY_FILE

    base = os.path.abspath(root)
    found: dict[str, Path] = {}
    county = False
    for name in files:
        full = os.path.abspath(name)
        try:
            rel = Path(os.path.relpath(full, base))
        except ValueError:          # another drive on Windows
            continue
        parts = rel.parts
        if not parts or parts[0] == "..":
            continue
        if len(parts) == 1:
            county = county or parts[0] == COUNTY_FILE
            continue
        slug = parts[0]
        if slug.startswith((".", "_")):
            continue
        folder = root / slug
        if folder.is_dir():          # a village deleted as a whole has nothing left to check
            found.setdefault(slug, folder)
    return [found[k] for k in sorted(found)], county


def check_villages(root: Path, villages: list[Path]) -> tuple[list, Report]:
    """Check the given villages with the county's config for context.

    The other villages contribute only their village.yml, so that county-wide rules
    (two villages with one code…) still see them; their diagnostics are left out,
    except county-wide ones that involve a checked village."""
    from ..records.checks import check_county
    from ..records.load import COUNTY_FILE, PROFILE_FILE, County, Village, find_villages, load_village, validate
    from ..records.models import CountyConfig, VillageProfile
    from ..records.source import SourceError, load_source

    report = Report()
    config = None
    config_path = root / COUNTY_FILE
    if config_path.is_file():
        try:
            config = validate(load_source(config_path), CountyConfig, report)
        except SourceError as exc:
            report.error(config_path, exc.line, exc.rule, exc.message)
    wanted = {os.path.abspath(v) for v in villages}
    checked, everyone = [], []
    context = Report()
    for folder in sorted(set(find_villages(root)) | set(villages)):
        if os.path.abspath(folder) in wanted:
            village = load_village(folder, report)
            checked.append(village)
        else:
            village = Village(slug=folder.name, dir=folder)
            try:
                village.profile = validate(load_source(folder / PROFILE_FILE), VillageProfile, context)
            except (SourceError, OSError):
                pass
        everyone.append(village)
    full = Report()
    check_county(County(root, config, everyone), full)
    names = {v.slug for v in checked}
    for d in full.items:
        inside = any(os.path.abspath(d.file).startswith(w + os.sep) or os.path.abspath(d.file) == w
                     for w in wanted)
        mentions = d.rule.startswith("county.") and any(n in d.message for n in names)
        if inside or mentions:
            report.items.append(d)
    return checked, report


def check_changed(files: list[str], root: Path) -> tuple[int, list[str], list[str]]:
    """(exit code, diagnostics lines, summary lines)."""
    villages, county_changed = changed_villages(files, root)
    if county_changed:
        from ..records.checks import check_path
        county, report = check_path(root)
        checked = county.villages
        scope = f"county.yml 有改动，检查了全部 {len(checked)} 个村"
    elif villages:
        checked, report = check_villages(root, villages)
        scope = f"检查了改动涉及的 {len(checked)} 个村（{'、'.join(v.slug for v in checked)}）"
    else:
        return 0, [], []
    lines = [d.format() for d in report.sorted()]
    errors, warnings = len(report.errors), len(report.warnings)
    summary = [f"{scope}：{errors} 个错误，{warnings} 个提醒。" + ("" if report.items else "全部通过。")]
    if errors:
        summary.append(HOOK_HINT)
    return (1 if errors else 0), lines, summary


def run(args) -> int:
    root = Path(args.villages)
    if not root.is_dir():
        # nothing of ours in this repository (or run from elsewhere): say so, do not block
        if args.files:
            print(f"提醒：找不到文件夹“{args.villages}”，没有检查。请在仓库的根目录运行，或用 --villages 指出位置。",
                  file=sys.stderr)
        return 0
    code, lines, summary = check_changed(list(args.files), root)
    for line in lines:
        print(terminal_safe(line))
    for line in summary:
        print(terminal_safe(line), file=sys.stderr)
    return code

