"""The Parquet dataset a cluster run writes: one file per input partition, written
atomically, so that `--resume` can skip the partitions already done.

    OUT/_pressdeals.json                  what wrote it: model, settings, the partition plan
    OUT/records/part-00000.parquet        one row per input document (`cluster.RECORD_COLUMNS`)
    OUT/facts/part-00000.parquet          one row per deal fact (the `--format parquet` columns)

A partition's facts file is written first and its records file last, each to a hidden
temporary name renamed into place, so a records file that exists is complete and marks the
partition done. A task that runs twice (its worker died after writing) writes the same
names again: nothing is duplicated. Readers (`dask.dataframe.read_parquet`, pyarrow) skip
hidden and `_` names. OUT may be an fsspec URL.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from pressdeals.cluster import TagSettings, facts_table, records_table, tag_items
from pressdeals.partitions import Partition, read_partition

MARKER = "_pressdeals.json"
_PART = re.compile(r"^part-(\d{5,})\.parquet$")


class DatasetError(Exception):
    """An output folder this run must not write into; the message says what to do."""


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


def _join(root: str, *names: str) -> str:
    return "/".join([root.rstrip("/"), *names])


@dataclass
class PartResult:
    """What a partition task reports back to the driver."""

    index: int
    documents: int
    errors: int
    words: int
    seconds: float
    entities: int
    facts: int
    failures: list[tuple[str, str, str]]


def _write_atomically(fs: Any, folder: str, name: str, table: Any) -> None:
    import pyarrow.parquet as pq

    tmp = _join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with fs.open(tmp, "wb") as fh:
            pq.write_table(table, fh)
        fs.mv(tmp, _join(folder, name))
    finally:
        if fs.exists(tmp):
            fs.rm(tmp)


def tag_partition(index: int, part: Partition, settings: TagSettings, out: str) -> PartResult:
    """Read, tag and write one partition (a task on a worker)."""
    items = read_partition(part, settings.input_options())
    tagged = tag_items(items, settings)
    records = tagged.records
    fs, root = _fs(out)
    _write_atomically(fs, _join(root, "facts"), part_name(index), facts_table(records))
    _write_atomically(fs, _join(root, "records"), part_name(index), records_table(records))
    failed = [r for r in records if "error" in r]
    return PartResult(
        index=index,
        documents=len(records) - len(failed),
        errors=len(failed),
        words=tagged.words,
        seconds=tagged.seconds,
        entities=sum(len(r.get("entities", [])) for r in records),
        facts=sum(len(r.get("facts", [])) for r in records),
        failures=[(r["id"], r["source"], r["error"]) for r in failed[:5]],
    )


class Dataset:
    """An output folder: checked, its marker written, the finished partitions listed."""

    def __init__(self, out: str) -> None:
        self.out = out
        self.fs, self.root = _fs(out)

    def marker(self) -> dict[str, Any] | None:
        path = _join(self.root, MARKER)
        if not self.fs.exists(path):
            return None
        try:
            with self.fs.open(path, "rb") as fh:
                data = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("pressdeals") else None

    def check(self, resume: bool) -> dict[str, Any] | None:
        """Refuse a folder this run must not write into (before any cluster starts); the
        marker of a previous run, when `--resume` may continue it."""
        fs, root, out = self.fs, self.root, self.out
        if fs.exists(root) and not fs.isdir(root):
            raise DatasetError(
                f"--out {out}: exists and is not a folder; the cluster path writes a Parquet "
                "dataset (a folder): choose another --out"
            )
        marker = self.marker() if fs.exists(root) else None
        if fs.exists(root) and fs.ls(root) and marker is None:
            raise DatasetError(
                f"--out {out}: is a folder with files that pressdeals did not write; choose an "
                "empty or new folder"
            )
        if marker is not None and not resume:
            raise DatasetError(
                f"--out {out}: holds a pressdeals dataset already; rerun with --resume to "
                "finish it, or remove it (or choose another --out) to start afresh"
            )
        return marker

    def prepare(self, resume: bool, identity: dict[str, Any]) -> None:
        """Create the folder, or check that `--resume` continues the same run in it."""
        fs, root, out = self.fs, self.root, self.out
        marker = self.check(resume)
        if marker is not None:
            for key, what in (
                ("model", "model"),
                ("settings", "options (--text-field, --id-field, --no-text, --max-chars...)"),
                ("partitions", "inputs or --partition-size"),
            ):
                if marker.get(key) != identity[key]:
                    raise DatasetError(
                        f"--out {out}: written with other {what} than this run; --resume "
                        "only continues the same run: rerun it as it was, or without --resume "
                        "into a new --out"
                    )
            return
        for sub in ("records", "facts"):
            fs.makedirs(_join(root, sub), exist_ok=True)
        self.write_marker({**identity, "complete": False})

    def write_marker(self, data: dict[str, Any]) -> None:
        tmp = _join(self.root, f".{MARKER}.{uuid.uuid4().hex}.tmp")
        with self.fs.open(tmp, "wb") as fh:
            fh.write((json.dumps({"pressdeals": 1, **data}, indent=1) + "\n").encode())
        self.fs.mv(tmp, _join(self.root, MARKER))

    def finished(self) -> set[int]:
        """Partitions whose records file is in place."""
        folder = _join(self.root, "records")
        if not self.fs.exists(folder):
            return set()
        names = (str(p).rstrip("/").rsplit("/", 1)[-1] for p in self.fs.ls(folder, detail=False))
        return {int(m[1]) for n in names if (m := _PART.match(n))}
