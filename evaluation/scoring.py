"""Precision, recall and F1 for entities, relations and deal records.

Matching is strict: an entity counts when its span and label match a gold one; a relation
when its label and both argument spans and labels match; a deal record when every field of
`pipeline.deals.deal_key` matches.
"""

from __future__ import annotations

from pressdeals.document import AnnotatedDoc, Relation
from pressdeals.metrics import PRF
from pressdeals.pipeline.deals import build_deals, deal_key
from pressdeals.schema import ENTITY_LABELS, RELATION_LABELS


def entity_keys(doc: AnnotatedDoc, label: str | None = None) -> list[tuple]:
    return [(e.start, e.end, e.label) for e in doc.entities if label in (None, e.label)]


def relation_key(r: Relation) -> tuple:
    """Strict identity of a relation (see `Relation.key`)."""
    return r.key


def relation_keys(doc: AnnotatedDoc, label: str | None = None) -> list[tuple]:
    return [relation_key(r) for r in doc.relations if label in (None, r.label)]


def deal_keys(doc: AnnotatedDoc) -> list[tuple]:
    return [deal_key(d) for d in build_deals(doc.text, doc.entities, doc.relations)]


def _by_label(
    pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]], keys, labels: tuple[str, ...]
) -> dict[str, PRF]:
    table = {label: PRF() for label in labels}
    table["micro"] = PRF()
    for gold, pred in pairs:
        for label in labels:
            table[label].add(keys(gold, label), keys(pred, label))
        table["micro"].add(keys(gold), keys(pred))
    return table


def score_entities(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> dict[str, PRF]:
    labels = tuple(
        sorted(
            {e.label for g, p in pairs for e in g.entities + p.entities} | set(ENTITY_LABELS),
            key=_label_order,
        )
    )
    return _by_label(pairs, entity_keys, labels)


def score_relations(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> dict[str, PRF]:
    return _by_label(pairs, relation_keys, RELATION_LABELS)


def score_deals(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> dict[str, PRF]:
    prf = PRF()
    for gold, pred in pairs:
        prf.add(deal_keys(gold), deal_keys(pred))
    return {"micro": prf}


def _label_order(label: str) -> tuple[int, str]:
    return (ENTITY_LABELS.index(label) if label in ENTITY_LABELS else len(ENTITY_LABELS), label)
