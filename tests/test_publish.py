"""Publishing: the swap leaves no moment without a complete site, readable
folders, the previous version kept for rollback, one build at a time, and
builds that cannot mix villages whatever the worker's thread count."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT
from test_scale import AS_OF, files, make_county

from cunwu.site.publish import PublishError, current_version, publish, rollback, site_lock, versions_dir


def built_tree(root: Path, label: str, villages: int = 3, pages: int = 40) -> tuple[Path, dict[str, Path]]:
    """A portal and village folders as the build leaves them, each page naming its version."""
    portal = root / f"portal-{label}"
    portal.mkdir(parents=True)
    (portal / "index.html").write_text(f"portal {label}", encoding="utf-8")
    parts = {}
    for n in range(villages):
        part = root / f"v{n}-{label}"
        (part / "finance").mkdir(parents=True)
        for p in range(pages):
            (part / "finance" / f"{p}.html").write_text(f"{label} {n} {p}", encoding="utf-8")
        (part / "index.html").write_text(f"{label} {n}", encoding="utf-8")
        os.chmod(part, 0o700)   # as mkdtemp leaves a built folder
        parts[f"v{n}"] = part
    return portal, parts


def complete(site: Path, villages: int = 3, pages: int = 40) -> str:
    """The version label of a complete published tree (every page of one version)."""
    label = (site / "index.html").read_text(encoding="utf-8").split()[1]
    for n in range(villages):
        assert (site / f"v{n}" / "index.html").read_text(encoding="utf-8") == f"{label} {n}"
        for p in range(pages):
            assert (site / f"v{n}" / "finance" / f"{p}.html").read_text(encoding="utf-8") == f"{label} {n} {p}"
    return label


def test_publish_switches_a_link_keeps_the_previous_version_and_rolls_back(tmp_path):
    site = tmp_path / "site"
    for label in ("a", "b", "c"):
        portal, parts = built_tree(tmp_path / "built", label)
        publish(parts, portal, site)
        assert site.is_symlink() and complete(site) == label
    kept = sorted(p.name for p in versions_dir(site).iterdir())
    assert len(kept) == 2, kept   # the current one and the one before
    rollback(site)
    assert complete(site) == "b"
    with pytest.raises(PublishError, match="没有更早的版本"):
        rollback(site)
    assert complete(site) == "b"


def test_published_folders_and_files_are_readable_by_others(tmp_path):
    site = tmp_path / "site"
    portal, parts = built_tree(tmp_path / "built", "a")
    old = os.umask(0o022)
    try:
        publish(parts, portal, site)
    finally:
        os.umask(old)
    target = current_version(site)
    assert target is not None
    for path in [target, *target.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o755, (path, oct(mode))
        else:
            assert mode == 0o644, (path, oct(mode))


def test_a_site_published_as_a_folder_before_becomes_a_version(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    portal, parts = built_tree(tmp_path / "built", "a")
    publish(parts, portal, site)
    assert complete(site) == "a"
    rollback(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"


def test_killing_a_publish_at_any_moment_leaves_a_complete_site(tmp_path):
    """A child publishes version after version; it is killed with SIGKILL at
    varying moments, and every time `site` is a complete version. The next
    publish cleans what the killed one left."""
    site = tmp_path / "site"
    built = tmp_path / "built"
    for label in ("a", "b"):
        built_tree(built, label, villages=4, pages=150)
    portal, parts = built / "portal-a", {f"v{n}": built / f"v{n}-a" for n in range(4)}
    publish(parts, portal, site)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from cunwu.site.publish import publish
        built = Path({str(built)!r})
        while True:
            for label in ("b", "a"):
                publish({{f"v{{n}}": built / f"v{{n}}-{{label}}" for n in range(4)}}, built / f"portal-{{label}}",
                        Path({str(site)!r}))
    """)
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.8):
        child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert complete(site, villages=4, pages=150) in ("a", "b")
    publish(parts, portal, site)
    leftovers = [p.name for p in versions_dir(site).iterdir() if p.name.startswith(".")]
    leftovers += [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.link-")]
    assert leftovers == []
    assert len(list(versions_dir(site).iterdir())) == 2


def test_a_second_build_of_the_same_site_is_told_that_one_is_running(tmp_path):
    site = tmp_path / "site"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from cunwu.site.publish import site_lock
        with site_lock(Path({str(site)!r})):
            print("locked", flush=True)
            time.sleep(30)
    """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(PublishError, match=f"另一个 cunwu 正在生成或发布.*进程 {holder.pid}"):
            with site_lock(site):
                pass
    finally:
        holder.kill()
        holder.wait()
    with site_lock(site):   # released when its holder died
        pass


def test_a_two_thread_dask_worker_builds_the_same_site_as_local_workers(tmp_path):
    """MkDocs keeps state in module globals: two builds in two threads of one
    worker used to mix villages' pages. The output must equal a local build."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from cunwu.pipeline import build_county

    villages = make_county(tmp_path, 3)
    as_of = date.fromisoformat(AS_OF)
    build_county(ROOT, villages, tmp_path / "local-site", as_of, tmp_path / "local-build", workers=2)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        _, result = build_county(ROOT, villages, tmp_path / "dask-site", as_of, tmp_path / "dask-build",
                                 scheduler=client)
        assert result is not None and sorted(result.built) == ["_county", "qingshi", "qingshi1", "qingshi2"]
    assert files(tmp_path / "dask-site") == files(tmp_path / "local-site")
    assert "青石2村" in (tmp_path / "dask-site" / "qingshi2" / "index.html").read_text(encoding="utf-8")
