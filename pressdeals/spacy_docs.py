"""Conversion between `AnnotatedDoc` and spaCy `Doc`/`DocBin`.

Entities go to `doc.ents`, relations to `doc._.relations` (see `pipeline.extensions`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.extensions import register_extensions
from pressdeals.document import AnnotatedDoc, Entity, Relation

register_extensions()


class AlignmentError(ValueError):
    """An entity boundary falls inside a token of the project's tokenizer."""


def to_spacy(doc: AnnotatedDoc, nlp: Language) -> Doc:
    sdoc = nlp.make_doc(doc.text)
    spans = []
    for ent in sorted(doc.entities):
        span = sdoc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="strict")
        if span is None:
            raise AlignmentError(
                f"{doc.id}: entity {ent.label} {ent.start}-{ent.end} "
                f"{ent.surface(doc.text)!r} does not start and end on token boundaries"
            )
        spans.append(span)
    sdoc.ents = spans
    sdoc._.relations = [relation_to_dict(r) for r in doc.sorted().relations]
    sdoc.user_data["doc_id"] = doc.id
    return sdoc


def relation_to_dict(rel: Relation) -> dict:
    return {
        "label": rel.label,
        "head": [rel.head.start, rel.head.end],
        "tail": [rel.tail.start, rel.tail.end],
        "score": 1.0 if rel.score is None else float(rel.score),
    }


def from_spacy(sdoc: Doc, doc_id: str | None = None, keep_scores: bool = False) -> AnnotatedDoc:
    entities = [Entity(s.start_char, s.end_char, s.label_) for s in sdoc.ents]
    by_span = {(e.start, e.end): e for e in entities}
    relations = []
    for r in sdoc._.relations or []:
        head, tail = by_span.get(tuple(r["head"])), by_span.get(tuple(r["tail"]))
        if head is None or tail is None:
            raise ValueError(f"relation {r} refers to a span that is not an entity")
        relations.append(Relation(head, tail, r["label"], r.get("score") if keep_scores else None))
    if doc_id is None:
        doc_id = sdoc.user_data.get("doc_id", "")
    return AnnotatedDoc(doc_id, sdoc.text, entities, relations)


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
