"""Checks annotated documents against the schema and reports `file:line: message`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pressdeals.brat import BratError, ann_path, parse_ann, read_ann, read_text, surface_field
from pressdeals.pipeline.text import heading_flags, sentence_index, sentence_spans
from pressdeals.schema import ENTITY_LABELS, RELATION_LABELS, relation_allowed

_OPENERS = {'"': '"', "'": "'", "“": "”", "‘": "’", "(": ")", "[": "]", "«": "»", "「": "」"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_DETERMINERS = ("the ", "The ", "a ", "an ", "this ", "This ", "these ", "These ")
_DETERMINERS += ("another ", "Another ", "its ", "Its ")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {tag}{self.message}"


@dataclass(frozen=True)
class _Ent:
    id: str
    label: str
    start: int
    end: int
    surface: str | None  # as written in the annotation file, when it has one
    line: int


@dataclass(frozen=True)
class _Rel:
    id: str
    label: str
    arg1: str
    arg2: str
    line: int


def enclosing_mark(span: str) -> str | None:
    """The quote or bracket that wrongly starts or ends `span`, if any.

    A mark is fine inside a name (`“Brighter Moonlight” Gala`) but not when it encloses the
    whole span or has lost its partner to the boundary.
    """
    first, last = span[:1], span[-1:]
    if first in _OPENERS and (last == _OPENERS[first] or _OPENERS[first] not in span[1:]):
        return first
    if last in _CLOSERS and (first == _CLOSERS[last] or _CLOSERS[last] not in span[:-1]):
        return last
    return None


@dataclass(frozen=True)
class _Equiv:
    members: tuple[str, ...]
    line: int


def check_document(
    text: str,
    ents: list[_Ent],
    rels: list[_Rel],
    path: str,
    equivs: list[_Equiv] | None = None,
) -> list[Problem]:
    problems: list[Problem] = []

    def err(line: int, msg: str, severity: str = "error") -> None:
        problems.append(Problem(path, line, severity, msg))

    seen: dict[str, int] = {}

    def first_use(item: _Ent | _Rel) -> bool:
        if item.id in seen:
            err(item.line, f"duplicate id {item.id} (first on line {seen[item.id]})")
            return False
        seen[item.id] = item.line
        return True

    valid: dict[str, _Ent] = {}
    for e in ents:
        if not first_use(e):
            continue
        if e.label not in ENTITY_LABELS:
            err(e.line, f"unknown entity label {e.label!r}; allowed: {', '.join(ENTITY_LABELS)}")
        if not (0 <= e.start < e.end <= len(text)):
            err(e.line, f"offsets {e.start}-{e.end} out of range (text has {len(text)} characters)")
            continue
        span = text[e.start : e.end]
        if e.surface is not None and surface_field(span) != e.surface:
            err(
                e.line,
                f"surface {e.surface!r} does not match the text at {e.start}-{e.end}: {span!r}",
            )
            continue
        if span != span.strip():
            err(e.line, f"span {span!r} starts or ends with whitespace")
        elif mark := enclosing_mark(span):
            err(e.line, f"span {span!r} starts or ends with an enclosing {mark!r}: leave it out")
        elif span.startswith(_DETERMINERS):
            err(e.line, f"span {span!r} starts with a determiner: leave it out", "warning")
        elif span.endswith(("'s", "’s")) and e.label != "COUNT":
            err(e.line, f"span {span!r} ends with a possessive 's: leave it out", "warning")
        valid[e.id] = e
    ordered = sorted(valid.values(), key=lambda e: (e.start, -e.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            kind = "nested in" if b.end <= a.end else "overlaps"
            err(b.line, f"entity {b.id} {text[b.start : b.end]!r} {kind} {a.id} (line {a.line})")

    sentence_of = sentence_index(text) if rels else []
    heading = heading_flags(text, sentence_spans(text)) if rels else []
    pairs: dict[tuple[str, str, str], int] = {}
    for r in rels:
        if not first_use(r):
            continue
        if r.label not in RELATION_LABELS:
            err(
                r.line, f"unknown relation label {r.label!r}; allowed: {', '.join(RELATION_LABELS)}"
            )
            continue
        missing = [a for a in (r.arg1, r.arg2) if a not in valid]
        if missing:
            err(r.line, f"relation argument(s) {', '.join(missing)} not defined or invalid")
            continue
        head, tail = valid[r.arg1], valid[r.arg2]
        if not relation_allowed(r.label, head.label, tail.label):
            err(r.line, f"{r.label} cannot link {head.label} -> {tail.label}")
        key = (r.label, r.arg1, r.arg2)
        if key in pairs:
            err(r.line, f"duplicate relation (same as line {pairs[key]})")
        pairs[key] = r.line
        s_head, s_tail = sentence_of[head.start], sentence_of[tail.start]
        if abs(s_head - s_tail) > 1:
            err(
                r.line,
                f"{r.label} arguments {head.id} and {tail.id} are more than one sentence apart "
                "(schema v2 links one sentence or two consecutive ones)",
            )
        elif s_head != s_tail and (heading[s_head] or heading[s_tail]):
            err(
                r.line,
                f"{r.label} links {head.id} and {tail.id} across a title or heading line "
                "and the body (schema v2 never does)",
            )
    in_group: dict[str, int] = {}
    for eq in equivs or []:
        if len(eq.members) < 2:
            err(eq.line, "an Equiv group needs two or more mentions")
        for member in eq.members:
            if member not in valid:
                err(eq.line, f"Equiv member {member} is not defined or invalid")
            elif valid[member].label != "EVENT":
                err(eq.line, f"Equiv member {member} is {valid[member].label}: only EVENTs")
            elif member in in_group:
                err(eq.line, f"{member} is already in the Equiv group on line {in_group[member]}")
            else:
                in_group[member] = eq.line
    return problems


def validate_brat(txt_path: Path) -> list[Problem]:
    ann = ann_path(txt_path)
    if not ann.exists():
        return [Problem(str(ann), 0, "error", f"missing .ann file for {txt_path.name}")]
    try:
        text = read_text(txt_path)
        ann_text = read_ann(ann)
    except BratError as exc:  # `path:0: message`
        path, _, message = str(exc).partition(":0: ")
        return [Problem(path, 0, "error", message)]
    parsed = parse_ann(ann_text)
    problems = [Problem(str(ann), line, "error", msg) for line, msg in parsed.syntax_errors]
    ents = [_Ent(e.id, e.label, e.start, e.end, e.surface, e.line) for e in parsed.entities]
    rels = [_Rel(r.id, r.label, r.arg1, r.arg2, r.line) for r in parsed.relations]
    equivs = [_Equiv(q.members, q.line) for q in parsed.equivs]
    return problems + check_document(text, ents, rels, str(ann), equivs)


class _Malformed(ValueError):
    """A JSONL record of the wrong shape; the message says where."""


def _field(obj: object, key: str, kind: type | tuple[type, ...], what: str) -> object:
    if not isinstance(obj, dict):
        raise _Malformed(f"{what} must be an object")
    if key not in obj:
        raise _Malformed(f"{what} has no {key!r}")
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _Malformed(f"{what} {key!r} must be {name}, not {value!r:.40}")
    return value


def _items(rec: dict, key: str) -> list:
    value = rec.get(key) or []
    if not isinstance(value, list):
        raise _Malformed(f"{key!r} must be a list")
    return value


def _jsonl_record(
    rec: object, number: int
) -> tuple[str, list[_Ent], list[_Rel], list[_Equiv]]:
    """Text, entities, relations and alias groups of one JSONL record, every type checked."""
    if not isinstance(rec, dict):
        raise _Malformed("expected a JSON object")
    text = _field(rec, "text", str, "the record")
    if m := re.search(r"[\ud800-\udfff]", text):  # type: ignore[arg-type]
        raise _Malformed(f"'text' has an unpaired surrogate at character {m.start()}")
    doc_id = rec.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int)):
        raise _Malformed(f"'id' must be a string, not {doc_id!r:.40}")
    ents = []
    for i, e in enumerate(_items(rec, "entities")):
        what = f"entity {i}"
        surface = e.get("text") if isinstance(e, dict) else None
        if surface is not None and not isinstance(surface, str):
            raise _Malformed(f"{what} 'text' must be str, not {surface!r:.40}")
        ents.append(
            _Ent(
                what,
                _field(e, "label", str, what),  # type: ignore[arg-type]
                _field(e, "start", int, what),  # type: ignore[arg-type]
                _field(e, "end", int, what),  # type: ignore[arg-type]
                None if surface is None else surface_field(surface),
                number,
            )
        )
    span_id = {(e.start, e.end): e.id for e in ents}
    rels = []
    for i, r in enumerate(_items(rec, "relations")):
        what = f"relation {i}"
        args = []
        for arg in ("head", "tail"):
            span = _field(r, arg, dict, what)
            where = f"{what} {arg}"
            key = (_field(span, "start", int, where), _field(span, "end", int, where))
            args.append(span_id.get(key, f"{arg}?"))
        rels.append(_Rel(what, _field(r, "label", str, what), *args, number))  # type: ignore[arg-type]
    equivs = []
    for i, group in enumerate(_items(rec, "aliases")):
        if not isinstance(group, list):
            raise _Malformed(f"alias group {i} must be a list")
        members = []
        for member in group:
            if isinstance(member, int) and not isinstance(member, bool):
                members.append(ents[member].id if 0 <= member < len(ents) else f"entity {member}?")
            else:
                where = f"alias group {i} member"
                key = (_field(member, "start", int, where), _field(member, "end", int, where))
                members.append(span_id.get(key, "alias?"))
        equivs.append(_Equiv(tuple(members), number))
    return text, ents, rels, equivs  # type: ignore[return-value]


def validate_jsonl(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    try:
        fh = open(path, "rb")
    except OSError as exc:
        return [Problem(str(path), 0, "error", f"cannot read it ({exc.strerror})")]
    with fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(str(path), number, "error", f"not UTF-8 (byte {exc.start} of the line)")
                )
                continue
            if not line.strip():
                continue
            try:
                text, ents, rels, equivs = _jsonl_record(json.loads(line), number)
            except (ValueError, RecursionError) as exc:  # bad JSON, huge ints, deep nesting
                reason = exc if isinstance(exc, ValueError) else "nested too deeply"
                problems.append(Problem(str(path), number, "error", f"malformed record: {reason}"))
                continue
            problems += check_document(text, ents, rels, str(path), equivs)
    return problems


def collect(paths: list[Path]) -> list[Path]:
    """The annotated documents under `paths`: brat .txt files and .jsonl files."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(p.rglob("*.txt")) + sorted(p.rglob("*.jsonl"))
        elif p.suffix == ".ann":
            found.append(p.with_suffix(".txt"))
        else:
            found.append(p)
    return found


def validate_paths(paths: list[Path]) -> tuple[int, list[Problem]]:
    """Validate every document under `paths`; returns (documents checked, problems)."""
    files = collect(paths)
    problems: list[Problem] = []
    for f in files:
        if not f.exists():
            problems.append(Problem(str(f), 0, "error", "no such file"))
        elif not f.is_file():
            problems.append(Problem(str(f), 0, "error", "not a regular file"))
        elif f.suffix == ".jsonl":
            problems += validate_jsonl(f)
        else:
            problems += validate_brat(f)
    return len(files), problems
