"""Diagnostics: what `cunwu check` reports to a clerk.

Every problem is a Diagnostic with the file and line it concerns, a stable rule
id (for tests and machines) and a message in Chinese that says how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    severity: Severity
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.severity} {self.rule}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


def display_path(path: Path) -> str:
    """A path as the clerk typed it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


class Report:
    """Collects diagnostics from every stage so that one run reports them all."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, path: Path | str, line: int, rule: str, message: str,
            severity: Severity = "error") -> None:
        file = display_path(Path(path)) if not isinstance(path, str) else path
        self.items.append(Diagnostic(file, max(int(line or 1), 1), severity, rule, message))

    def error(self, path, line, rule, message) -> None:
        self.add(path, line, rule, message, "error")

    def warning(self, path, line, rule, message) -> None:
        self.add(path, line, rule, message, "warning")

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))
