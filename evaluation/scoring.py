"""Precision, recall and F1 for entities, relations and deal records.

Matching is strict: an entity counts when its span and label match a gold one; a relation
when its label and both argument spans and labels match (`Relation.key`); a deal record when
every field of `pipeline.deals.deal_key` matches; a deal fact when count, amount, currency and
canonical event name match (`pipeline.deals.fact_key`); alias grouping is scored pairwise.
"""

from __future__ import annotations

from pressdeals.document import AnnotatedDoc, Relation
from pressdeals.metrics import PRF
from pressdeals.pipeline.deals import build_deals, build_facts, deal_key, fact_key
from pressdeals.pipeline.text import sentence_index
from pressdeals.schema import ENTITY_LABELS, RELATION_LABELS


def entity_keys(doc: AnnotatedDoc, label: str | None = None) -> list[tuple]:
    return [(e.start, e.end, e.label) for e in doc.entities if label in (None, e.label)]


def relation_key(r: Relation) -> tuple:
    """Strict identity of a relation (see `Relation.key`)."""
    return r.key


def relation_keys(doc: AnnotatedDoc, label: str | None = None) -> list[tuple]:
    return [relation_key(r) for r in doc.relations if label in (None, r.label)]


def deal_keys(doc: AnnotatedDoc) -> list[tuple]:
    return [deal_key(d) for d in build_deals(doc)]


def fact_keys(doc: AnnotatedDoc) -> list[tuple]:
    return [fact_key(f) for f in build_facts(doc)]


def alias_pairs(doc: AnnotatedDoc) -> list[tuple]:
    """Pairwise view of alias grouping: every pair of EVENT mentions put in one group."""
    pairs = []
    for group in doc.aliases:
        spans = sorted((e.start, e.end) for e in group)
        pairs += [(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :]]
    return pairs


def sentence_distance(doc: AnnotatedDoc) -> dict[Relation, int]:
    """For each relation of `doc`, 0 when its arguments share a sentence, else 1."""
    index = sentence_index(doc.text)
    return {
        r: int(index[r.head.start] != index[r.tail.start]) for r in doc.relations
    }


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


def score_facts(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> dict[str, PRF]:
    """Deal facts compared by (count, amount, currency, canonical event name)."""
    prf = PRF()
    for gold, pred in pairs:
        prf.add(fact_keys(gold), fact_keys(pred))
    return {"micro": prf}


def score_aliases(pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]]) -> dict[str, PRF]:
    """Alias grouping, pairwise: precision and recall over mention pairs put in one group."""
    prf = PRF()
    for gold, pred in pairs:
        prf.add(alias_pairs(gold), alias_pairs(pred))
    return {"pairwise": prf}


def score_relations_by_distance(
    pairs: list[tuple[AnnotatedDoc, AnnotatedDoc]],
) -> dict[str, PRF]:
    """Relations split by where their arguments are: one sentence, or two consecutive ones
    (a predicted relation is counted by its own arguments' distance)."""
    table = {"same sentence": PRF(), "cross sentence": PRF()}
    for gold, pred in pairs:
        g_dist, p_dist = sentence_distance(gold), sentence_distance(pred)
        for d, name in ((0, "same sentence"), (1, "cross sentence")):
            table[name].add(
                [r.key for r in gold.relations if g_dist[r] == d],
                [r.key for r in pred.relations if p_dist[r] == d],
            )
    return table


def _label_order(label: str) -> tuple[int, str]:
    return (ENTITY_LABELS.index(label) if label in ENTITY_LABELS else len(ENTITY_LABELS), label)
