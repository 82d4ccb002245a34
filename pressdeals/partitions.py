"""Input partitions for the cluster path: Parquet and JSONL tables cut into pieces that a
worker reads on its own.

The driver plans (`plan_partitions`): Parquet from the file footers only (row groups, cut
into slices of at most `size` rows), JSONL by reading the file once for line boundaries.
A worker reads one `Partition` (`read_partition`) into the same `InputDoc`/`InputError`
items, ids and sources that `pressdeals tag` makes of the same rows (`inputs._record_item`),
so records are equal; an unreadable row group, a malformed line or a broken file becomes
error records, as there. Paths may be fsspec URLs (`s3://...`); local paths are read as
given, so that sources match `pressdeals tag`'s.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pressdeals.inputs import InputError, InputOptions, Item, _record_item, printable

TABLE_KINDS = {".parquet": "parquet", ".jsonl": "jsonl"}
SCAN_BYTES = 1 << 24  # read size when JSONL files are scanned for line boundaries


class PartitionError(Exception):
    """An input that the cluster path cannot plan; the message names it and what to do."""


@dataclass(frozen=True)
class Partition:
    """Rows `start` (inclusive) to `stop` (exclusive) of one table file.

    Parquet: `group` is the row group and `start`/`stop` count rows from the file's first
    row. JSONL: `start`/`stop` are byte offsets at line starts and `line` is the number of
    the line at `start`. `problem` marks a file that yields one error record (unreadable
    footer, no text column, no rows)."""

    path: str
    kind: str
    start: int = 0
    stop: int = 0
    group: int = -1
    line: int = 1
    problem: str = ""
    size: int = 0  # the file's size when planned: --resume refuses a changed input

    def describe(self) -> str:
        if self.problem or self.kind == "parquet" and self.group < 0:
            return self.path
        if self.kind == "parquet":
            return f"{self.path}:rows {self.start + 1}-{self.stop}"
        return f"{self.path}:bytes {self.start}-{self.stop}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _filesystem(path: str):
    import fsspec

    return fsspec.core.url_to_fs(path)


def _is_url(path: str) -> bool:
    return "://" in path


def list_tables(args: list[str], exclude: str | None = None) -> tuple[list[str], int]:
    """The `.parquet`/`.jsonl` files named by `args` (files, folders searched recursively,
    globs; local paths or fsspec URLs), in a stable order, and how many other files the
    folders held (passed over). A missing input or a named file of another kind is refused."""
    found: list[str] = []
    passed_over = 0
    for arg in args:
        if _is_url(arg):
            fs, root = _filesystem(arg)
            protocol = arg.split("://", 1)[0]
            if any(ch in root for ch in "*?["):
                names = sorted(fs.glob(root))
            elif fs.isdir(root):
                names = sorted(fs.find(root))
            elif fs.exists(root):
                names = [root]
            else:
                raise PartitionError(f"{arg}: no such file, folder or glob match")
            for name in names:
                if Path(name).suffix.lower() in TABLE_KINDS:
                    found.append(f"{protocol}://{name}")
                else:
                    passed_over += 1
            continue
        path = Path(arg)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    skip = exclude is not None and Path(full).resolve().is_relative_to(exclude)
                    if name.startswith(".") or skip:
                        continue
                    if Path(name).suffix.lower() in TABLE_KINDS:
                        found.append(full)
                    else:
                        passed_over += 1
            continue
        if any(ch in arg for ch in "*?[") and not path.exists():
            import glob

            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise PartitionError(f"{arg}: no file matches this glob")
            found += [m for m in matches if Path(m).suffix.lower() in TABLE_KINDS]
            passed_over += sum(Path(m).suffix.lower() not in TABLE_KINDS for m in matches)
            continue
        if not path.exists():
            raise PartitionError(f"{arg}: no such file, folder or glob match")
        if path.suffix.lower() not in TABLE_KINDS:
            raise PartitionError(
                f"{arg}: the cluster path reads .parquet and .jsonl tables only; tag text and "
                "HTML files without --scheduler/--dask-workers, or put them in a table"
            )
        found.append(arg)
    return found, passed_over


def plan_partitions(tables: list[str], size: int, text_field: str) -> list[Partition]:
    """The partitions of `tables`, each at most `size` rows (a whole file when it cannot
    be read: the worker makes its error record)."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    plan: list[Partition] = []
    for path in tables:
        if Path(path).suffix.lower() == ".parquet":
            plan += _plan_parquet(path, size, text_field)
        else:
            plan += _plan_jsonl(path, size)
    return plan


def _file_size(path: str) -> int:
    try:
        fs, name = _filesystem(path)
        return int(fs.size(name) or 0)
    except (OSError, ValueError):
        return -1


def _plan_parquet(path: str, size: int, text_field: str) -> list[Partition]:
    import pyarrow.parquet as pq

    n_bytes = _file_size(path)
    try:
        fs, name = _filesystem(path)
        with fs.open(name, "rb") as fh:
            pf = pq.ParquetFile(fh)
            names = pf.schema_arrow.names
            groups = [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)]
    except Exception as exc:  # pyarrow raises several types for a bad file
        return [Partition(path, "parquet", problem=f"not a readable Parquet file: {exc}",
                          size=n_bytes)]
    if text_field not in names:
        problem = f"no column {text_field!r} (columns: {', '.join(names)})"
        return [Partition(path, "parquet", problem=problem, size=n_bytes)]
    if sum(groups) == 0:
        return [Partition(path, "parquet", problem="empty table: no rows", size=n_bytes)]
    plan, row = [], 0
    for group, rows in enumerate(groups):
        for start in range(row, row + rows, size):
            stop = min(start + size, row + rows)
            plan.append(Partition(path, "parquet", start, stop, group, size=n_bytes))
        row += rows
    return plan


def _plan_jsonl(path: str, size: int) -> list[Partition]:
    """Cuts every `size` non-blank lines; one pass over the file (Parquet needs none)."""
    n_bytes = _file_size(path)
    try:
        fs, name = _filesystem(path)
        fh = fs.open(name, "rb")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [Partition(path, "jsonl", problem=f"cannot read it: {reason}", size=n_bytes)]
    plan: list[Partition] = []
    start, offset, records, line, first_line = 0, 0, 0, 0, 1
    with fh:
        tail = b""
        while chunk := fh.read(SCAN_BYTES):
            data = tail + chunk
            lines = data.split(b"\n")
            tail = lines.pop()
            for raw in lines:
                line += 1
                offset += len(raw) + 1
                if raw.strip():
                    records += 1
                    if records == size:
                        plan.append(Partition(path, "jsonl", start, offset, line=first_line,
                                              size=n_bytes))
                        start, records, first_line = offset, 0, line + 1
        if tail:
            line += 1
            offset += len(tail)
            if tail.strip():
                records += 1
    if records:
        plan.append(Partition(path, "jsonl", start, offset, line=first_line, size=n_bytes))
    if not plan:
        plan.append(Partition(path, "jsonl", problem="empty table: no JSONL records",
                              size=n_bytes))
    return plan


def read_partition(part: Partition, options: InputOptions) -> Iterator[Item]:
    """The items of one partition, as `pressdeals tag` reads the same rows."""
    shown = printable(part.path)
    stem = printable(Path(part.path.split("://", 1)[-1]).stem)
    if part.problem:
        yield InputError(stem, shown, part.problem)
    elif part.kind == "parquet":
        yield from _read_parquet(part, options, shown, stem)
    else:
        yield from _read_jsonl(part, options, shown, stem)


def _read_parquet(part: Partition, options: InputOptions, shown: str, stem: str) -> Iterator[Item]:
    import pyarrow.parquet as pq

    row = part.start
    try:
        fs, name = _filesystem(part.path)
        with fs.open(name, "rb") as fh:
            pf = pq.ParquetFile(fh)
            names = pf.schema_arrow.names
            columns = [c for c in (options.text_field, options.id_field) if c in names]
            group_start = sum(pf.metadata.row_group(g).num_rows for g in range(part.group))
            skip = part.start - group_start  # rows of the group before this slice
            for batch in pf.iter_batches(batch_size=256, row_groups=[part.group],
                                         columns=columns):
                if skip >= batch.num_rows:
                    skip -= batch.num_rows
                    continue
                batch = batch.slice(skip, part.stop - row)
                skip = 0
                for record in batch.to_pylist():
                    row += 1
                    yield _record_item(record, f"{shown}:row {row}", f"{stem}:{row}", options)
                if row >= part.stop:
                    return
    except Exception as exc:  # a corrupt page: the rest of this slice is unreadable
        first = row + 1
        yield InputError(
            f"{stem}:rows {first}-{part.stop}",
            f"{shown}:rows {first}-{part.stop}",
            f"unreadable Parquet data (row group {part.group}): {exc}",
        )


def _read_jsonl(part: Partition, options: InputOptions, shown: str, stem: str) -> Iterator[Item]:
    number = part.line - 1
    try:
        fs, name = _filesystem(part.path)
        with fs.open(name, "rb") as fh:
            fh.seek(part.start)
            left = part.stop - part.start
            while left > 0:
                raw = fh.readline(left)
                if not raw:
                    break
                left -= len(raw)
                number += 1
                if raw.strip():
                    yield _jsonl_item(raw, number, options, shown, stem)
    except OSError as exc:
        yield InputError(
            f"{stem}:rest", shown, f"reading stopped: cannot read it: {exc.strerror or exc}"
        )


def _jsonl_item(raw: bytes, number: int, options: InputOptions, shown: str, stem: str) -> Item:
    """One JSONL line as `inputs._from_jsonl` reads it."""
    where, fallback = f"{shown}:{number}", f"{stem}:{number}"
    try:
        record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError as exc:
        return InputError(
            fallback, where, f"malformed JSONL line: not UTF-8 (byte {exc.start} of the line)"
        )
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        return InputError(fallback, where, f"malformed JSONL line: {reason}")
    return _record_item(record, where, fallback, options)
