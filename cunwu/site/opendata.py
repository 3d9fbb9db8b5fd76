"""Open data files: every table a page shows, downloadable as CSV and JSON.

CSV is UTF-8 with a BOM so that Excel (the county's and villagers' tool) opens
Chinese text correctly; JSON keeps numbers exact by writing money as strings.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return "\ufeff" + out.getvalue()


def json_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], **meta: Any) -> str:
    records = [{c: _plain(v) for c, v in zip(columns, row)} for row in rows]
    payload = {**{k: _plain(v) for k, v in meta.items()}, "columns": list(columns), "rows": records}
    # Compact: the C encoder (indent makes json fall back to pure Python) and fewer bytes.
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_dataset(folder: Path, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                  **meta: Any) -> tuple[str, str]:
    """Write `name`.csv and `name`.json into `folder`; return their file names."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(rows)
    (folder / f"{name}.csv").write_text(csv_text(columns, rows), encoding="utf-8", newline="")
    (folder / f"{name}.json").write_text(json_text(columns, rows, **meta), encoding="utf-8")
    return f"{name}.csv", f"{name}.json"
