"""Village builds on a Dask cluster (`cunwu build --scheduler ADDRESS`).

A village build is a pure function of its rendered folder, the theme and the
date, so it can run on any machine with cunwu installed. The inputs travel to
the worker as one zip archive and the built site comes back as another; the
publish step then runs here exactly as for a local build. Needs the optional
extra `cunwu[dask]`.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import yaml

from .engine import SiteJob, build_site, source_date_epoch


def _zip_tree(archive: zipfile.ZipFile, root: Path, prefix: str) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".cunwu-"):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(root).as_posix()}", (2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def pack_inputs(job: SiteJob, project: Path) -> bytes:
    """The rendered site and the theme it is built with, as one archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _zip_tree(archive, job.render_dir, "site")
        _zip_tree(archive, project / "theme", "theme")
    return buffer.getvalue()


def _safe_members(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        name = Path(info.filename)
        if name.is_absolute() or ".." in name.parts:
            raise ValueError(f"unsafe path in archive: {info.filename}")
        yield info


def build_packed(inputs: bytes, label: str, epoch: str, engine: str = "mkdocs") -> bytes:
    """Runs on a worker: unpack, build with `engine`, return the built site zipped."""
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryDirectory(prefix="cunwu-") as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(io.BytesIO(inputs)) as archive:
            archive.extractall(root, members=list(_safe_members(archive)))
        config_file = root / "site" / "mkdocs.yml"
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        config.setdefault("theme", {})["custom_dir"] = str(root / "theme")
        config["site_dir"] = str(root / "out")
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        build_site(config_file, root / "out", label, engine)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            _zip_tree(archive, root / "out", "out")
        return buffer.getvalue()


def unpack_output(data: bytes, out_dir: Path) -> None:
    """Put a worker's built site at out_dir (replacing what was there)."""
    import shutil

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(tmp, members=list(_safe_members(archive)))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        (tmp / "out").rename(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def client_for(scheduler):
    """A Dask client for an address ("tcp://host:8786") or an existing Client/cluster."""
    try:
        from distributed import Client
    except ImportError:
        raise SystemExit("使用 --scheduler 需要安装 Dask：pip install 'cunwu[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    return Client(scheduler), True


def run_on_cluster(scheduler, todo: list[tuple[SiteJob, str]], project: Path, as_of: date,
                   on_result: Callable[[SiteJob, str, BaseException | None], None], engine: str = "mkdocs") -> None:
    """Build every (job, digest) on the cluster; unpack each result into job.out_dir
    and call on_result(job, digest, error or None) as builds finish."""
    from distributed import as_completed

    client, owned = client_for(scheduler)
    try:
        epoch = source_date_epoch(as_of)
        futures = {}
        for job, digest in todo:
            future = client.submit(build_packed, pack_inputs(job, project), job.label, epoch, engine,
                                   key=f"cunwu-build-{job.key}-{digest[:12]}", pure=False)
            futures[future] = (job, digest)
        for future in as_completed(list(futures)):
            job, digest = futures[future]
            try:
                unpack_output(future.result(), job.out_dir)
            except BaseException as exc:  # noqa: BLE001 - reported per village by the caller
                on_result(job, digest, exc)
                continue
            on_result(job, digest, None)
    finally:
        if owned:
            client.close()
