"""The JSON record written for each tagged document."""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from pressdeals.document import AnnotatedDoc
from pressdeals.paths import SCHEMA_VERSION
from pressdeals.pipeline.deals import build_deals, build_facts


def model_info(nlp: Language) -> dict[str, Any]:
    """What every output record says about the pipeline that made it."""
    return {
        "name": f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}",
        "version": str(nlp.meta.get("version", "")),
        "schema_version": SCHEMA_VERSION,
    }


def _span(doc: AnnotatedDoc, start: int, end: int, label: str) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, "text": doc.text[start:end]}


def tagged_record(
    doc: AnnotatedDoc,
    source: str,
    model: dict[str, Any],
    include_text: bool = True,
    *,
    with_facts: bool = True,
) -> dict[str, Any]:
    """The record of `doc`; `with_facts=False` leaves `facts` empty (in its place) for a
    caller that builds them from deals it changes first (`pressdeals tag`)."""
    deals = doc.deals
    doc = doc.sorted()  # drops the deals a pipeline built: kept above
    record: dict[str, Any] = {"id": doc.id, "source": source}
    if include_text:
        record["text"] = doc.text
    record["entities"] = [_span(doc, e.start, e.end, e.label) for e in doc.entities]
    record["relations"] = [
        {
            "label": r.label,
            "head": _span(doc, r.head.start, r.head.end, r.head.label),
            "tail": _span(doc, r.tail.start, r.tail.end, r.tail.label),
            "score": None if r.score is None else round(r.score, 4),
        }
        for r in doc.relations
    ]
    record["aliases"] = [
        [_span(doc, e.start, e.end, e.label) for e in group] for group in doc.aliases
    ]
    if deals is None:
        deals = build_deals(doc)
    record["deals"] = deals
    record["facts"] = [f.as_dict() for f in build_facts(doc, deals)] if with_facts else []
    record["model"] = model
    return record
