"""Check a folder of inline-markup documents: `python -m pressdeals.training.check_inline DIR`."""

from __future__ import annotations

import sys
from pathlib import Path

from pressdeals.inline import InlineError, read_inline
from pressdeals.schema import ENTITY_LABELS, relation_allowed
from pressdeals.validate import enclosing_mark


def check(path: Path) -> list[str]:
    try:
        doc = read_inline(path)
    except InlineError as err:
        return [str(err)]
    problems = []
    for ent in doc.entities:
        surface = ent.surface(doc.text)
        where = f"{path}: [{surface}]"
        if ent.label not in ENTITY_LABELS:
            problems.append(f"{where}: unknown label {ent.label}")
        if surface != surface.strip() or enclosing_mark(surface):
            problems.append(f"{where}: leading/trailing whitespace or enclosing quote/bracket")
    for rel in doc.relations:
        if not relation_allowed(rel.label, rel.head.label, rel.tail.label):
            problems.append(
                f"{path}: {rel.label} {rel.head.label}->{rel.tail.label} not allowed "
                f"([{rel.head.surface(doc.text)}] -> [{rel.tail.surface(doc.text)}])"
            )
    return problems


def main(folder: str) -> int:
    files = sorted(Path(folder).rglob("*.txt"))
    n_problems = 0
    counts: dict[str, int] = {}
    for path in files:
        problems = check(path)
        n_problems += len(problems)
        for p in problems:
            print(p)
        if not problems:
            doc = read_inline(path)
            for e in doc.entities:
                counts[e.label] = counts.get(e.label, 0) + 1
            for r in doc.relations:
                counts[r.label] = counts.get(r.label, 0) + 1
    print(f"{len(files)} files, {n_problems} problems; mentions: {counts}")
    return 1 if n_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
