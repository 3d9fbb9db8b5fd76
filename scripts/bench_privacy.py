"""False alarms of the personal-number detector, by kind of look-alike number.

    .venv/bin/python scripts/bench_privacy.py

Prints, for each kind of number that only looks like an ID, mobile or card
number (written in the context a clerk writes it: a label, a table column, the
元 after an amount), how many of the seeded corpus the detector flags; then the
same numbers with no context at all, for comparison (not a target).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy_corpus import bare_look_alikes, false_positives, identifiers  # noqa: E402

from cunwu.records.privacy import find_identifiers  # noqa: E402


def rates(items) -> list[tuple[str, int, int]]:
    total, flagged = Counter(), Counter()
    for item in items:
        total[item.kind] += 1
        if find_identifiers(item.text, header=item.header):
            flagged[item.kind] += 1
    return [(kind, total[kind], flagged[kind]) for kind in total]


def table(title: str, rows: list[tuple[str, int, int]]) -> None:
    print(f"\n{title}\n")
    print("| 号码种类 | 数量 | 误报 | 误报率 |")
    print("| --- | ---: | ---: | ---: |")
    for kind, n, k in rows:
        print(f"| {kind} | {n} | {k} | {k / n:.2%} |")
    n, k = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"| 合计 | {n} | {k} | {k / n:.2%} |")


def main() -> None:
    table("With their context (target: at most 1 % each)", rates(false_positives()))
    table("Bare, no context at all (for comparison)", rates(bare_look_alikes()))
    planted = identifiers(1200)
    missed = [p for p in planted if not find_identifiers(p.text.replace("\n", ""))]
    print(f"\nIdentifiers found: {len(planted) - len(missed)} of {len(planted)}")


if __name__ == "__main__":
    main()
