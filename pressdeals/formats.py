"""Annotated documents on disk, chosen by path: the one place that reads and writes by suffix.

A folder (or a `.txt` file with its `.ann`) is brat, `.jsonl` is JSONL, `.spacy` is a DocBin.
Every failure is a `FormatError` or one of `FormatErrors`, whose text names the file (and
line) and says what is wrong; nothing is written before every document has been checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language

from pressdeals.brat import BratError, UniqueNames, read_brat, read_brat_dir, write_brat
from pressdeals.document import AnnotatedDoc
from pressdeals.jsonl import JsonlError, read_jsonl, write_jsonl
from pressdeals.spacy_docs import AlignmentError, read_docbin, write_docbin


class FormatError(ValueError):
    """A path that is no annotated-document format, or documents it cannot hold."""


# what a failed read or write raises; each carries `path:line: message` or `path: message`
FormatErrors = (BratError, JsonlError, AlignmentError, FormatError)


def document_format(path: Path, *, for_writing: bool = False) -> str:
    """'brat', 'jsonl' or 'spacy' for `path`; raises FormatError for anything else.

    For writing, a path without a suffix (or an existing folder) is a brat folder; any other
    suffix is an error (a typo such as `out.josnl` must not become a folder)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".spacy":
        return "spacy"
    if for_writing:
        if not suffix or path.is_dir():
            return "brat"
        raise FormatError(
            f"{path}: unknown output suffix {path.suffix!r}: write to a .jsonl or .spacy "
            "file, or a folder name without a suffix for brat"
        )
    if path.is_dir() or suffix in (".txt", ".ann"):
        return "brat"
    raise FormatError(
        f"{path}: expected a brat folder, a .txt/.ann pair, a .jsonl or a .spacy file"
    )


def read_documents(path: Path, nlp: Language | None = None) -> list[AnnotatedDoc]:
    """Every annotated document at `path` (a DocBin needs the project's tokenizer)."""
    path = Path(path)
    kind = document_format(path)
    if kind != "brat" and not path.exists():
        raise FormatError(f"{path}: no such file")
    if kind == "jsonl":
        return list(read_jsonl(path))
    if kind == "spacy":
        try:
            return list(read_docbin(path, nlp or _blank()))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{path}: not a readable .spacy DocBin ({exc})") from exc
    if path.is_dir():
        docs = read_brat_dir(path)
        if not docs:
            raise FormatError(f"{path}: no .txt/.ann documents in this folder")
        return docs
    return [read_brat(path.with_suffix(".txt"))]


def check_documents(docs: list[AnnotatedDoc], kind: str) -> None:
    """Refuse documents the target format would store wrongly: entity offsets outside the
    text, relations on spans that are no entity, overlapping entities in a DocBin."""
    for doc in docs:
        where = doc.id or "<no id>"
        spans = set()
        for ent in doc.entities:
            if not 0 <= ent.start < ent.end <= len(doc.text):
                raise FormatError(
                    f"{where}: entity {ent.label} {ent.start}-{ent.end} is outside the text "
                    f"({len(doc.text)} characters)"
                )
            spans.add(ent)
        for rel in doc.relations:
            if rel.head not in spans or rel.tail not in spans:
                raise FormatError(f"{where}: relation {rel.label} links a span that is no entity")
        if kind == "spacy":
            ordered = sorted(set(doc.entities))
            for a, b in zip(ordered, ordered[1:], strict=False):
                if b.start < a.end:
                    raise FormatError(
                        f"{where}: entities {a.label} {a.start}-{a.end} and {b.label} "
                        f"{b.start}-{b.end} overlap; a .spacy DocBin cannot hold overlapping "
                        "entities: fix them (`pressdeals validate` lists them) or convert to "
                        "JSONL or brat"
                    )


def write_documents(docs: Iterable[AnnotatedDoc], path: Path, nlp: Language | None = None) -> int:
    """Write `docs` to `path` in the format its suffix names; returns how many. Nothing is
    written when any document is refused; existing brat files are never overwritten."""
    path = Path(path)
    kind = document_format(path, for_writing=True)
    docs = list(docs)
    check_documents(docs, kind)
    if not path.parent.is_dir():
        raise FormatError(f"{path}: folder {path.parent} does not exist; create it first")
    if kind == "jsonl":
        return write_jsonl(docs, path)
    if kind == "spacy":
        return write_docbin(docs, nlp or _blank(), path)
    if path.exists() and not path.is_dir():
        raise FormatError(f"{path}: exists and is not a folder; brat output is a folder")
    # file names from ids: safe, flat and unique; never over an existing file
    names = UniqueNames()
    stems = [names.take(doc.id) for doc in docs]
    for stem in stems:
        for suffix in (".txt", ".ann"):
            if (path / f"{stem}{suffix}").exists():
                raise FormatError(
                    f"{path / (stem + suffix)}: exists; pressdeals will not overwrite it: "
                    "convert into a new or empty folder"
                )
    path.mkdir(exist_ok=True)
    for doc, stem in zip(docs, stems, strict=True):
        write_brat(AnnotatedDoc(stem, doc.text, doc.entities, doc.relations, doc.aliases), path)
    return len(docs)


def _blank() -> Language:
    from pressdeals.pipeline.tokenizer import blank_nlp

    return blank_nlp()
