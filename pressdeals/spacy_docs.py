"""Conversion between `AnnotatedDoc` and spaCy `Doc`/`DocBin`.

Entities go to `doc.ents`, relations to `doc._.relations`, event alias groups to
`doc._.aliases` (see `pipeline.extensions`). `from_spacy` is the one way back, used for gold
DocBins, for pipeline output (with offsets mapped to the original text) and by the
`deal_records` component.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.pipeline.extensions import doc_text, register_extensions

register_extensions()


class AlignmentError(ValueError):
    """An entity boundary falls inside a token of the project's tokenizer."""


def to_spacy(doc: AnnotatedDoc, nlp: Language, alignment_mode: str = "strict") -> Doc:
    """A `Doc` over `doc.text` with its annotations; raises AlignmentError when an entity does
    not fall on token boundaries (with `alignment_mode="expand"`, it grows to whole tokens)."""
    sdoc = nlp.make_doc(doc.text)
    spans = []
    for ent in sorted(doc.entities):
        span = sdoc.char_span(ent.start, ent.end, label=ent.label, alignment_mode=alignment_mode)
        if span is None:
            raise AlignmentError(
                f"{doc.id}: entity {ent.label} {ent.start}-{ent.end} "
                f"{ent.surface(doc.text)!r} does not start and end on token boundaries"
            )
        spans.append(span)
    sdoc.ents = spans
    ordered = doc.sorted()
    sdoc._.relations = [relation_to_dict(r) for r in ordered.relations]
    sdoc._.aliases = [[[e.start, e.end] for e in group] for group in ordered.aliases]
    sdoc.user_data["doc_id"] = doc.id
    if doc.deals is not None:
        sdoc._.deals = doc.deals
    return sdoc


def relation_to_dict(rel: Relation) -> dict:
    return {
        "label": rel.label,
        "head": [rel.head.start, rel.head.end],
        "tail": [rel.tail.start, rel.tail.end],
        "score": 1.0 if rel.score is None else float(rel.score),
    }


def from_spacy(
    sdoc: Doc,
    doc_id: str | None = None,
    *,
    keep_scores: bool = False,
    label_map: dict[str, str] | None = None,
    to_original: Callable[[int, int], tuple[int, int]] | None = None,
    text: str | None = None,
) -> AnnotatedDoc:
    """The annotations of `sdoc` as an AnnotatedDoc.

    `label_map` renames entity labels and drops the ones it does not name (with relations on
    them); `to_original` maps `(start, end)` in `sdoc.text` to offsets in `text`, the original
    text the pipeline saw a transformed copy of (deal records' spans are moved too).
    """
    text = doc_text(sdoc) if text is None else text
    move = to_original or (lambda start, end: (start, end))
    entities: dict[tuple[int, int], Entity] = {}
    for span in sdoc.ents:
        label = span.label_ if label_map is None else label_map.get(span.label_)
        if label is not None:
            key = (span.start_char, span.end_char)
            entities[key] = Entity(*move(*key), label)
    relations = []
    for r in sdoc._.relations or []:
        head, tail = entities.get(tuple(r["head"])), entities.get(tuple(r["tail"]))
        if head is None or tail is None:
            if label_map is not None:
                continue
            raise ValueError(f"relation {r} refers to a span that is not an entity")
        score = r.get("score") if keep_scores else None
        relations.append(Relation(head, tail, r["label"], score))
    aliases = [
        tuple(entities[key] for key in map(tuple, group) if key in entities)
        for group in sdoc._.aliases or []
    ]
    deals = None
    if sdoc._.deals is not None and label_map is None:
        # unmoved, the pipeline's records are already right: no copy
        deals = sdoc._.deals if to_original is None else _move_spans(sdoc._.deals, move, text)
    if doc_id is None:
        doc_id = sdoc.user_data.get("doc_id", "")
    return AnnotatedDoc(
        doc_id, text, list(entities.values()), relations, [g for g in aliases if len(g) > 1], deals
    )


def _move_spans(value: Any, move: Callable[[int, int], tuple[int, int]], text: str) -> Any:
    """A copy of a deal record with every {start, end, text} span moved by `move`."""
    if isinstance(value, list):
        return [_move_spans(v, move, text) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _move_spans(v, move, text) for k, v in value.items()}
    if "start" in out and "end" in out and "text" in out:
        out["start"], out["end"] = move(out["start"], out["end"])
        out["text"] = text[out["start"] : out["end"]]
    return out


def write_docbin(docs: Iterable[AnnotatedDoc], nlp: Language, path: Path) -> int:
    db = DocBin(store_user_data=True)
    n = 0
    for doc in docs:
        db.add(to_spacy(doc, nlp))
        n += 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # write beside and rename: a training run reading the old file never sees half a file
    tmp = path.with_name(path.name + ".tmp")
    db.to_disk(tmp)
    os.replace(tmp, path)
    return n


def read_docbin(path: Path, nlp: Language) -> Iterator[AnnotatedDoc]:
    for sdoc in DocBin().from_disk(path).get_docs(nlp.vocab):
        yield from_spacy(sdoc)
