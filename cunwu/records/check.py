"""The check stage's former single module: every name now lives in
`cunwu.records.checks` (one module a record kind) and is re-exported here so
that `from cunwu.records.check import …` keeps working."""

from __future__ import annotations

from .checks import (
    PORTAL_NAMES,
    RULES,
    check_county,
    check_decision,
    check_evaluations,
    check_ledgers,
    check_meeting,
    check_notice,
    check_path,
    check_privacy,
    check_roster,
    check_rule,
    check_village,
    found_line_offset,
)

__all__ = ["PORTAL_NAMES", "RULES", "check_county", "check_decision", "check_evaluations", "check_ledgers",
           "check_meeting", "check_notice", "check_path", "check_privacy", "check_roster", "check_rule",
           "check_village", "found_line_offset"]
