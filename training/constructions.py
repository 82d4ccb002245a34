"""The schema v2 constructions an annotated document carries, read from its annotation (not
from the generator's templates), so the generated corpus can be counted and tested.

    python -m pressdeals.training.constructions corpus/generated
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from pressdeals.document import AnnotatedDoc, Entity
from pressdeals.pipeline.aliases import is_acronym, name_parts
from pressdeals.pipeline.deals import build_facts
from pressdeals.pipeline.text import heading_flags, sentence_index, sentence_spans

# type words that make a name an event name; a group without one is brand-style
TYPE_WORDS = {
    "fair", "expo", "summit", "forum", "conference", "convention", "week", "exhibition",
    "meet", "show", "festival", "roundtable", "day", "breakfast", "congress",
}  # fmt: skip
_NEGATIVE = re.compile(
    r"pledged|expected to be signed|expect a further|to be signed|under negotiation|"
    r"proposals",
    re.IGNORECASE,
)
_PART_CUE = re.compile(r"^\s*Among them\b")
# what each name means, in the order of the report
NAMES = {
    "value_next": "VALUE across two sentences (count first)",
    "value_before_count": "VALUE across two sentences (amount first, count next)",
    "event_then_deals": "SIGNED_AT to the event named in the sentence before",
    "deals_then_event": "SIGNED_AT to the event named in the sentence after",
    "main_across": "main deal stated only across two sentences",
    "newswire_lead": "newswire lead: a first sentence about the event, the deals in the next",
    "acronym_defined_after": "acronym defined in brackets after the name (`Name (ACR)`)",
    "acronym_defined_before": "acronym defined before the name (`ACR (Name)`)",
    "acronym_reused": "defined acronym reused later",
    "short_name": "short name grouped with the full name",
    "edition_variant": "names with and without an edition or year grouped",
    "brand_name": "brand-style event name (no type word)",
    "separate_edition": "another edition named, not grouped",
    "inner_event": "an event held inside the main one, not grouped",
    "title_restated": "title deal restated in the body (one fact)",
    "restated_three": "deal stated in title, lead and later body (one fact)",
    "breakdown": "breakdown (`Among them, ...`) of a total",
    "negative": "hard negative (pledged, expected, to be signed, proposals)",
}


# the constructions that schema v1 documents never had (grouping a short name or an edition
# with the full name, breakdowns and SIGNED_AT from a breakdown to the sentence before follow
# from the v2 rules in any document that names its event twice or breaks a total down)
NEW = (
    "value_next",
    "value_before_count",
    "deals_then_event",
    "main_across",
    "acronym_defined_after",
    "acronym_defined_before",
    "brand_name",
    "separate_edition",
    "inner_event",
    "restated_three",
)


def relation_problems(doc: AnnotatedDoc) -> list[str]:
    """Relations that break schema v2's reach: more than one sentence boundary, or a title or
    heading line linked with the body."""
    index = sentence_index(doc.text)
    heading = heading_flags(doc.text, sentence_spans(doc.text))
    problems = []
    for r in doc.relations:
        a, b = index[r.head.start], index[r.tail.start]
        if a < 0 or b < 0 or abs(a - b) > 1:
            problems.append(f"{r.label} spans more than two sentences: {_pair(doc, r)}")
        elif a != b and (heading[a] or heading[b]):
            problems.append(f"{r.label} links a title or heading with the body: {_pair(doc, r)}")
    return problems


def _pair(doc: AnnotatedDoc, r) -> str:
    return f"{r.head.surface(doc.text)!r} -> {r.tail.surface(doc.text)!r}"


def _name(doc: AnnotatedDoc, e: Entity) -> str:
    return " ".join(e.surface(doc.text).split())


def constructions(doc: AnnotatedDoc) -> Counter[str]:
    """How many times `doc` carries each construction of `NAMES`."""
    found: Counter[str] = Counter()
    text, index = doc.text, sentence_index(doc.text)
    spans = sentence_spans(text)
    title = 0 if spans and heading_flags(text, spans)[0] else None
    for r in doc.relations:
        a, b = index[r.head.start], index[r.tail.start]
        if a == b:
            continue
        if r.label == "SIGNED_AT":
            found["event_then_deals" if b < a else "deals_then_event"] += 1
        elif r.head.start < r.tail.start:
            found["value_next"] += 1
        else:
            found["value_before_count"] += 1
    body_heads = sorted(r.head for r in doc.relations if index[r.head.start] != title and r.label)
    if body_heads:
        first = body_heads[0]
        if any(
            index[r.head.start] != index[r.tail.start] for r in doc.relations if r.head == first
        ):
            found["main_across"] += 1
    # the first body sentence (with the dateline) names the event, the next one the deals
    first_has_head = any(index[r.head.start] == 1 for r in doc.relations)
    if (
        title is not None
        and not first_has_head
        and any(index[r.tail.start] == 1 and index[r.head.start] == 2 for r in doc.relations)
    ):
        found["newswire_lead"] += 1
    _aliases(doc, found)
    _restated(doc, found, index, title)
    for s, e in spans:
        sentence = text[s:e]
        inside = [x for x in doc.entities if s <= x.start < e and x.label in ("COUNT", "MONEY")]
        linked = {x for r in doc.relations for x in (r.head, r.tail)}
        if _NEGATIVE.search(sentence) and any(x not in linked for x in inside):
            found["negative"] += 1
    return found


def _aliases(doc: AnnotatedDoc, found: Counter[str]) -> None:
    text = doc.text
    grouped = {e for g in doc.aliases for e in g}
    events = sorted(e for e in doc.entities if e.label == "EVENT")
    for group in doc.aliases:
        names = [_name(doc, e) for e in group]
        parts = [name_parts(n) for n in names]
        defined = set()
        for x, y in zip(group, group[1:], strict=False):
            if re.fullmatch(r"\s*\(\s*", text[x.end : y.start]):
                key = (
                    "acronym_defined_before"
                    if is_acronym(_name(doc, x))
                    else ("acronym_defined_after")
                )
                found[key] += 1
                defined |= {x, y}
        if defined and any(is_acronym(_name(doc, e)) for e in group if e not in defined):
            found["acronym_reused"] += 1
        longest = max(len(base) for base, _ in parts)
        if any(
            not is_acronym(n) and 1 < len(base) < longest
            for n, (base, _) in zip(names, parts, strict=True)
        ):
            found["short_name"] += 1
        if len({edition for _, edition in parts}) > 1:
            found["edition_variant"] += 1
    groups = {g[0]: g for g in doc.aliases}
    for e in events:
        if e not in grouped:
            groups[e] = (e,)
    bases = [name_parts(_name(doc, g[0]))[0] for g in groups.values()]
    canon = [max((_name(doc, e) for e in g), key=len) for g in groups.values()]
    if any(not is_acronym(n) and not set(n.lower().split()) & TYPE_WORDS for n in canon):
        found["brand_name"] += 1
    editions = [name_parts(c)[1] for c in canon]
    for i in range(len(canon)):
        for j in range(i + 1, len(canon)):
            if (
                editions[i]
                and editions[j]
                and editions[i] != editions[j]
                and (set(bases[i]) & set(bases[j]))
            ):
                found["separate_edition"] += 1
    if re.search(r"held on the sidelines of", text):
        found["inner_event"] += 1


def _restated(doc: AnnotatedDoc, found: Counter[str], index: list[int], title) -> None:
    if title is None:
        return
    text = doc.text
    for fact in build_facts(doc):
        starts = [s for s, _ in json.loads(fact.mention_spans)]
        sentences = [index[s] for s in starts]
        if title in sentences and any(s != title for s in sentences):
            found["title_restated"] += 1
            if len({s for s in sentences if s != title}) >= 2:
                found["restated_three"] += 1
        if fact.part_of is not None and any(
            _PART_CUE.search(text[s:e]) for s, e in sentence_spans(text) if s <= starts[0] < e
        ):
            found["breakdown"] += 1


def report(docs: list[AnnotatedDoc]) -> str:
    """A Markdown table: documents carrying each construction, and occurrences."""
    per_doc = [constructions(d) for d in docs]
    lines = ["| construction | documents | occurrences |", "|---|---|---|"]
    for key, meaning in NAMES.items():
        n_docs = sum(1 for c in per_doc if c[key])
        total = sum(c[key] for c in per_doc)
        lines.append(f"| {meaning} | {n_docs} | {total} |")
    any_new = sum(1 for c in per_doc if any(c[k] for k in NEW))
    lines.append(f"| documents with one of the constructions of `NEW` | {any_new} | |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from pressdeals.brat import read_brat_dir

    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m pressdeals.training.constructions BRAT_FOLDER", file=sys.stderr)
        return 2
    print(report(read_brat_dir(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
