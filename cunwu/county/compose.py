"""`cunwu rollup`: read the open data that counties (or cities) published and
compose them into the area above, with the same tables and the same files.

Published data are input from elsewhere: anything that does not match this
program's tables stops the rollup with a Chinese message naming the file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .datasets import DATASETS, Tables, combine, parse_value
from .opendata import write_open_data


class RollupError(Exception):
    """Published data that cannot be combined; the message is Chinese."""


def data_folder(path: Path) -> Path:
    """The folder holding the dataset files of a published portal (or of a rollup)."""
    if (path / "data").is_dir() and ((path / "datapackage.json").is_file()
                                     or (path / "data" / f"{DATASETS[0].name}.json").is_file()):
        return path / "data"
    return path


def read_published(path: Path) -> tuple[Tables, date | None]:
    """Read every dataset's JSON from a published portal or data folder."""
    folder = data_folder(path)
    tables: Tables = {}
    as_of = None
    for ds in DATASETS:
        file = folder / f"{ds.name}.json"
        if not file.is_file():
            raise RollupError(f"{file}：找不到数据文件。请给出县门户网站目录（含 datapackage.json）或其中的 data 目录。")
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RollupError(f"{file}：无法读取（{exc}）。") from None
        if not isinstance(payload, dict) or payload.get("columns") != ds.columns:
            raise RollupError(f"{file}：表头与本程序的“{ds.title}”不一致，可能是用不同版本的 cunwu 生成的。"
                              f"应为：{'、'.join(ds.columns)}。")
        try:
            tables[ds.name] = [[parse_value(c, row.get(c.name)) for c in ds.cols] for row in payload["rows"]]
        except (ValueError, TypeError, AttributeError) as exc:
            raise RollupError(f"{file}：数据有误（{exc}）。") from None
        if payload.get("as_of"):
            try:
                day = date.fromisoformat(str(payload["as_of"]))
                as_of = day if as_of is None else max(as_of, day)
            except ValueError:
                pass
    return tables, as_of


def rollup_published(out: Path, inputs: list[Path], name: str, level: str) -> Tables:
    """`cunwu rollup`: combine published county (or city) data into one area."""
    parts, days = [], []
    for path in inputs:
        tables, as_of = read_published(path)
        parts.append(tables)
        if as_of:
            days.append(as_of)
    combined = combine(parts, name, level)
    out.mkdir(parents=True, exist_ok=True)
    write_open_data(out, combined, name, name, level, max(days) if days else date.today())
    return combined

