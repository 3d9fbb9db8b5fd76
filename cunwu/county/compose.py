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


def _units(tables: Tables) -> tuple[list[str], list[str]]:
    """The top areas of published tables (level and name) and the codes of their villages."""
    area = next(ds for ds in DATASETS if ds.name == "area-totals")
    level_i, name_i, parent_i = (area.columns.index(c) for c in ("层级", "名称", "上级"))
    tops = [f"{r[level_i]}“{r[name_i]}”" for r in tables.get("area-totals", []) if not r[parent_i]]
    villages = next(ds for ds in DATASETS if ds.name == "villages")
    code_i, name_v = villages.columns.index("村代码"), villages.columns.index("村")
    codes = [f"{r[name_v]}（{r[code_i]}）" for r in tables.get("villages", []) if r[code_i]]
    return tops, codes


def refuse_overlaps(inputs: list[Path], parts: list[Tables]) -> None:
    """The same county given twice, or a city and a county inside it, would count
    its villages twice: refuse, naming what is repeated and where."""
    seen_top: dict[str, Path] = {}
    seen_code: dict[str, Path] = {}
    for path, tables in zip(inputs, parts, strict=True):
        tops, codes = _units(tables)
        for top in tops:
            if top in seen_top:
                raise RollupError(f"{top} 给了两次：{seen_top[top]} 和 {path}。同一地区只能汇总一次，否则每项数字都会加倍。")
            seen_top[top] = path
        for code in codes:
            if code in seen_code and seen_code[code] != path:
                raise RollupError(f"村 {code} 同时出现在 {seen_code[code]} 和 {path} 中。"
                                  "给出的地区有重叠（例如同一个县给了两次，或市和它下面的县一起给出），请去掉重复的目录。")
            seen_code.setdefault(code, path)


def rollup_published(out: Path, inputs: list[Path], name: str, level: str) -> Tables:
    """`cunwu rollup`: combine published county (or city) data into one area."""
    parts, days = [], []
    for path in inputs:
        tables, as_of = read_published(path)
        parts.append(tables)
        if as_of:
            days.append(as_of)
    refuse_overlaps(inputs, parts)
    combined = combine(parts, name, level)
    out.mkdir(parents=True, exist_ok=True)
    write_open_data(out, combined, name, name, level, max(days) if days else date.today())
    return combined

