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
import math
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pressdeals.document import AnnotatedDoc, Entity, Relation

_SURROGATE = re.compile(r"[\ud800-\udfff]")


# line breaks to Python's str.splitlines and to JavaScript, though JSON allows them raw
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LINE_BREAK = re.compile("[\x85\u2028\u2029]")


def json_line(obj: Any, *, ensure_ascii: bool = False) -> str:
    """`obj` as one JSONL line (no newline): strict JSON (no NaN or Infinity), with the
    characters that other readers take for line breaks escaped, so a line is always a line."""
    line = json.dumps(obj, ensure_ascii=ensure_ascii, allow_nan=False)
    return _LINE_BREAK.sub(lambda m: _LINE_BREAKS[m[0]], line)


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


def _int(value: Any, what: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise JsonlError(f"{where}: {what} must be an integer, not {value!r:.40}")
    return value


def _str(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str):
        raise JsonlError(f"{where}: {what} must be a string, not {value!r:.40}")
    return value


def _list(record: dict[str, Any], key: str, where: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise JsonlError(f"{where}: '{key}' must be a list, not {type(value).__name__}")
    return value


def _dict(value: Any, what: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise JsonlError(f"{where}: {what} must be an object, not {value!r:.40}")
    return value


def _span_key(value: Any, what: str, where: str) -> tuple[int, int]:
    span = _dict(value, what, where)
    if "start" not in span or "end" not in span:
        raise JsonlError(f"{where}: {what} needs 'start' and 'end'")
    return _int(span["start"], f"{what} start", where), _int(span["end"], f"{what} end", where)


def record_to_doc(record: dict[str, Any], where: str = "<record>") -> AnnotatedDoc:
    """The document a record describes; JsonlError (with `where`) for a wrong type, an
    offset outside the text, or a relation or alias on a span that is no entity."""
    record = _dict(record, "a record", where)
    if "text" not in record:
        raise JsonlError(f"{where}: no 'text' field")
    text = _str(record["text"], "'text'", where)
    if m := _SURROGATE.search(text):
        raise JsonlError(f"{where}: 'text' has an unpaired surrogate at character {m.start()}")
    doc_id = record.get("id", "")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    doc_id = "" if doc_id is None else _str(doc_id, "'id'", where)
    entities = []
    for i, item in enumerate(_list(record, "entities", where)):
        item = _dict(item, f"entity {i}", where)
        start, end = _span_key(item, f"entity {i}", where)
        label = _str(item.get("label"), f"entity {i} label", where)
        if not 0 <= start < end <= len(text):
            raise JsonlError(
                f"{where}: entity {i} offsets {start}-{end} out of range "
                f"(text has {len(text)} characters)"
            )
        entities.append(Entity(start, end, label))
    by_span = {(e.start, e.end): e for e in entities}
    relations = []
    for i, r in enumerate(_list(record, "relations", where)):
        r = _dict(r, f"relation {i}", where)
        keys = [_span_key(r.get(arg), f"relation {i} {arg}", where) for arg in ("head", "tail")]
        for key in keys:
            if key not in by_span:
                raise JsonlError(f"{where}: relation argument {key} is not an entity")
        score = r.get("score")
        if score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise JsonlError(f"{where}: relation {i} score must be a number, not {score!r:.40}")
        relations.append(
            Relation(
                by_span[keys[0]],
                by_span[keys[1]],
                _str(r.get("label"), f"relation {i} label", where),
                None if score is None else float(score),
            )
        )
    aliases = []
    for group in _list(record, "aliases", where):
        if not isinstance(group, list):
            raise JsonlError(f"{where}: an alias group must be a list, not {group!r:.40}")
        aliases.append(tuple(_alias_member(m, entities, by_span, where) for m in group))
    return AnnotatedDoc(doc_id, text, entities, relations, aliases)


def _alias_member(
    member: Any, entities: list[Entity], by_span: dict[tuple[int, int], Entity], where: str
) -> Entity:
    """An alias group member: an index into `entities` or a {start, end} span."""
    if isinstance(member, int) and not isinstance(member, bool):
        if not 0 <= member < len(entities):
            raise JsonlError(f"{where}: alias member {member} is not an entity index")
        return entities[member]
    key = _span_key(member, "alias member", where)
    if key not in by_span:
        raise JsonlError(f"{where}: alias member {key} is not an entity")
    return by_span[key]


def read_jsonl(path: Path) -> Iterator[AnnotatedDoc]:
    """The documents of a JSONL file; JsonlError (`path:line: message`) on the first bad line."""
    try:
        fh = open(path, "rb")
    except OSError as err:
        raise JsonlError(f"{path}:0: cannot read it ({err.strerror})") from err
    with fh:
        for number, raw in enumerate(fh, start=1):
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise JsonlError(
                    f"{where}: not UTF-8 (byte {err.start} of the line): re-save it as UTF-8"
                ) from err
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise JsonlError(f"{where}: invalid JSON ({err.msg})") from err
            except (ValueError, RecursionError) as err:  # huge integers, deep nesting
                raise JsonlError(f"{where}: unreadable JSON ({type(err).__name__})") from err
            if not isinstance(record, dict):
                raise JsonlError(f"{where}: expected a JSON object")
            yield record_to_doc(record, where)


def write_jsonl(docs: Iterable[AnnotatedDoc], path: Path) -> int:
    """Write `docs` beside `path` and rename: a reader never sees half a file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json_line(doc_to_record(doc)) + "\n")
                n += 1
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
