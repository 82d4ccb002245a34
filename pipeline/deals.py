"""Deal records: the normalised rows a user keeps in a table (see ANNOTATION.md).

One record per COUNT that heads a VALUE or SIGNED_AT relation and one per MONEY that heads a
SIGNED_AT. Built from plain entities and relations so that gold data and predictions share
the same code.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pressdeals.document import Entity, Relation
from pressdeals.pipeline.normalize import parse_count, parse_money
from pressdeals.pipeline.text import sentence_spans


def _span(ent: Entity, text: str) -> dict[str, Any]:
    return {"start": ent.start, "end": ent.end, "text": text[ent.start : ent.end]}


def _money(ent: Entity, text: str, doc_currency: str | None) -> dict[str, Any]:
    parsed = parse_money(text[ent.start : ent.end])
    currency, inferred = parsed.currency, False
    if currency is None and parsed.amount is not None and doc_currency is not None:
        currency, inferred = doc_currency, True
    reason = parsed.reason
    if reason is None and currency is None:
        reason = "no currency in the mention or elsewhere in the document"
    return {
        **_span(ent, text),
        "amount": parsed.amount,
        "amount_max": parsed.amount_max,
        "currency": currency,
        "currency_inferred": inferred,
        "approximator": parsed.approximator,
        "reason": reason,
    }


def document_currency(text: str, entities: list[Entity]) -> str | None:
    """The most frequent explicit currency among the MONEY mentions (first seen wins ties)."""
    found = [
        parse_money(text[e.start : e.end]).currency for e in sorted(entities) if e.label == "MONEY"
    ]
    counts = Counter(c for c in found if c)
    if not counts:
        return None
    best = max(counts.values())
    return next(c for c in found if c and counts[c] == best)


def main_event(text: str, entities: list[Entity]) -> Entity | None:
    """The document's first named EVENT, preferring one in the title (first sentence)."""
    events = sorted(e for e in entities if e.label == "EVENT")
    if not events:
        return None
    sentences = sentence_spans(text)
    if sentences:
        t_start, t_end = sentences[0]
        in_title = [e for e in events if t_start <= e.start and e.end <= t_end]
        if in_title:
            return in_title[0]
    return events[0]


def build_deals(text: str, entities: list[Entity], relations: list[Relation]) -> list[dict]:
    currency = document_currency(text, entities)
    fallback_event = main_event(text, entities)
    heads: dict[Entity, dict[str, list[Relation]]] = {}
    for rel in relations:
        if (
            rel.label == "VALUE"
            and rel.head.label == "COUNT"
            or (rel.label == "SIGNED_AT" and rel.head.label in ("COUNT", "MONEY"))
        ):
            heads.setdefault(rel.head, {"VALUE": [], "SIGNED_AT": []})[rel.label].append(rel)
    records = []
    for head in sorted(heads):
        rels = heads[head]
        record: dict[str, Any] = {"head": {**_span(head, text), "label": head.label}}
        values = sorted((r.tail for r in rels["VALUE"]), key=lambda e: e.start)
        if head.label == "COUNT":
            parsed = parse_count(text[head.start : head.end])
            record["count"] = parsed.value
            record["count_max"] = parsed.value_max
            record["count_approximator"] = parsed.approximator
            if parsed.reason:
                record["count_reason"] = parsed.reason
        else:
            record["count"] = None
            values = [head]
        record["value"] = _money(values[0], text, currency) if values else None
        record["conversions"] = [_money(v, text, currency) for v in values[1:]]
        signed_at = sorted((r.tail for r in rels["SIGNED_AT"]), key=lambda e: e.start)
        if signed_at:
            record["event"] = {**_span(signed_at[0], text), "inferred": False}
        elif fallback_event is not None:
            record["event"] = {**_span(fallback_event, text), "inferred": True}
        else:
            record["event"] = None
        records.append(record)
    return records


def deal_key(record: dict) -> tuple:
    """What must agree for a predicted deal record to count as correct."""
    value = record.get("value") or {}
    event = record.get("event") or {}
    amount = value.get("amount")
    return (
        record["head"]["start"],
        record["head"]["end"],
        record.get("count"),
        None if amount is None else round(amount, 2),
        value.get("currency"),
        " ".join(event.get("text", "").lower().split()) or None,
    )
