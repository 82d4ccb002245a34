"""Inline markup for writing annotated documents by hand, converted to brat for storage.

    [137 projects]{COUNT#p} were signed at [Harbin Trade Fair]{EVENT#e} worth
    [3.2 billion yuan]{MONEY#m}.
    === relations
    VALUE p m
    SIGNED_AT p e
    EQUIV e e2

A mention is `[surface]{LABEL}` or `[surface]{LABEL#key}`; keys name the arguments of
the relation lines below the `=== relations` line. The document text is everything
before that line, markup removed; a surface may span line breaks. An `EQUIV k1 k2 ...` line
groups EVENT mentions that name one event (schema v2 aliases).
"""

from __future__ import annotations

import re
from pathlib import Path

from pressdeals.document import AnnotatedDoc, Entity, Relation

SEPARATOR = "=== relations"
_MENTION = re.compile(r"\[([^\[\]]+)\]\{([A-Z_]+)(?:#(\w+))?\}")


class InlineError(ValueError):
    pass


def parse_inline(source: str, doc_id: str, path: str = "<inline>") -> AnnotatedDoc:
    body, rel_lines, rel_line_no = source, [], 0
    marker = f"\n{SEPARATOR}\n"
    if marker in source or source.endswith(f"\n{SEPARATOR}"):
        cut = source.index(f"\n{SEPARATOR}")
        body = source[: cut + 1]
        rel_line_no = body.count("\n") + 2
        rel_lines = source[cut + 1 + len(SEPARATOR) :].splitlines()[1:]
    text_parts: list[str] = []
    entities: list[Entity] = []
    keys: dict[str, Entity] = {}
    pos = 0
    out_len = 0
    for m in _MENTION.finditer(body):
        plain = body[pos : m.start()]
        _check_no_markup(plain, path, body, pos)
        text_parts.append(plain)
        out_len += len(plain)
        surface, label, key = m.group(1), m.group(2), m.group(3)
        ent = Entity(out_len, out_len + len(surface), label)
        entities.append(ent)
        if key:
            if key in keys:
                raise InlineError(f"{path}:{_line(body, m.start())}: key #{key} used twice")
            keys[key] = ent
        text_parts.append(surface)
        out_len += len(surface)
        pos = m.end()
    _check_no_markup(body[pos:], path, body, pos)
    text_parts.append(body[pos:])
    relations: list[Relation] = []
    aliases: list[tuple[Entity, ...]] = []
    for offset, line in enumerate(rel_lines):
        if not line.strip():
            continue
        fields = line.split()
        where = f"{path}:{rel_line_no + offset}"
        if fields[0] == "EQUIV":
            missing = [k for k in fields[1:] if k not in keys]
            if len(fields) < 3 or missing:
                raise InlineError(f"{where}: EQUIV needs two or more known keys")
            aliases.append(tuple(sorted(keys[k] for k in fields[1:])))
            continue
        if len(fields) != 3:
            raise InlineError(f"{where}: relation line must be 'LABEL head_key tail_key'")
        label, head, tail = fields
        missing = [k for k in (head, tail) if k not in keys]
        if missing:
            raise InlineError(f"{where}: unknown key(s) {', '.join(missing)}")
        relations.append(Relation(keys[head], keys[tail], label))
    return AnnotatedDoc(doc_id, "".join(text_parts), entities, relations, aliases)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _check_no_markup(plain: str, path: str, body: str, offset: int) -> None:
    for ch in ("[", "]{"):
        i = plain.find(ch)
        if i >= 0:
            raise InlineError(
                f"{path}:{_line(body, offset + i)}: stray '{ch}' (malformed mention markup?)"
            )


def read_inline(path: Path) -> AnnotatedDoc:
    return parse_inline(path.read_text(encoding="utf-8"), path.stem, str(path))
