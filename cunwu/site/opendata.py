"""Open data files: every table a page shows, downloadable as CSV and JSON.

CSV is UTF-8 with a BOM so that Excel (the county's and villagers' tool) opens
Chinese text correctly; JSON keeps numbers exact by writing money as strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


def _exact(value: Any) -> Any:
    """A value as written to both files: money with two decimals, ISO dates."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return value


# A spreadsheet (Excel, WPS) runs a cell starting with one of these as a formula
# (OWASP's CSV injection rule); text such as =HYPERLINK("http://…") from an
# import or a notice table would become a live link or command.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet reads as text, never as a formula: a leading
    apostrophe, which Excel and WPS hide. Numbers (-12.50) stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(c) for c in columns])
    for row in rows:
        writer.writerow([spreadsheet_safe(_exact(v)) for v in row])
    return "\ufeff" + out.getvalue()


def json_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], **meta: Any) -> str:
    records = [{c: _exact(v) for c, v in zip(columns, row, strict=False)} for row in rows]
    payload = {**{k: _exact(v) for k, v in meta.items()}, "columns": list(columns), "rows": records}
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
