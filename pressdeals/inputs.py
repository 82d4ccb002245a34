"""Input documents for `pressdeals tag`: files, folders, globs, stdin, JSONL and Parquet.

Every input yields exactly one `InputDoc` or one `InputError`, in a stable order, lazily, so
that memory stays flat however large the collection is.
"""

from __future__ import annotations

import glob
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pressdeals.decode import DecodeError, decode_bytes
from pressdeals.html_text import html_to_text

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".parquet"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES


@dataclass
class InputDoc:
    id: str
    source: str
    text: str
    encoding: str | None = None
    extracted_from: str | None = None  # "html" when the text was extracted from markup


@dataclass
class InputError:
    id: str
    source: str
    error: str


Item = InputDoc | InputError


@dataclass
class InputOptions:
    text_field: str = "text"
    id_field: str = "id"


def _expand(arg: str) -> Iterator[tuple[Path | None, Path | str]]:
    """(root, path) pairs for one command-line input; root names ids relative to a folder."""
    if arg == "-":
        yield None, "-"
        return
    path = Path(arg)
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith("."):
                yield path, p
    elif path.exists():
        yield None, path
    elif any(ch in arg for ch in "*?["):
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            yield None, arg  # reported as an error below
        for m in matches:
            if Path(m).is_file():
                yield None, Path(m)
    else:
        yield None, arg


def _doc_id(root: Path | None, path: Path) -> str:
    rel = path.relative_to(root) if root else Path(path.name)
    return str(rel.with_suffix("")).replace("\\", "/")


def iter_inputs(args: list[str], options: InputOptions | None = None) -> Iterator[Item]:
    options = options or InputOptions()
    seen: set[str] = set()
    for arg in args:
        for root, path in _expand(arg):
            if path == "-":
                yield _from_bytes("stdin", "<stdin>", sys.stdin.buffer.read(), html=False)
                continue
            if isinstance(path, str):
                yield InputError(path, path, "no such file, folder or glob match")
                continue
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                yield from _from_jsonl(path, options)
            elif suffix == ".parquet":
                yield from _from_parquet(path, options)
            else:
                doc_id = _doc_id(root, path)
                if doc_id in seen:  # same stem in two places: keep ids unique
                    doc_id = str(path)
                seen.add(doc_id)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    yield InputError(doc_id, str(path), f"cannot read file: {exc.strerror}")
                    continue
                yield _from_bytes(doc_id, str(path), data, html=suffix in HTML_SUFFIXES)


def _from_bytes(doc_id: str, source: str, data: bytes, html: bool) -> Item:
    if not data.strip():
        return InputError(doc_id, source, "empty document")
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return InputError(doc_id, source, str(exc))
    return _checked(doc_id, source, text, encoding, html)


def _checked(doc_id: str, source: str, text: str, encoding: str | None, html: bool) -> Item:
    extracted = None
    if html:
        text, extracted = html_to_text(text), "html"
    if not text.strip():
        return InputError(doc_id, source, "empty document (no text)")
    return InputDoc(doc_id, source, text, encoding, extracted)


def _record_item(record: object, where: str, fallback_id: str, options: InputOptions) -> Item:
    if not isinstance(record, dict):
        return InputError(fallback_id, where, "expected a JSON object per line")
    text = record.get(options.text_field)
    doc_id = str(record.get(options.id_field, fallback_id))
    if text is None:
        return InputError(doc_id, where, f"no {options.text_field!r} field (set --text-field)")
    if not isinstance(text, str):
        return InputError(doc_id, where, f"field {options.text_field!r} is not a string")
    return _checked(doc_id, where, text, None, html=False)


def _from_jsonl(path: Path, options: InputOptions) -> Iterator[Item]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield InputError(path.stem, str(path), f"cannot read file: {exc.strerror}")
        return
    with fh:
        for number, raw in enumerate(fh, start=1):
            where, fallback = f"{path}:{number}", f"{path.stem}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield InputError(fallback, where, f"malformed JSONL line: {exc}")
                continue
            yield _record_item(record, where, fallback, options)


def _from_parquet(path: Path, options: InputOptions) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        yield InputError(path.stem, str(path), f"not a readable Parquet file: {exc}")
        return
    if options.text_field not in pf.schema_arrow.names:
        yield InputError(
            path.stem,
            str(path),
            f"no column {options.text_field!r} (columns: {', '.join(pf.schema_arrow.names)})",
        )
        return
    columns = [c for c in (options.text_field, options.id_field) if c in pf.schema_arrow.names]
    row = 0
    for batch in pf.iter_batches(batch_size=256, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield _record_item(record, f"{path}:row {row}", f"{path.stem}:{row}", options)
