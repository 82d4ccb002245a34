"""Deal records and deal facts: the normalised rows a user keeps in a table (ANNOTATION.md).

A **deal record** is one statement of a deal: one per COUNT that heads a VALUE or SIGNED_AT
relation and one per MONEY that heads a SIGNED_AT (a JSON-ready dict with every span used).
Its event is the canonical name of the SIGNED_AT tail's alias group, or of the document's main
event (marked inferred).

A **deal fact** (`DealFact`) is one deal: the records of a document that restate it (title,
lead, body) merged by the schema's rule, with all their mentions. A fact stated as a part of
another (a breakdown of a total) names that total in `part_of`, so a user summing facts can
leave parts out. Built from plain entities, relations and alias groups so that gold data and
predictions share the same code.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.pipeline.normalize import ParsedMoney, parse_count, parse_money
from pressdeals.pipeline.text import sentence_spans

# words that open the statement of a part of a total given just before
_PART_CUE = re.compile(
    r"\b(?:among (?:them|these|which|those)|of (?:them|these|which|those|the total)|"
    r"including|includ(?:es|ed)|of this|of that|broken down|comprising|consisting of)\b",
    re.IGNORECASE,
)
_AMOUNT_TOLERANCE = 0.005  # relative; parts of a total often add up only after rounding


@dataclass
class DealFact:
    """One deal of a document, as a table row (the CSV and Parquet columns come from here)."""

    fact: int  # index of the fact in its document
    count: int | None
    count_max: int | None
    count_approximator: str | None
    amount: float | None
    amount_max: float | None
    currency: str | None
    currency_inferred: bool | None
    value_approximator: str | None
    value_text: str | None
    value_reason: str | None
    event: str | None  # canonical name of the event's alias group
    event_inferred: bool | None
    part_of: int | None  # the fact this one is a stated part of (a breakdown of a total)
    mentions: int  # how many deal records state this deal
    mention_spans: str  # JSON list of [start, end] of every record's head, in text order

    def as_dict(self) -> dict[str, Any]:
        # every field is a scalar: what `dataclasses.asdict` gives, without its deep copies
        return {name: getattr(self, name) for name in FACT_FIELDS}


FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DealFact))
# the Python type of each column, for the Parquet schema
FACT_TYPES: dict[str, type] = {
    "fact": int,
    "count": int,
    "count_max": int,
    "count_approximator": str,
    "amount": float,
    "amount_max": float,
    "currency": str,
    "currency_inferred": bool,
    "value_approximator": str,
    "value_text": str,
    "value_reason": str,
    "event": str,
    "event_inferred": bool,
    "part_of": int,
    "mentions": int,
    "mention_spans": str,
}
assert set(FACT_TYPES) == set(FACT_FIELDS)


def _span(ent: Entity, text: str) -> dict[str, Any]:
    return {"start": ent.start, "end": ent.end, "text": text[ent.start : ent.end]}


MoneyParser = Callable[[Entity], ParsedMoney]


def money_parser(text: str) -> MoneyParser:
    """`parse_money` of a MONEY mention of `text`, once per mention: the document's currency
    and each deal record read the same mentions."""
    parsed: dict[tuple[int, int], ParsedMoney] = {}

    def parse(ent: Entity) -> ParsedMoney:
        key = (ent.start, ent.end)
        if key not in parsed:
            # the document settles ambiguous markers it names elsewhere ("Sh" in a Ugandan
            # release)
            parsed[key] = parse_money(text[ent.start : ent.end], context=text)
        return parsed[key]

    return parse


def _money(
    ent: Entity, text: str, doc_currency: str | None, parse: MoneyParser | None = None
) -> dict[str, Any]:
    parsed = (parse or money_parser(text))(ent)
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


def document_currency(
    text: str, entities: list[Entity], parse: MoneyParser | None = None
) -> str | None:
    """The most frequent explicit currency among the MONEY mentions (first seen wins ties)."""
    parse = parse or money_parser(text)
    found = [parse(e).currency for e in sorted(entities) if e.label == "MONEY"]
    counts = Counter(c for c in found if c)
    if not counts:
        return None
    best = max(counts.values())
    return next(c for c in found if c and counts[c] == best)


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


def event_groups(doc: AnnotatedDoc) -> dict[Entity, tuple[Entity, ...]]:
    """The alias group of every EVENT mention (a mention without a group is its own)."""
    groups: dict[Entity, tuple[Entity, ...]] = {}
    for group in doc.aliases:
        members = tuple(sorted(e for e in group if e.label == "EVENT"))
        for ent in members:
            groups[ent] = members
    for ent in doc.entities:
        if ent.label == "EVENT" and ent not in groups:
            groups[ent] = (ent,)
    return groups


def canonical_name(group: tuple[Entity, ...], text: str) -> str:
    """The longest mention of the group; the first on ties, title case beating lowercase."""

    def rank(ent: Entity) -> tuple[int, int, int]:
        surface = " ".join(text[ent.start : ent.end].split())
        return (-len(surface), 0 if surface[:1].isupper() else 1, ent.start)

    best = min(group, key=rank)
    return " ".join(text[best.start : best.end].split())


def main_event(doc: AnnotatedDoc) -> tuple[Entity, ...] | None:
    """The document's main event (an alias group): the one with a mention in the title, else
    the one with the most mentions, else the first named."""
    groups = event_groups(doc)
    if not groups:
        return None
    unique = sorted(set(groups.values()), key=lambda g: g[0].start)
    sentences = sentence_spans(doc.text)
    if sentences:
        t_start, t_end = sentences[0]
        in_title = [g for g in unique if any(t_start <= e.start and e.end <= t_end for e in g)]
        if in_title:
            return in_title[0]
    most = max(len(g) for g in unique)
    return next(g for g in unique if len(g) == most)


def build_deals(doc: AnnotatedDoc) -> list[dict]:
    """The mention-level deal records of `doc`, in text order of their heads."""
    text = doc.text
    parse = money_parser(text)
    currency = document_currency(text, doc.entities, parse)
    groups = event_groups(doc)
    fallback = main_event(doc)
    heads: dict[Entity, dict[str, list[Relation]]] = {}
    for rel in doc.relations:
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
        record["value"] = _money(values[0], text, currency, parse) if values else None
        record["conversions"] = [_money(v, text, currency, parse) for v in values[1:]]
        signed_at = sorted((r.tail for r in rels["SIGNED_AT"]), key=lambda e: e.start)
        if signed_at:
            group = groups.get(signed_at[0], (signed_at[0],))
            record["event"] = {
                **_span(signed_at[0], text),
                "canonical": canonical_name(group, text),
                "inferred": False,
            }
        elif fallback is not None:
            record["event"] = {
                **_span(fallback[0], text),
                "canonical": canonical_name(fallback, text),
                "inferred": True,
            }
        else:
            record["event"] = None
        records.append(record)
    return records


def deal_key(record: dict) -> tuple:
    """What must agree for a predicted deal record to count as correct (mention level)."""
    value = record.get("value") or {}
    amount = value.get("amount")
    return (
        record["head"]["start"],
        record["head"]["end"],
        record.get("count"),
        None if amount is None else round(amount, 2),
        value.get("currency"),
        _event_key(record),
    )


def _event_key(record: dict) -> str | None:
    event = record.get("event") or {}
    return _name_key(event.get("canonical") or event.get("text") or "") or None


def fact_key(fact: DealFact) -> tuple:
    """What must agree for a predicted deal fact to count as correct: count, amount (to the
    cent), currency and the canonical event name (case and spacing ignored)."""
    return (
        fact.count,
        None if fact.amount is None else round(fact.amount, 2),
        fact.currency,
        _name_key(fact.event or "") or None,
    )


def _amount(record: dict) -> tuple[float | None, str | None]:
    value = record.get("value") or {}
    amount = value.get("amount")
    return (None if amount is None else round(amount, 2)), value.get("currency")


# what `_restates` compares of a record: (event key, amount to the cent, currency, count)
Said = tuple[str | None, float | None, str | None, Any]


def _said(record: dict) -> Said:
    return (_event_key(record), *_amount(record), record.get("count"))


def _restates(fact: list[Said], said: Said) -> bool:
    """The schema's rule: same canonical event, and the same amount and currency with counts
    that agree or are missing on one side; or the same count where at most one of the two
    states an amount (`184 MoUs signed` in a title, `184 MoUs worth ...` in the body: decision
    49)."""
    event, amount, currency, count = said
    for o_event, o_amount, o_currency, o_count in fact:
        if o_event != event:
            return False
        if amount is None or o_amount is None:
            agree = count is not None and count == o_count
        else:
            counts_agree = None in (count, o_count) or count == o_count
            agree = (amount, currency) == (o_amount, o_currency) and counts_agree
        if not agree:
            return False
    return True


def build_facts(doc: AnnotatedDoc, records: list[dict] | None = None) -> list[DealFact]:
    """Merge the deal records of `doc` that restate one deal into facts, in text order."""
    records = build_deals(doc) if records is None else records
    clusters: list[list[dict]] = []
    # a record restates only clusters of its own event (`_restates`): looking among those
    # alone keeps a long document's cost linear in its events' deals, not quadratic in all
    by_event: dict[str | None, list[tuple[list[dict], list[Said]]]] = {}
    for record in sorted(records, key=lambda r: r["head"]["start"]):
        said = _said(record)
        same_event = by_event.setdefault(said[0], [])
        target = next((c for c in same_event if _restates(c[1], said)), None)
        if target is None:
            clusters.append([record])
            same_event.append((clusters[-1], [said]))
        else:
            target[0].append(record)
            target[1].append(said)
    facts = [_fact(i, cluster) for i, cluster in enumerate(clusters)]
    _link_parts(doc.text, facts, clusters)
    return facts


def _first(cluster: list[dict], get) -> Any:
    return next((v for v in map(get, cluster) if v is not None), None)


def _fact(index: int, cluster: list[dict]) -> DealFact:
    with_count = next((r for r in cluster if r.get("count") is not None), cluster[0])
    with_value = next((r for r in cluster if r.get("value")), None)
    value = (with_value or {}).get("value") or {}
    events = [r.get("event") for r in cluster if r.get("event")]
    return DealFact(
        fact=index,
        count=with_count.get("count"),
        count_max=with_count.get("count_max"),
        count_approximator=with_count.get("count_approximator"),
        amount=value.get("amount"),
        amount_max=value.get("amount_max"),
        currency=value.get("currency"),
        currency_inferred=value.get("currency_inferred") if value else None,
        value_approximator=value.get("approximator"),
        value_text=" ".join(value["text"].split()) if value else None,
        value_reason=value.get("reason"),
        event=events[0].get("canonical") or events[0]["text"] if events else None,
        event_inferred=all(e["inferred"] for e in events) if events else None,
        part_of=None,
        mentions=len(cluster),
        mention_spans=json.dumps([[r["head"]["start"], r["head"]["end"]] for r in cluster]),
    )


def _size(fact: DealFact) -> tuple[float | None, int | None]:
    return fact.amount, fact.count


def _link_parts(text: str, facts: list[DealFact], clusters: list[list[dict]]) -> None:
    """Mark breakdowns: a fact whose statement opens with a part cue (`Among them`, `of
    which`, `including` ...) in its sentence, after a larger fact of the same event and
    currency, is `part_of` the nearest such fact; so are consecutive facts whose counts or
    amounts add up exactly (amounts within 0.5%) to an earlier fact's."""
    sentences = sentence_spans(text)
    sentence_starts = [s for s, _ in sentences]
    starts = [min(r["head"]["start"] for r in c) for c in clusters]

    def sentence_prefix(pos: int) -> str:
        i = bisect_right(sentence_starts, pos) - 1  # the last sentence starting at or before
        if i >= 0 and pos < sentences[i][1]:
            return text[sentences[i][0] : pos]
        return ""

    def larger(total: DealFact, part: DealFact) -> bool:
        if total.event != part.event or total is part:
            return False
        if total.amount is not None and part.amount is not None:
            return total.currency == part.currency and part.amount < total.amount
        return total.count is not None and part.count is not None and part.count < total.count

    for i, part in enumerate(facts):
        if _PART_CUE.search(sentence_prefix(starts[i])):
            earlier = [t for t in facts[:i] if larger(t, part) and t.part_of is None]
            if earlier:
                part.part_of = earlier[-1].fact
    for t, total in enumerate(facts):
        for attr in ("amount", "count"):
            goal = getattr(total, attr)
            if goal is None:
                continue
            run, acc = [], 0.0
            for part in facts[t + 1 :]:
                value = getattr(part, attr)
                if value is None or not larger(total, part):
                    break
                run.append(part)
                acc += value
                close = abs(acc - goal) <= (_AMOUNT_TOLERANCE * goal if attr == "amount" else 0)
                if len(run) > 1 and close:
                    for p in run:
                        p.part_of = total.fact if p.part_of is None else p.part_of
                    break
                if acc > goal * (1 + _AMOUNT_TOLERANCE):
                    break
