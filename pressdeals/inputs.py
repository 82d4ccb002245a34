"""Input documents for `pressdeals tag`: files, folders, globs, stdin, JSONL and Parquet.

Every input yields exactly one `InputDoc` or one `InputError`, in a stable order, lazily, so
that memory stays flat however large the collection is. "Every input" means every path named
on the command line or matched by a glob (a FIFO, a device, a dangling or looping link
included: each gets an error record), every supported file found in a folder, and every line
or row of a table (an empty table gets an error record too). Inside folders, hidden entries,
files with other suffixes and pressdeals' own outputs are passed over and counted in
`Inputs.passed_over`, which the run's summary prints.

Ids are unique within a run: a repeated id gets `#2`, `#3`... in input order (so a resumed
run gives the same ids), and the record keeps the id as given in `input_id`.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pressdeals.decode import DecodeError, decode
from pressdeals.display import PAGE_START as PAGE_HEAD
from pressdeals.html_text import html_to_text

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".parquet"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
# a folder holding this file is a pressdeals brat output (see `writers.BratWriter`)
OUTPUT_MARKER = ".pressdeals-output.json"
# parquet outputs carry this key in their schema metadata
PARQUET_MARKER = b"pressdeals"
# how a `--html` page starts (pressdeals.display.HtmlPage)
PAGE_START = PAGE_HEAD.encode()
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass
class InputDoc:
    id: str
    source: str
    text: str
    encoding: str | None = None
    extracted_from: str | None = None  # "html" when the text was extracted from markup
    encoding_confidence: float | None = None
    input_id: str | None = None  # the id as given, when it had to be made unique


@dataclass
class InputError:
    id: str
    source: str
    error: str
    input_id: str | None = None


Item = InputDoc | InputError


@dataclass
class InputOptions:
    text_field: str = "text"
    id_field: str = "id"
    # a plain-text file over this many bytes cannot fit --max-chars: refused unread
    max_bytes: int | None = None
    # this run's own output paths (resolved): never read back as input
    exclude: frozenset[Path] = frozenset()


def printable(value: str) -> str:
    """`value` with unpaired surrogates (undecodable file-name bytes, broken JSON escapes)
    written as `\\udcff`, so that it can be stored as UTF-8."""
    if _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class _UniqueIds:
    seen: set[str] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)

    def take(self, doc_id: str) -> tuple[str, str | None]:
        """A unique id for `doc_id` and the id as given when it had to change."""
        if doc_id not in self.seen:
            self.seen.add(doc_id)
            return doc_id, None
        n = max(self.counts[doc_id], 1)
        while True:
            n += 1
            candidate = f"{doc_id}#{n}"
            if candidate not in self.seen:
                break
        self.counts[doc_id] = n
        self.seen.add(candidate)
        return candidate, doc_id


class Inputs:
    """The items of the command-line inputs `args`, iterated once, lazily."""

    def __init__(self, args: list[str], options: InputOptions | None = None) -> None:
        self.args = args
        self.options = options or InputOptions()
        # reason -> how many entries inside folders were passed over
        self.passed_over: Counter[str] = Counter()
        self._ids = _UniqueIds()

    def __iter__(self) -> Iterator[Item]:
        for item in self._items():
            new_id, given = self._ids.take(item.id)
            if given is not None:
                item.id, item.input_id = new_id, given
            yield item

    def passed_over_line(self) -> str:
        return ", ".join(f"{n} {reason}" for reason, n in sorted(self.passed_over.items()))

    # --- listing ---------------------------------------------------------------------------

    def _items(self) -> Iterator[Item]:
        for arg in self.args:
            if arg == "-":
                yield _from_bytes("stdin", "<stdin>", sys.stdin.buffer.read(), html=False)
                continue
            path = Path(arg)
            if _lexists(path):
                yield from self._named(path, printable(arg))
                continue
            if any(ch in arg for ch in "*?["):
                matches = sorted(glob.glob(arg, recursive=True))
                if not matches:
                    yield InputError(printable(arg), printable(arg), "no file matches this glob")
                for m in matches:
                    yield from self._named(Path(m), printable(m))
                continue
            yield InputError(printable(arg), printable(arg), "no such file, folder or glob match")

    def _named(self, path: Path, shown: str) -> Iterator[Item]:
        """A path named on the command line or matched by a glob: always an input."""
        if self._is_own_output(path):
            yield InputError(shown, shown, "this is the run's own output: not read as input")
            return
        kind = _kind(path)
        if kind == "dir":
            yield from self._walk(path)
        elif kind == "file":
            yield from self._file(None, path)
        else:
            yield InputError(_doc_id(None, path), shown, kind)

    def _walk(self, root: Path) -> Iterator[Item]:
        """Supported files under `root`, depth first in name order (the order of sorted
        paths); a symlinked folder is followed unless it was listed already (a loop)."""
        visited: set[tuple[int, int]] = set()
        stack: list[Iterator[os.DirEntry]] = []
        opened = self._open_folder(root, root, visited)
        if isinstance(opened, InputError):
            yield opened
        elif opened is not None:
            stack.append(opened)
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            path = Path(entry.path)
            if entry.name.startswith("."):
                self.passed_over["hidden"] += 1
                continue
            kind = _kind(path)
            if kind == "dir":
                opened = self._open_folder(root, path, visited)
                if isinstance(opened, InputError):
                    yield opened
                elif opened is not None:
                    stack.append(opened)
                continue
            if self._is_own_output(path) or (kind == "file" and _is_output_file(path)):
                self.passed_over["pressdeals output file(s)"] += 1
            elif kind == "file" and path.suffix.lower() not in SUPPORTED:
                self.passed_over["with other suffixes"] += 1
            elif kind != "file":
                yield InputError(_doc_id(root, path), printable(str(path)), kind)
            else:
                yield from self._file(root, path)

    def _open_folder(
        self, root: Path, folder: Path, visited: set[tuple[int, int]]
    ) -> Iterator[os.DirEntry] | InputError | None:
        """The entries of `folder` in name order; an error; None when it is passed over."""
        doc_id = _doc_id(root, folder) if folder != root else printable(folder.name)
        where = (doc_id, printable(str(folder)))
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:
                return InputError(*where, "symlink loop: this folder was already listed")
            visited.add((st.st_dev, st.st_ino))
            if folder != root and (
                self._is_own_output(folder) or (folder / OUTPUT_MARKER).exists()
            ):
                self.passed_over["pressdeals output folder(s)"] += 1
                return None
            with os.scandir(folder) as scan:
                return iter(sorted(scan, key=lambda e: e.name))
        except OSError as exc:
            return InputError(*where, _why(folder, exc))

    def _is_own_output(self, path: Path) -> bool:
        if not self.options.exclude:
            return False
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return False
        return resolved in self.options.exclude

    # --- one file --------------------------------------------------------------------------

    def _file(self, root: Path | None, path: Path) -> Iterator[Item]:
        suffix = path.suffix.lower()
        shown = printable(str(path))
        if suffix == ".jsonl":
            yield from _from_jsonl(path, self.options)
        elif suffix == ".parquet":
            yield from _from_parquet(path, self.options)
        else:
            doc_id = _doc_id(root, path)
            limit = None if suffix in HTML_SUFFIXES else self.options.max_bytes
            data = _read_regular(path, limit)
            if isinstance(data, str):
                yield InputError(doc_id, shown, data)
            else:
                yield _from_bytes(doc_id, shown, data, html=suffix in HTML_SUFFIXES)


def _lexists(path: Path) -> bool:
    try:
        path.lstat()
    except OSError:
        return False
    return True


def _why(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop: the link points back to itself"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"dangling symlink (points to {printable(os.readlink(path))})"
        return "no such file (it disappeared after it was listed?)"
    if exc.errno == errno.EACCES:
        return "permission denied: cannot read it"
    return f"cannot read it: {exc.strerror}"


def _kind(path: Path) -> str:
    """'file', 'dir', or the reason the path cannot be read as an input."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _why(path, exc)
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    what = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({what}): give a file, or '-' to read stdin"


def _read_regular(path: Path, max_bytes: int | None) -> bytes | str:
    """The bytes of a regular file, or why they cannot be read. Opened without blocking and
    checked again after opening, so a file swapped for a FIFO cannot hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return _why(path, exc)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file: give a file, or '-' to read stdin"
        if max_bytes is not None and st.st_size > max_bytes:
            return (
                f"file has {st.st_size:,} bytes, more than --max-chars allows "
                "(use --oversize split or a larger --max-chars)"
            )
        try:
            return fh.read()
        except OSError as exc:
            return _why(path, exc)


def _is_output_file(path: Path) -> bool:
    """Whether a file found in a folder is a pressdeals output (records, manifest, rows)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return is_output_jsonl(path)
    if suffix in HTML_SUFFIXES:
        try:
            with open(path, "rb") as fh:
                return fh.read(len(PAGE_START)) == PAGE_START
        except OSError:
            return False
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            metadata = pq.read_schema(path).metadata or {}
        except Exception:  # unreadable: it is read as an input and gets its error record
            return False
        return PARQUET_MARKER in metadata
    return False


def is_output_record(obj: object) -> bool:
    """A line pressdeals writes: a record, an error record or a manifest line."""
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("id"), str)
        and "source" in obj
        and bool({"error", "entities", "model"} & obj.keys())
    )


def is_output_jsonl(path: Path) -> bool:
    """Whether the first non-blank line of `path` is a pressdeals output line."""
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                if raw.strip():
                    return is_output_record(json.loads(raw.decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return False
    return False


def _doc_id(root: Path | None, path: Path) -> str:
    rel = path.relative_to(root) if root else Path(path.name)
    return printable(str(rel.with_suffix("")).replace("\\", "/"))


def _from_bytes(doc_id: str, source: str, data: bytes, html: bool) -> Item:
    if not data.strip():
        return InputError(doc_id, source, "empty document")
    try:
        decoded = decode(data)
    except DecodeError as exc:
        return InputError(doc_id, source, str(exc))
    item = _checked(doc_id, source, decoded.text, decoded.encoding, html)
    if isinstance(item, InputDoc):
        item.encoding_confidence = decoded.confidence
    return item


def _checked(doc_id: str, source: str, text: str, encoding: str | None, html: bool) -> Item:
    if m := _SURROGATE.search(text):
        return InputError(
            doc_id,
            source,
            f"invalid Unicode: unpaired surrogate {m[0].encode('unicode_escape').decode()} at "
            f"character {m.start()} (a broken \\u escape?)",
        )
    extracted = None
    if html:
        text, extracted = html_to_text(text), "html"
    if not text.strip():
        return InputError(doc_id, source, "empty document (no text)")
    return InputDoc(doc_id, source, text, encoding, extracted)


def _record_id(value: object, fallback: str) -> str:
    """The id of a table record: a non-empty string or an integer; otherwise `fallback`
    (file stem and line or row), so that a null id never merges documents."""
    if isinstance(value, str) and value.strip():
        return printable(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fallback


def _record_item(record: object, where: str, fallback_id: str, options: InputOptions) -> Item:
    if not isinstance(record, dict):
        return InputError(fallback_id, where, "expected a JSON object per line")
    text = record.get(options.text_field)
    doc_id = _record_id(record.get(options.id_field), fallback_id)
    if text is None:
        if options.text_field in record:
            return InputError(doc_id, where, f"field {options.text_field!r} is null")
        return InputError(doc_id, where, f"no {options.text_field!r} field (set --text-field)")
    if not isinstance(text, str):
        return InputError(
            doc_id,
            where,
            f"field {options.text_field!r} is a {type(text).__name__}, not a string",
        )
    return _checked(doc_id, where, text, None, html=False)


def _from_jsonl(path: Path, options: InputOptions) -> Iterator[Item]:
    shown, stem = printable(str(path)), printable(path.stem)
    kind = _kind(path)
    if kind != "file":
        yield InputError(stem, shown, kind)
        return
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield InputError(stem, shown, _why(path, exc))
        return
    records = 0
    with fh:
        try:
            for number, raw in enumerate(fh, start=1):
                where, fallback = f"{shown}:{number}", f"{stem}:{number}"
                if not raw.strip():
                    continue
                records += 1
                try:
                    record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError as exc:
                    yield InputError(
                        fallback,
                        where,
                        f"malformed JSONL line: not UTF-8 (byte {exc.start} of the line)",
                    )
                    continue
                except (ValueError, RecursionError) as exc:  # bad JSON, nesting, huge ints
                    reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
                    yield InputError(fallback, where, f"malformed JSONL line: {reason}")
                    continue
                yield _record_item(record, where, fallback, options)
        except OSError as exc:
            yield InputError(f"{stem}:rest", shown, f"reading stopped: {_why(path, exc)}")
            return
    if not records:
        yield InputError(stem, shown, "empty table: no JSONL records")


def _from_parquet(path: Path, options: InputOptions) -> Iterator[Item]:
    import pyarrow.parquet as pq

    shown, stem = printable(str(path)), printable(path.stem)
    kind = _kind(path)
    if kind != "file":
        yield InputError(stem, shown, kind)
        return
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
    except Exception as exc:  # pyarrow raises several types for a bad file
        yield InputError(stem, shown, f"not a readable Parquet file: {exc}")
        return
    if options.text_field not in names:
        yield InputError(
            stem, shown, f"no column {options.text_field!r} (columns: {', '.join(names)})"
        )
        return
    if pf.metadata.num_rows == 0:
        yield InputError(stem, shown, "empty table: no rows")
        return
    columns = [c for c in (options.text_field, options.id_field) if c in names]
    row = 0
    for group in range(pf.metadata.num_row_groups):
        end = row + pf.metadata.row_group(group).num_rows
        try:
            for batch in pf.iter_batches(batch_size=256, row_groups=[group], columns=columns):
                for record in batch.to_pylist():
                    row += 1
                    yield _record_item(record, f"{shown}:row {row}", f"{stem}:{row}", options)
        except Exception as exc:  # a corrupt page: the rest of this row group is unreadable
            first = row + 1
            yield InputError(
                f"{stem}:rows {first}-{end}",
                f"{shown}:rows {first}-{end}",
                f"unreadable Parquet data (row group {group}): {exc}",
            )
        row = end


def iter_inputs(args: list[str], options: InputOptions | None = None) -> Iterator[Item]:
    """The items of `args` (see `Inputs`)."""
    return iter(Inputs(args, options))
