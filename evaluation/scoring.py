"""Precision, recall and F1 for entities, relations and deal records.

Matching is strict: an entity counts when its span and label match a gold one; a relation
when its label and both argument spans and labels match; a deal record when every field of
`pipeline.deals.deal_key` matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from pipeline.deals import build_deals, deal_key
from pressdeals.document import AnnotatedDoc, Relation
from pressdeals.schema import ENTITY_LABELS, RELATION_LABELS


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, gold: Iterable[Hashable], pred: Iterable[Hashable]) -> None:
        g, p = Counter(gold), Counter(pred)
        overlap = sum((g & p).values())
        self.tp += overlap
        self.fp += sum(p.values()) - overlap
        self.fn += sum(g.values()) - overlap

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def entity_keys(doc: AnnotatedDoc, label: str | None = None) -> list[tuple]:
    return [(e.start, e.end, e.label) for e in doc.entities if label in (None, e.label)]


def relation_key(r: Relation) -> tuple:
    """Strict identity of a relation: label and both argument spans and labels."""
    return (r.label, r.head.start, r.head.end, r.head.label, r.tail.start, r.tail.end, r.tail.label)


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
