"""brat standoff (`NAME.txt` + `NAME.ann`): the canonical on-disk format of annotated documents.

Only `T` (text-bound), `R` (relation) and `*<TAB>Equiv` (event alias group) lines are
part of the schema. Offsets are code-point
indices into the `.txt` file read as UTF-8 with newlines untranslated; end is exclusive.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from pressdeals.document import AnnotatedDoc, Entity, Relation

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_EQUIV_LINE = re.compile(r"^\*\tEquiv((?: T\d+)+)\s*$")


class BratError(ValueError):
    """A problem in a brat file, with `path:line: message` in its text."""


@dataclass(frozen=True)
class BratEntity:
    id: str
    label: str
    start: int
    end: int
    surface: str
    line: int


@dataclass(frozen=True)
class BratRelation:
    id: str
    label: str
    arg1: str
    arg2: str
    line: int


@dataclass(frozen=True)
class BratEquiv:
    members: tuple[str, ...]
    line: int


@dataclass
class AnnFile:
    entities: list[BratEntity]
    relations: list[BratRelation]
    equivs: list[BratEquiv]
    syntax_errors: list[tuple[int, str]]  # (line number, message)


def surface_field(span_text: str) -> str:
    """brat's surface field: each newline, carriage return or tab written as one space."""
    return span_text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def parse_ann(ann_text: str) -> AnnFile:
    entities, relations, equivs, errors = [], [], [], []
    for number, line in enumerate(ann_text.split("\n"), start=1):
        if not line.strip():
            continue
        if m := _T_LINE.match(line):
            entities.append(BratEntity(m[1], m[2], int(m[3]), int(m[4]), m[5], number))
        elif m := _R_LINE.match(line):
            relations.append(BratRelation(m[1], m[2], m[3], m[4], number))
        elif m := _EQUIV_LINE.match(line):
            equivs.append(BratEquiv(tuple(m[1].split()), number))
        elif _is_discontinuous(line):
            errors.append((number, "discontinuous spans are not supported: split the mention"))
        elif line.startswith(("T", "R", "*")):
            errors.append((number, f"malformed {line[0]} line: {line[:60]!r}"))
        else:
            errors.append(
                (number, f"unsupported line (only T, R and * Equiv lines are used): {line[:60]!r}")
            )
    return AnnFile(entities, relations, equivs, errors)


def _is_discontinuous(line: str) -> bool:
    fields = line.split("\t")
    return line.startswith("T") and len(fields) > 1 and ";" in fields[1]


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; BratError (naming it) for anything else."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise BratError(f"{path}:0: not a regular file")
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise BratError(f"{path}:0: cannot read it ({exc.strerror})") from exc


def _utf8(data: bytes, path: Path, bom: str = "") -> str:
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        raise BratError(
            f"{path}:0: not UTF-8 (byte offset {exc.start}: {exc.reason}); brat files are "
            "UTF-8: re-save it as UTF-8"
        ) from exc


def read_text(txt_path: Path) -> str:
    """The text of a brat document: UTF-8 with newlines untranslated, so that offsets match
    the code points on disk (`\r\n` is two). Raises BratError for anything unreadable."""
    return _utf8(_read_bytes(Path(txt_path)), Path(txt_path))


def read_ann(ann: Path) -> str:
    """The text of a `.ann` file; a UTF-8 byte-order mark (some editors add one) is dropped."""
    return _utf8(_read_bytes(Path(ann)), Path(ann), bom="sig")


def ann_path(txt_path: Path) -> Path:
    return txt_path.with_suffix(".ann")


# --- safe file names (`pressdeals convert` and `pressdeals tag --format brat`) -------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\ud800-\udfff]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")  # Windows device names
MAX_NAME_BYTES = 120  # + "-NNN" and ".ann" stays far below the usual 255-byte limit


def safe_stem(doc_id: str) -> str:
    """A file name stem for `doc_id`: path separators, control and reserved characters become
    `_`, leading dots and spaces go (no hidden files, no `..`), at most 120 UTF-8 bytes; so a
    document id can never name a file outside the folder."""
    name = _UNSAFE.sub("_", doc_id).strip(" .")
    if _RESERVED.match(name):
        name = "_" + name
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return name or "_"


class UniqueNames:
    """Unique file stems for document ids, compared case-insensitively (macOS and Windows
    disks): a clash gets `-2`, `-3`..."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def add(self, stem: str) -> None:
        self.used.add(stem.casefold())

    def take(self, doc_id: str) -> str:
        base = safe_stem(doc_id)
        stem, n = base, 1
        while stem.casefold() in self.used:
            n += 1
            stem = f"{base}-{n}"
        self.add(stem)
        return stem


def read_brat(txt_path: Path) -> AnnotatedDoc:
    """Read one annotated document; raises BratError on any problem the reader cannot skip.

    Use `pressdeals validate` for a full report; this stops at the first hard error.
    """
    txt_path = Path(txt_path)
    text = read_text(txt_path)
    ann = ann_path(txt_path)
    if not ann.exists():
        raise BratError(f"{ann}:0: missing .ann file for {txt_path.name}")
    parsed = parse_ann(read_ann(ann))
    if parsed.syntax_errors:
        line, msg = parsed.syntax_errors[0]
        raise BratError(f"{ann}:{line}: {msg}")
    by_id: dict[str, Entity] = {}
    for be in parsed.entities:
        if not 0 <= be.start < be.end <= len(text):
            raise BratError(f"{ann}:{be.line}: offsets {be.start}-{be.end} out of range")
        if be.id in by_id:
            raise BratError(f"{ann}:{be.line}: duplicate id {be.id}")
        by_id[be.id] = Entity(be.start, be.end, be.label)
    relations = []
    for br in parsed.relations:
        for arg in (br.arg1, br.arg2):
            if arg not in by_id:
                raise BratError(f"{ann}:{br.line}: relation argument {arg} is not defined")
        relations.append(Relation(by_id[br.arg1], by_id[br.arg2], br.label))
    aliases = []
    for eq in parsed.equivs:
        missing = [m for m in eq.members if m not in by_id]
        if missing:
            raise BratError(f"{ann}:{eq.line}: Equiv member {missing[0]} is not defined")
        aliases.append(tuple(by_id[m] for m in eq.members))
    return AnnotatedDoc(txt_path.stem, text, list(by_id.values()), relations, aliases)


def format_ann(doc: AnnotatedDoc) -> str:
    """The .ann text of `doc`, ids numbered in offset order so output is stable and diffable."""
    doc = doc.sorted()
    ids = {ent: f"T{i}" for i, ent in enumerate(doc.entities, start=1)}
    lines = [
        f"{ids[e]}\t{e.label} {e.start} {e.end}\t{surface_field(e.surface(doc.text))}"
        for e in doc.entities
    ]
    for i, rel in enumerate(doc.relations, start=1):
        lines.append(f"R{i}\t{rel.label} Arg1:{ids[rel.head]} Arg2:{ids[rel.tail]}\t")
    for group in doc.aliases:
        lines.append("*\tEquiv " + " ".join(ids[e] for e in group))
    return "".join(line + "\n" for line in lines)


def write_brat(doc: AnnotatedDoc, folder: Path) -> Path:
    """Write NAME.txt (byte-identical text) and NAME.ann into `folder`; returns the .txt path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / f"{doc.id}.txt"
    with open(txt, "w", encoding="utf-8", newline="") as fh:
        fh.write(doc.text)
    ann_path(txt).write_text(format_ann(doc), encoding="utf-8")
    return txt


def read_brat_dir(folder: Path) -> list[AnnotatedDoc]:
    return [read_brat(p) for p in sorted(Path(folder).glob("*.txt"))]
