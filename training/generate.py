"""Seeded generator of annotated press releases for data augmentation.

Documents are assembled from sentence templates (`training.templates`: positives, breakdowns,
conversions, hard negatives, and the schema v2 constructions: deals stated across two
sentences, events named by acronyms, short names, editions and brand names, headline deals
restated in the body) filled from `training.gazetteers`, written in the inline markup of
`pressdeals.inline` and parsed, so generated and hand-written documents share one code path.
Generated documents go to their own folder so that each kind can be measured.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import textwrap
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from pressdeals.brat import write_brat
from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.inline import parse_inline
from pressdeals.pipeline.text import sentence_index
from pressdeals.training import templates as t
from pressdeals.training.constructions import relation_problems
from pressdeals.training.generator_context import Context

# share of documents written with the schema v2 constructions; of those, the share whose main
# deal is stated only across two sentences (about a third of all documents)
V2_SHARE = 0.5
ACROSS_SHARE = 0.68
# body units: (template, probability) for every document, and the v2 additions
BODY: list[tuple[Callable[[Context], t.Unit | None], float]] = [
    (t.generic_event, 0.5),
    (t.company_deal, 0.5),
    (t.money_only, 0.3),
    (t.planned, 0.4),
    (t.trade_volume, 0.4),
    (t.attendance, 0.6),
    (t.hosts, 0.5),
]
V2_BODY: list[tuple[Callable[[Context], t.Unit | None], float]] = [
    (t.restatement, 0.5),
    (t.inner_event, 0.25),
    (t.pledged, 0.3),
    (t.under_negotiation, 0.3),
    (t.proposals, 0.3),
    (t.next_edition, 0.2),
]
_SENTENCE_BREAK = re.compile(r"(?<=[.!?]) (?=[A-Z\[])")
_EVENT_KEY = re.compile(r"\{EVENT#(\w+)\}")


class GeneratorError(RuntimeError):
    """A template produced a document that breaks the schema (a bug in the templates)."""


def _units(c: Context, rng: random.Random, v2: bool) -> list[t.Unit]:
    """Lead, its breakdown and the shuffled body of one document, in text order."""
    first = "formal"
    if v2 and c.names.acronym:
        first = rng.choice(["define", "define", "define_reversed"])
    if v2 and rng.random() < ACROSS_SHARE:
        lead = rng.choice(t.ACROSS_LEADS)(c, first)
    else:
        lead = t.lead(c, first)
    units = [lead]
    if rng.random() < 0.5:
        units.append(t.breakdown(c, lead.signing_event))
    if rng.random() < 0.3:
        units.append(t.threshold(c))
    if v2 and rng.random() < 0.35:
        units.append(t.previous_edition(c))
    chosen = [f for f, p in BODY if rng.random() < p]
    if v2:
        chosen += [f for f, p in V2_BODY if rng.random() < p]
    rng.shuffle(chosen)
    body = [f(c) for f in chosen]
    return _place_generic([u for u in units if u], [u for u in body if u], c)


def _last_sentence(unit: t.Unit) -> str:
    return _SENTENCE_BREAK.split(unit.text)[-1]


def _place_generic(core: list[t.Unit], body: list[t.Unit], c: Context) -> list[t.Unit]:
    """Put each sentence that refers to the event without naming it (`during the fair`) after
    one that names no other event, and link its deal to the main event when the sentence
    before names it (decision 14): the schema's reading of such a pair."""
    main = set(c.main_keys)
    units = core + [u for u in body if not u.follows_event]
    for unit in (u for u in body if u.follows_event):
        places = [
            (i, keys)
            for i in range(len(core), len(units) + 1)
            if (keys := set(_EVENT_KEY.findall(_last_sentence(units[i - 1])))) <= main
        ]
        if not places:  # every sentence before names another event: leave this one out
            continue
        i, keys = c.rng.choice(places)
        if keys:
            unit.relations.append(f"SIGNED_AT {unit.follows_event} {sorted(keys)[0]}")
            unit.tags += ("signed_at_previous",)
        units.insert(i, unit)
    return units


def generate_document(
    rng: random.Random, doc_id: str, wrap_probability: float = 0.3
) -> AnnotatedDoc:
    v2 = rng.random() < V2_SHARE
    style = rng.choices(["acronym", "brand", "plain"], weights=[6, 3, 1])[0] if v2 else "plain"
    c = Context(rng, style)
    head, dl = t.title(c), t.dateline(c)
    rest = _units(c, rng, v2)
    if rng.random() < 0.5:
        rest.append(t.footer(c))
    lines = [head.text, "", dl.text + " " + " ".join(u.text for u in rest[:2])]
    for i in range(2, len(rest), 2):
        lines += ["", " ".join(u.text for u in rest[i : i + 2])]
    relations = [r for u in (head, dl, *rest) for r in u.relations]
    if len(c.main_keys) > 1:
        relations.append("EQUIV " + " ".join(c.main_keys))
    source = "\n".join(lines) + "\n=== relations\n" + "\n".join(relations) + "\n"
    doc = nearest_signed_at(parse_inline(source, doc_id))
    if problems := relation_problems(doc):
        raise GeneratorError(f"{doc_id}: {problems[0]}\n{doc.text}")
    if rng.random() < wrap_probability:
        wrapped = hard_wrap(doc, rng.randint(64, 80), blank_lines=rng.random() < 0.5)
        # a wrap can (rarely) move a sentence boundary: keep the text unwrapped then
        if not relation_problems(wrapped) and _same_sentences(doc, wrapped):
            doc = wrapped
    return doc


def _same_sentences(doc: AnnotatedDoc, wrapped: AnnotatedDoc) -> bool:
    """Whether every relation's arguments are as many sentences apart after wrapping."""
    before, after = sentence_index(doc.text), sentence_index(wrapped.text)
    return [before[r.head.start] - before[r.tail.start] for r in doc.relations] == [
        after[r.head.start] - after[r.tail.start] for r in wrapped.relations
    ]


def nearest_signed_at(doc: AnnotatedDoc) -> AnnotatedDoc:
    """Point each SIGNED_AT at the schema's mention of its event: the nearest one (in
    characters) in the head's sentence, else the nearest in the sentence the template named."""
    index = sentence_index(doc.text)
    group_of = {e: group for group in doc.aliases for e in group}

    def gap(a: Entity, b: Entity) -> int:
        return max(b.start - a.end, a.start - b.end, 0)

    relations = []
    for rel in doc.relations:
        if rel.label == "SIGNED_AT" and rel.tail in group_of:
            group = group_of[rel.tail]
            pool = [e for e in group if index[e.start] == index[rel.head.start]] or [
                e for e in group if index[e.start] == index[rel.tail.start]
            ]
            tail = min(pool, key=lambda e: (gap(rel.head, e), e.start))
            rel = Relation(rel.head, tail, rel.label)
        relations.append(rel)
    doc.relations = relations
    return doc


def hard_wrap(doc: AnnotatedDoc, width: int, blank_lines: bool) -> AnnotatedDoc:
    """Re-break each paragraph but the headline at `width`, moving every offset with the text."""
    out, shift = [], [0] * (len(doc.text) + 1)
    pos, added = 0, 0
    for number, para in enumerate(re.split(r"(\n)", doc.text)):
        if number > 0 and para != "\n" and len(para) > width:
            wrapped = textwrap.wrap(para, width, break_long_words=False, break_on_hyphens=False)
            joiner = "\n\n" if blank_lines else "\n"
            new = joiner.join(wrapped)
            # map each old char index to its new index: spaces at breaks become the joiner
            j = 0
            for i, ch in enumerate(para):
                while new[j] != ch and not (ch == " " and new[j] == "\n"):
                    j += 1
                shift[pos + i] = added + (j - i)
                j += len(joiner) if ch == " " and new[j] == "\n" else 1
            added += len(new) - len(para)
            out.append(new)
        else:
            for i in range(len(para)):
                shift[pos + i] = added
            out.append(para)
        pos += len(para)
    shift[len(doc.text)] = added
    text = "".join(out)
    if blank_lines:  # layouts that add a blank line after every line double paragraph breaks too
        text, shift = _double_paragraph_breaks(text, doc.text, shift)

    def move(e: Entity) -> Entity:
        return Entity(e.start + shift[e.start], e.end - 1 + shift[e.end - 1] + 1, e.label)

    ents = {e: move(e) for e in doc.entities}
    rels = [Relation(ents[r.head], ents[r.tail], r.label) for r in doc.relations]
    aliases = [tuple(ents[e] for e in group) for group in doc.aliases]
    return AnnotatedDoc(doc.id, text, list(ents.values()), rels, aliases)


def _double_paragraph_breaks(text: str, original: str, shift: list[int]) -> tuple[str, list[int]]:
    """Turn each original blank-line paragraph break ("\n\n") into "\n\n\n\n"."""
    ends = [m.end() for m in re.finditer(r"\n\n", original)]
    new_text = list(text)
    for m in reversed(list(re.finditer(r"\n\n", original))):
        new_text.insert(m.start() + shift[m.start()], "\n\n")
    moved = [s + 2 * bisect_right(ends, i) for i, s in enumerate(shift)]
    return "".join(new_text), moved


def generate(
    n: int, seed: int, prefix: str = "gen", wrap_probability: float = 0.3
) -> list[AnnotatedDoc]:
    rng = random.Random(seed)
    return [generate_document(rng, f"{prefix}_{seed}_{i:04d}", wrap_probability) for i in range(n)]


def write_generated(n: int, seed: int, folder: Path) -> int:
    """Write the documents into `folder` (brat): all of them are written to a temporary
    folder beside it first and then moved in, so a failure leaves the old files whole."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs = generate(n, seed)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}.") as tmp:
        for doc in docs:
            write_brat(doc, Path(tmp))
        for path in sorted(Path(tmp).iterdir()):
            os.replace(path, folder / path.name)
    return n
