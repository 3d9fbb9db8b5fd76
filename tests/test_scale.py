"""Building at county scale: what is rebuilt and when, a failing village, and
the same village builds run on a Dask cluster of several worker processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

GOOD = ROOT / "tests" / "fixtures" / "good"
AS_OF = "2024-06-20"


def make_county(tmp: Path, copies: int = 2) -> Path:
    """The good fixture county with its village copied under other names and codes."""
    villages = tmp / "villages"
    shutil.copytree(GOOD, villages)
    profile = (villages / "qingshi" / "village.yml").read_text(encoding="utf-8")
    for n in range(1, copies):
        folder = villages / f"qingshi{n}"
        shutil.copytree(villages / "qingshi", folder)
        (folder / "village.yml").write_text(
            profile.replace("青石村", f"青石{n}村").replace('code: "', f'code: "{n}', 1), encoding="utf-8")
    return villages


def copy_project(tmp: Path) -> Path:
    project = tmp / "project"
    project.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copytree(ROOT / "content", project / "content")
    return project


def build(villages: Path, tmp: Path, project: Path = ROOT, *extra: str, env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(tmp / "site"),
                           "--work", str(tmp / "build"), "--as-of", AS_OF, "--project", str(project), "-j", "2",
                           *extra], capture_output=True, text=True, env=env)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_shared_content_or_config_change_rebuilds_every_village(tmp_path):
    villages, project = make_county(tmp_path, 3), copy_project(tmp_path)
    first = build(villages, tmp_path, project)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("已生成") == 4          # three villages and the portal
    again = build(villages, tmp_path, project)
    assert again.stderr.count("未变化，沿用上次结果") == 4
    help_page = project / "content" / "help.md"
    help_page.write_text(help_page.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    after_content = build(villages, tmp_path, project)
    # Every village site carries the villagers' help page.
    for name in ("青石村", "青石1村", "青石2村"):
        assert f"{name}（" in after_content.stderr
    assert after_content.stderr.count("已生成") >= 3, after_content.stderr
    assert "补充说明" in (tmp_path / "site" / "qingshi2" / "help.html").read_text(encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("toc_depth: 3", "toc_depth: 2"),
                      encoding="utf-8")
    after_config = build(villages, tmp_path, project)
    assert after_config.stderr.count("已生成") == 4, after_config.stderr


def test_one_changed_village_rebuilds_alone_and_the_others_stay_untouched(tmp_path):
    villages = make_county(tmp_path, 3)
    assert build(villages, tmp_path).returncode == 0
    before = {slug: mtimes(tmp_path / "build" / "out" / slug) for slug in ("qingshi", "qingshi1", "qingshi2")}
    ledger = villages / "qingshi1" / "ledgers" / "2024-02.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 补记 ", 1),
                      encoding="utf-8")
    proc = build(villages, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "青石1村（qingshi1）已生成" in proc.stderr
    assert "青石村（qingshi）未变化" in proc.stderr and "青石2村（qingshi2）未变化" in proc.stderr
    for slug in ("qingshi", "qingshi2"):
        assert mtimes(tmp_path / "build" / "out" / slug) == before[slug]
    assert "补记" in (tmp_path / "site" / "qingshi1" / "finance" / "2024-02.html").read_text(encoding="utf-8")


# Loaded by every Python process of the build (the command and its forkserver
# workers) through PYTHONPATH: the engine fails on one village's site, as a bug
# or a broken disk would, while that village's records pass the check.
FAILING_ENGINE = """
import os
if os.environ.get("CUNWU_TEST_FAIL_SITE"):
    import mkdocs.commands.build as _build
    _real = _build.build
    def build(config, **kwargs):
        if config["site_name"].startswith(os.environ["CUNWU_TEST_FAIL_SITE"]):
            raise RuntimeError("engine failed on purpose")
        return _real(config, **kwargs)
    _build.build = build
"""


def test_a_village_that_fails_to_build_leaves_the_published_site_as_it_was(tmp_path):
    """The engine fails on one village after the others built: nothing is published."""
    villages = make_county(tmp_path, 2)
    assert build(villages, tmp_path).returncode == 0
    before = files(tmp_path / "site")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FAILING_ENGINE, encoding="utf-8")
    ledger = villages / "qingshi1" / "ledgers" / "2024-02.yml"   # so that qingshi1 is built again
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 补记 ", 1), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hook), str(ROOT)]), CUNWU_TEST_FAIL_SITE="青石1村")
    proc = build(villages, tmp_path, ROOT, env=env)
    assert proc.returncode == 1, proc.stderr
    assert "生成失败：青石1村" in proc.stderr and "engine failed on purpose" in proc.stderr
    assert "已发布的网站保持不变" in proc.stderr and "Traceback" not in proc.stderr
    assert files(tmp_path / "site") == before


def test_a_refused_attachment_stops_the_build_before_the_engine(tmp_path):
    """An .html page dropped into files/ is refused by the check: nothing is built or published."""
    villages = make_county(tmp_path, 2)
    assert build(villages, tmp_path).returncode == 0
    before = files(tmp_path / "site")
    attachment = villages / "qingshi1" / "files" / "通知.html"
    attachment.parent.mkdir()
    attachment.write_text('<html><script src="https://cdn.example.com/x.js"></script></html>', encoding="utf-8")
    proc = build(villages, tmp_path)
    assert proc.returncode == 1
    assert "attachment.type" in proc.stdout and "另存为 PDF" in proc.stdout, proc.stdout
    assert "未发布" in proc.stderr and "Traceback" not in proc.stderr
    assert files(tmp_path / "site") == before
    assert not (tmp_path / "build" / "render" / "qingshi1" / "docs" / "files").exists()


def test_dask_cluster_builds_the_same_site_as_local_workers(tmp_path):
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from cunwu.pipeline import build_county

    villages = make_county(tmp_path, 2)
    as_of = date.fromisoformat(AS_OF)
    local, _ = build_county(ROOT, villages, tmp_path / "local-site", as_of, tmp_path / "local-build", workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        plan, result = build_county(ROOT, villages, tmp_path / "dask-site", as_of, tmp_path / "dask-build",
                                    scheduler=client)
        assert sorted(result.built) == ["_county", "qingshi", "qingshi1"]
        assert len(client.scheduler_info()["workers"]) == 2
    assert files(tmp_path / "dask-site") == files(tmp_path / "local-site")
