"""Annotated documents on disk, chosen by path: the one place that reads and writes by suffix.

A folder (or a `.txt` file with its `.ann`) is brat, `.jsonl` is JSONL, `.spacy` is a DocBin.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language

from pressdeals.brat import BratError, read_brat, read_brat_dir, write_brat
from pressdeals.document import AnnotatedDoc
from pressdeals.jsonl import JsonlError, read_jsonl, write_jsonl
from pressdeals.spacy_docs import AlignmentError, read_docbin, write_docbin

# what a failed read or write raises; each carries `path:line: message` or `path: message`
FormatErrors = (BratError, JsonlError, AlignmentError)


class FormatError(ValueError):
    """A path that is no annotated-document format."""


def document_format(path: Path, *, for_writing: bool = False) -> str:
    """'brat', 'jsonl' or 'spacy' for `path`; raises FormatError for anything else."""
    path = Path(path)
    if path.suffix == ".jsonl":
        return "jsonl"
    if path.suffix == ".spacy":
        return "spacy"
    if path.is_dir() or (not for_writing and path.suffix in (".txt", ".ann")):
        return "brat"
    if for_writing and not path.suffix:
        return "brat"
    raise FormatError(
        f"{path}: expected a brat folder, a .txt/.ann pair, a .jsonl or a .spacy file"
    )


def read_documents(path: Path, nlp: Language | None = None) -> list[AnnotatedDoc]:
    """Every annotated document at `path` (a DocBin needs the project's tokenizer)."""
    path = Path(path)
    kind = document_format(path)
    if kind == "jsonl":
        return list(read_jsonl(path))
    if kind == "spacy":
        return list(read_docbin(path, nlp or _blank()))
    if path.is_dir():
        docs = read_brat_dir(path)
        if not docs:
            raise FormatError(f"{path}: no .txt/.ann documents in this folder")
        return docs
    return [read_brat(path.with_suffix(".txt"))]


def write_documents(docs: Iterable[AnnotatedDoc], path: Path, nlp: Language | None = None) -> int:
    """Write `docs` to `path` in the format its suffix names; returns how many."""
    path = Path(path)
    kind = document_format(path, for_writing=True)
    if kind == "jsonl":
        return write_jsonl(docs, path)
    if kind == "spacy":
        return write_docbin(docs, nlp or _blank(), path)
    n = 0
    for doc in docs:
        write_brat(doc, path)
        n += 1
    return n


def _blank() -> Language:
    from pressdeals.pipeline.tokenizer import blank_nlp

    return blank_nlp()
