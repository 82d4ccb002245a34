"""JSONL: one annotated document per line.

    {"id": ..., "text": ...,
     "entities": [{"start": 0, "end": 12, "label": "COUNT", "text": "137 Projects"}, ...],
     "relations": [{"label": "VALUE", "head": {"start": 0, "end": 12},
                    "tail": {"start": 99, "end": 117}, "score": 0.98}, ...],
     "aliases": [[{"start": 40, "end": 95}, {"start": 300, "end": 308}], ...]}

`score` is optional (gold data has none). Relation arguments and alias members are found
among the document's entities by their offsets; an alias member may also be given as the
index of an entity in `entities`. `aliases` (schema v2 `Equiv` groups) is optional.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pressdeals.document import AnnotatedDoc, Entity, Relation


class JsonlError(ValueError):
    """A malformed record, with `path:line: message` in its text."""


def doc_to_record(doc: AnnotatedDoc) -> dict[str, Any]:
    doc = doc.sorted()
    relations = []
    for rel in doc.relations:
        item: dict[str, Any] = {
            "label": rel.label,
            "head": {"start": rel.head.start, "end": rel.head.end},
            "tail": {"start": rel.tail.start, "end": rel.tail.end},
        }
        if rel.score is not None:
            item["score"] = round(rel.score, 4)
        relations.append(item)
    return {
        "id": doc.id,
        "text": doc.text,
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.surface(doc.text)}
            for e in doc.entities
        ],
        "relations": relations,
        "aliases": [[{"start": e.start, "end": e.end} for e in group] for group in doc.aliases],
    }


def record_to_doc(record: dict[str, Any], where: str = "<record>") -> AnnotatedDoc:
    try:
        text = record["text"]
        entities = [
            Entity(int(e["start"]), int(e["end"]), str(e["label"]))
            for e in record.get("entities", [])
        ]
        by_span = {(e.start, e.end): e for e in entities}
        relations = []
        for r in record.get("relations", []):
            head_key = (int(r["head"]["start"]), int(r["head"]["end"]))
            tail_key = (int(r["tail"]["start"]), int(r["tail"]["end"]))
            for key in (head_key, tail_key):
                if key not in by_span:
                    raise JsonlError(f"{where}: relation argument {key} is not an entity")
            score = r.get("score")
            relations.append(
                Relation(
                    by_span[head_key],
                    by_span[tail_key],
                    str(r["label"]),
                    None if score is None else float(score),
                )
            )
        aliases = [
            tuple(_alias_member(m, entities, by_span, where) for m in group)
            for group in record.get("aliases") or []
        ]
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, JsonlError):
            raise
        raise JsonlError(f"{where}: malformed record ({type(err).__name__}: {err})") from err
    if not isinstance(text, str):
        raise JsonlError(f"{where}: 'text' must be a string")
    return AnnotatedDoc(str(record.get("id", "")), text, entities, relations, aliases)


def _alias_member(
    member: Any, entities: list[Entity], by_span: dict[tuple[int, int], Entity], where: str
) -> Entity:
    """An alias group member: an index into `entities` or a {start, end} span."""
    if isinstance(member, int) and not isinstance(member, bool):
        if not 0 <= member < len(entities):
            raise JsonlError(f"{where}: alias member {member} is not an entity index")
        return entities[member]
    key = (int(member["start"]), int(member["end"]))
    if key not in by_span:
        raise JsonlError(f"{where}: alias member {key} is not an entity")
    return by_span[key]


def read_jsonl(path: Path) -> Iterator[AnnotatedDoc]:
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise JsonlError(f"{where}: invalid JSON ({err.msg})") from err
            if not isinstance(record, dict):
                raise JsonlError(f"{where}: expected a JSON object")
            yield record_to_doc(record, where)


def write_jsonl(docs: Iterable[AnnotatedDoc], path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc_to_record(doc), ensure_ascii=False) + "\n")
            n += 1
    return n
