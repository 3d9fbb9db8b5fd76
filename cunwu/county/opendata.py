"""The county's open data: every rollup table as CSV + JSON under `data/`, and a
Frictionless (Tabular) Data Package, `datapackage.json`, that describes each
table's fields and types so that the city and province can check and reuse them.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..site.opendata import write_dataset
from .datasets import DATASETS, Tables


def datapackage(name: str, title: str, created: date, folder: str = "data") -> dict[str, Any]:
    """A Frictionless (Tabular) Data Package describing every dataset's CSV."""
    resources = []
    for ds in DATASETS:
        resources.append({
            "name": ds.name, "title": ds.title, "description": ds.description,
            "path": f"{folder}/{ds.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [{"name": c.name, "type": c.type, **({"description": c.description}
                                                                       if c.description else {})}
                                  for c in ds.cols],
                       "missingValues": [""]}})
    return {"profile": "tabular-data-package", "name": name, "title": title,
            "created": datetime(created.year, created.month, created.day, tzinfo=UTC)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": resources}


def package_name(code: str) -> str:
    safe = "".join(ch for ch in code.lower() if ch.isascii() and (ch.isalnum() or ch in "-_."))
    return f"cunwu-{safe}" if safe else "cunwu-rollup"


def write_open_data(root: Path, tables: Tables, name: str, code: str, level: str, as_of: date) -> None:
    """data/<table>.csv + .json under root, and root/datapackage.json."""
    for ds in DATASETS:
        write_dataset(root / "data", ds.name, ds.columns, tables.get(ds.name, []),
                      area=name, level=level, as_of=as_of, title=ds.title)
    package = datapackage(package_name(code), f"{name}村务公开汇总数据", as_of)
    (root / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")

