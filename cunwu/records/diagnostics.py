"""Diagnostics: what `cunwu check` reports to a clerk.

Every problem is a Diagnostic with the file and line it concerns, a stable rule
id (for tests and machines) and a message in Chinese that says how to fix it.
"""

from __future__ import annotations

import os
import re
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
        """One line for a terminal: values from records are escaped (see terminal_safe)."""
        return terminal_safe(f"{self.file}:{self.line}: {self.severity} {self.rule}: {self.message}")

    def as_dict(self) -> dict:
        return asdict(self)


# Control characters (C0, DEL, C1) and the invisible marks that reorder text
# (bidirectional overrides): a record holding "\x1b]0;…\x07" would retitle the
# clerk's terminal, or make a message read differently than it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, keep_newlines: bool = False) -> str:
    """Text for a terminal, with every control character shown as its escape
    (\x1b, \u202e) instead of acting on the terminal."""
    def escape(m: re.Match[str]) -> str:
        char = m.group()
        if keep_newlines and char == "\n":
            return char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return _UNSAFE.sub(escape, text)


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
