"""Score predictions against gold documents: the figures behind `pressdeals evaluate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spacy.language import Language

from pressdeals.document import AnnotatedDoc
from pressdeals.evaluation.scoring import (
    PRF,
    entity_keys,
    relation_keys,
    score_aliases,
    score_deals,
    score_entities,
    score_facts,
    score_relations,
    score_relations_by_distance,
)
from pressdeals.formats import FormatError, FormatErrors, read_documents
from pressdeals.pipeline.annotate import annotate, annotate_with_gold_entities
from pressdeals.pipeline.deals import build_facts, fact_key

SECTIONS = {
    "entities": "Entities",
    "relations": "Relations (on predicted entities)",
    "relations_by_distance": "Relations by sentence distance (on predicted entities)",
    "relations_gold_entities": "Relations given gold entities (relation component alone)",
    "relations_gold_entities_by_distance": "Relations given gold entities, by distance",
    "aliases": "Event alias grouping (pairwise, on predicted entities)",
    "deals": "Deal records (mention level)",
    "facts": "Deal facts (one per deal: count, amount, currency, canonical event)",
}


# section name -> label -> figures; None where the section could not be computed
Report = dict[str, dict[str, PRF] | None]


class EvaluationError(ValueError):
    """Gold and predictions that cannot be scored together; the message says why."""


def load_documents(path: Path) -> list[AnnotatedDoc]:
    """Annotated documents from a brat folder, a .jsonl or a .spacy file."""
    try:
        return read_documents(Path(path))
    except (FormatError, *FormatErrors) as exc:
        raise EvaluationError(str(exc)) from exc


def evaluate_pipeline(
    nlp: Language,
    gold: list[AnnotatedDoc],
    *,
    label_map: dict[str, str] | None = None,
) -> tuple[Report, list[tuple[AnnotatedDoc, AnnotatedDoc]]]:
    """Run `nlp` on the gold texts and score it: entities, relations (also given the gold
    entities, when the pipeline has a relation component), deal records. Returns the report
    and the (gold, predicted) pairs for an error listing."""
    pred = list(annotate(nlp, ((d.id, d.text) for d in gold), label_map=label_map))
    pairs = align(gold, pred)
    with_gold = None
    if label_map is None and "relation_extractor" in nlp.pipe_names:
        with_gold = list(zip(gold, annotate_with_gold_entities(nlp, gold), strict=True))
    return build_report(pairs, with_gold), pairs


def evaluate(
    gold_path: Path,
    *,
    model: str | Path | None = None,
    pred_path: Path | None = None,
    label_map: dict[str, str] | None = None,
) -> tuple[Report, list[tuple[AnnotatedDoc, AnnotatedDoc]]]:
    """`pressdeals evaluate`: score a pipeline (default: the shipped one) or saved
    predictions (.jsonl) against the gold documents at `gold_path`."""
    gold = load_documents(gold_path)
    if pred_path is not None:
        pairs = align(gold, load_documents(pred_path))
        return build_report(pairs), pairs
    from pressdeals.api import load

    return evaluate_pipeline(load(model), gold, label_map=label_map)


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
) -> Report:
    with_gold = gold_entity_pairs
    return {
        "entities": score_entities(pairs),
        "relations": score_relations(pairs),
        "relations_by_distance": score_relations_by_distance(pairs),
        "relations_gold_entities": None if with_gold is None else score_relations(with_gold),
        "relations_gold_entities_by_distance": None
        if with_gold is None
        else score_relations_by_distance(with_gold),
        "aliases": score_aliases(pairs),
        "deals": score_deals(pairs),
        "facts": score_facts(pairs),
    }


def report_as_dict(report: Report) -> dict[str, Any]:
    return {
        section: None if table is None else {label: prf.as_dict() for label, prf in table.items()}
        for section, table in report.items()
    }


def format_report(report: Report) -> str:
    lines = [f"{'':<18}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for section, title in SECTIONS.items():
        table = report.get(section)
        lines.append(title)
        if table is None:
            lines.append("  n/a (needs --model: saved predictions have no gold-entity run)")
            continue
        for label, prf in table.items():
            p, r, f = prf.precision, prf.recall, prf.f1
            lines.append(f"  {label:<16}{p:>8.3f}{r:>8.3f}{f:>8.3f}{prf.support:>9}")
    return "\n".join(lines)


def _show(text: str, start: int, end: int) -> str:
    return repr(" ".join(text[start:end].split()))


def _fact_errors(gold: AnnotatedDoc, pred: AnnotatedDoc) -> list[str]:
    """Missed and spurious deal facts, each with the mentions that state it."""
    lines = []
    g_facts, p_facts = build_facts(gold), build_facts(pred)
    g_keys, p_keys = {fact_key(f) for f in g_facts}, {fact_key(f) for f in p_facts}
    for kind, facts, other, doc in (
        ("missed", g_facts, p_keys, gold),
        ("spurious", p_facts, g_keys, pred),
    ):
        for fact in facts:
            if fact_key(fact) in other:
                continue
            mentions = "; ".join(
                _show(doc.text, s, e) for s, e in json.loads(fact.mention_spans)
            )
            amount = "-" if fact.amount is None else f"{fact.amount:,.2f} {fact.currency}"
            lines.append(
                f"  {kind:<9}FACT      count={fact.count} amount={amount} "
                f"event={fact.event!r} <- {mentions}"
            )
    return lines


def error_listing(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> str:
    """Missed and spurious entities, relations and deal facts per document, with text."""
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
        lines += _fact_errors(gold, pred)
        out.append(f"== {gold.id}: {'no errors' if not lines else f'{len(lines)} errors'}")
        out.extend(lines)
    return "\n".join(out) + "\n"
