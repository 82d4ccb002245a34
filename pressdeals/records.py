"""The JSON record written for each tagged document."""

from __future__ import annotations

from typing import Any

from pipeline.deals import build_deals
from pressdeals.document import AnnotatedDoc


def _span(doc: AnnotatedDoc, start: int, end: int, label: str) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, "text": doc.text[start:end]}


def tagged_record(
    doc: AnnotatedDoc, source: str, model: dict[str, str], include_text: bool = True
) -> dict[str, Any]:
    deals = doc.deals
    doc = doc.sorted()
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
    if deals is None:
        deals = build_deals(doc.text, doc.entities, doc.relations)
    record["deals"] = deals
    record["model"] = model
    return record
