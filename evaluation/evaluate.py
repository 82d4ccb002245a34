"""Score predictions against gold documents: the figures behind `pressdeals evaluate`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluation.scoring import (
    PRF,
    entity_keys,
    relation_keys,
    score_deals,
    score_entities,
    score_relations,
)
from pressdeals.brat import read_brat_dir
from pressdeals.document import AnnotatedDoc
from pressdeals.jsonl import read_jsonl

SECTIONS = {
    "entities": "Entities",
    "relations": "Relations (on predicted entities)",
    "relations_gold_entities": "Relations given gold entities (relation component alone)",
    "deals": "Deal records",
}


class EvaluationError(ValueError):
    pass


def load_documents(path: Path) -> list[AnnotatedDoc]:
    """Annotated documents from a brat folder or a .jsonl file."""
    path = Path(path)
    if path.is_dir():
        docs = read_brat_dir(path)
        if not docs:
            raise EvaluationError(f"{path}: no .txt/.ann documents in this folder")
        return docs
    if path.suffix == ".jsonl":
        return list(read_jsonl(path))
    raise EvaluationError(f"{path}: expected a brat folder or a .jsonl file")


def align(
    gold: list[AnnotatedDoc], pred: list[AnnotatedDoc]
) -> list[tuple[AnnotatedDoc, AnnotatedDoc]]:
    """Pair predictions with gold documents by id; the texts must be identical."""
    by_id = {p.id: p for p in pred}
    pairs, missing = [], []
    for g in gold:
        p = by_id.pop(g.id, None)
        if p is None:
            missing.append(g.id)
            continue
        if p.text != g.text:
            raise EvaluationError(
                f"prediction for {g.id!r} has a different text than the gold document; "
                "offsets cannot be compared"
            )
        pairs.append((g, p))
    if missing:
        raise EvaluationError(f"no prediction for gold document(s): {', '.join(missing)}")
    if by_id:
        raise EvaluationError(f"predictions for unknown document(s): {', '.join(sorted(by_id))}")
    return pairs


def build_report(
    pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]],
    gold_entity_pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]] | None = None,
) -> dict[str, dict[str, PRF] | None]:
    return {
        "entities": score_entities(pairs),
        "relations": score_relations(pairs),
        "relations_gold_entities": None
        if gold_entity_pairs is None
        else score_relations(gold_entity_pairs),
        "deals": score_deals(pairs),
    }


def report_as_dict(report: dict[str, dict[str, PRF] | None]) -> dict[str, Any]:
    return {
        section: None if table is None else {label: prf.as_dict() for label, prf in table.items()}
        for section, table in report.items()
    }


def format_report(report: dict[str, dict[str, PRF] | None]) -> str:
    lines = [f"{'':<12}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for section, title in SECTIONS.items():
        table = report.get(section)
        lines.append(title)
        if table is None:
            lines.append("  n/a (needs --model: saved predictions have no gold-entity run)")
            continue
        for label, prf in table.items():
            p, r, f = prf.precision, prf.recall, prf.f1
            lines.append(f"  {label:<10}{p:>8.3f}{r:>8.3f}{f:>8.3f}{prf.support:>9}")
    return "\n".join(lines)


def _show(text: str, start: int, end: int) -> str:
    return repr(" ".join(text[start:end].split()))


def error_listing(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> str:
    """Missed and spurious entities and relations per document, with their text."""
    out = []
    for gold, pred in pairs:
        lines = []
        g, p = set(entity_keys(gold)), set(entity_keys(pred))
        for kind, keys in (("missed", sorted(g - p)), ("spurious", sorted(p - g))):
            for s, e, label in keys:
                lines.append(f"  {kind:<9}{label:<10}{s}-{e} {_show(gold.text, s, e)}")
        g, p = set(relation_keys(gold)), set(relation_keys(pred))
        for kind, keys in (("missed", sorted(g - p)), ("spurious", sorted(p - g))):
            for label, hs, he, hl, ts, te, tl in keys:
                lines.append(
                    f"  {kind:<9}{label:<10}{_show(gold.text, hs, he)} ({hl}) -> "
                    f"{_show(gold.text, ts, te)} ({tl})"
                )
        out.append(f"== {gold.id}: {'no errors' if not lines else f'{len(lines)} errors'}")
        out.extend(lines)
    return "\n".join(out) + "\n"
