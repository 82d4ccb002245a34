"""Output writers for `pressdeals tag`.

Every writer works on a `.partial` file or folder and renames it into place only when the run
finishes, so a partial output never looks complete; `--resume` reads the ids already in
the partial (or finished) output and appends the rest.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path
from typing import Any

from pressdeals.brat import write_brat
from pressdeals.document import AnnotatedDoc

DEAL_COLUMNS = [
    "id",
    "source",
    "head_label",
    "head_text",
    "head_start",
    "head_end",
    "count",
    "count_max",
    "count_approximator",
    "amount",
    "amount_max",
    "currency",
    "currency_inferred",
    "value_approximator",
    "value_text",
    "value_start",
    "value_end",
    "value_reason",
    "conversions",
    "event_text",
    "event_start",
    "event_end",
    "event_inferred",
    "model",
]


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def prepare_partial(out: Path, resume: bool) -> Path:
    """The .partial twin of `out` (file or folder): on --resume seeded from a finished `out`
    when no partial is left, otherwise started afresh."""
    partial = partial_path(out)
    if resume and not partial.exists() and out.exists():
        (shutil.copytree if out.is_dir() else shutil.copyfile)(out, partial)
    if not resume and partial.exists():
        if partial.is_dir():
            shutil.rmtree(partial)
        else:
            partial.unlink()
    return partial


def _read_ids(path: Path) -> set[str]:
    """Ids of the complete lines of a JSONL file; a torn last line is cut off."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    with open(path, "rb+") as fh:
        data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # the run was killed mid-line
            fh.truncate(end)
    for line in data[:end].splitlines():
        if line.strip():
            ids.add(json.loads(line)["id"])
    return ids


class JsonlLog:
    """Append-only JSONL file written through a .partial twin."""

    def __init__(self, path: Path, resume: bool) -> None:
        self.path, self.partial = path, prepare_partial(path, resume)
        self.done = _read_ids(self.partial) if resume else set()
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.partial, "a", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.fh.flush()

    def close(self, complete: bool) -> None:
        self.fh.close()
        if complete:
            os.replace(self.partial, self.path)


class JsonlWriter:
    """One JSON record per document (or error), in one file."""

    def __init__(self, out: Path, resume: bool) -> None:
        self.log = JsonlLog(out, resume)
        self.done = self.log.done

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        self.log.write(record)

    def error(self, record: dict[str, Any]) -> None:
        self.log.write(record)

    def close(self, complete: bool) -> list[Path]:
        self.log.close(complete)
        return [self.log.path]


class _ManifestWriter:
    """Base for formats whose main output is not one record per document: a manifest
    `<out>.documents.jsonl` lists every input with its outcome (nothing is lost)."""

    def __init__(self, out: Path, resume: bool) -> None:
        self.out = out
        self.manifest = JsonlLog(out.with_name(out.name + ".documents.jsonl"), resume)
        self.done = self.manifest.done

    def _note(self, record: dict[str, Any]) -> None:
        self.manifest.write(
            {
                "id": record["id"],
                "source": record["source"],
                "entities": len(record["entities"]),
                "relations": len(record["relations"]),
                "deals": len(record["deals"]),
            }
        )

    def error(self, record: dict[str, Any]) -> None:
        self.manifest.write(record)


class BratWriter(_ManifestWriter):
    """A folder of NAME.txt/NAME.ann, ready for correction in brat or INCEpTION."""

    def __init__(self, out: Path, resume: bool) -> None:
        super().__init__(out, resume)
        self.partial = prepare_partial(out, resume)
        self.partial.mkdir(parents=True, exist_ok=True)

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        folder = self.partial / Path(doc.id).parent
        write_brat(AnnotatedDoc(Path(doc.id).name, doc.text, doc.entities, doc.relations), folder)
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.manifest.close(complete)
        if complete:
            if self.out.exists():
                shutil.rmtree(self.out)
            os.replace(self.partial, self.out)
        return [self.out, self.manifest.path]


def deal_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    model = f"{record['model']['name']}-{record['model']['version']}"
    for deal in record["deals"]:
        value = deal.get("value") or {}
        event = deal.get("event") or {}
        rows.append(
            {
                "id": record["id"],
                "source": record["source"],
                "head_label": deal["head"]["label"],
                "head_text": " ".join(deal["head"]["text"].split()),
                "head_start": deal["head"]["start"],
                "head_end": deal["head"]["end"],
                "count": deal.get("count"),
                "count_max": deal.get("count_max"),
                "count_approximator": deal.get("count_approximator"),
                "amount": value.get("amount"),
                "amount_max": value.get("amount_max"),
                "currency": value.get("currency"),
                "currency_inferred": value.get("currency_inferred"),
                "value_approximator": value.get("approximator"),
                "value_text": " ".join(value["text"].split()) if value else None,
                "value_start": value.get("start"),
                "value_end": value.get("end"),
                "value_reason": value.get("reason"),
                "conversions": json.dumps(deal.get("conversions") or [], ensure_ascii=False),
                "event_text": " ".join(event["text"].split()) if event else None,
                "event_start": event.get("start"),
                "event_end": event.get("end"),
                "event_inferred": event.get("inferred"),
                "model": model,
            }
        )
    return rows


class CsvWriter(_ManifestWriter):
    """One CSV row per deal record."""

    def __init__(self, out: Path, resume: bool) -> None:
        super().__init__(out, resume)
        self.partial = prepare_partial(out, resume)
        new = not self.partial.exists() or self.partial.stat().st_size == 0
        if not new:
            _drop_rows_of_unfinished(self.partial, self.done)
        self.fh = open(self.partial, "a", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.fh, fieldnames=DEAL_COLUMNS)
        if new:
            self.csv.writeheader()

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        self.csv.writerows(deal_rows(record))
        self.fh.flush()
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.fh.close()
        self.manifest.close(complete)
        if complete:
            os.replace(self.partial, self.out)
        return [self.out, self.manifest.path]


def _drop_rows_of_unfinished(path: Path, done: set[str]) -> None:
    """Rows written for a document whose manifest line never made it are written again."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DEAL_COLUMNS)
        writer.writeheader()
        writer.writerows(r for r in rows if r["id"] in done)


class ParquetWriter(_ManifestWriter):
    """One Parquet row per deal record; rows are staged as JSONL and converted at the end."""

    def __init__(self, out: Path, resume: bool) -> None:
        super().__init__(out, resume)
        self.rows = JsonlLog(out.with_name(out.name + ".rows.jsonl"), resume)
        if resume:
            _filter_jsonl(self.rows.partial, self.done)

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        for row in deal_rows(record):
            self.rows.write(row)
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.manifest.close(complete)
        self.rows.fh.close()
        if complete:
            _jsonl_to_parquet(self.rows.partial, self.out)
            self.rows.partial.unlink()
        return [self.out, self.manifest.path]


def _filter_jsonl(path: Path, keep: set[str]) -> None:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    path.write_text(
        "".join(ln + "\n" for ln in lines if json.loads(ln)["id"] in keep), encoding="utf-8"
    )


def _jsonl_to_parquet(rows_path: Path, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("head_label", pa.string()),
            ("head_text", pa.string()),
            ("head_start", pa.int64()),
            ("head_end", pa.int64()),
            ("count", pa.int64()),
            ("count_max", pa.int64()),
            ("count_approximator", pa.string()),
            ("amount", pa.float64()),
            ("amount_max", pa.float64()),
            ("currency", pa.string()),
            ("currency_inferred", pa.bool_()),
            ("value_approximator", pa.string()),
            ("value_text", pa.string()),
            ("value_start", pa.int64()),
            ("value_end", pa.int64()),
            ("value_reason", pa.string()),
            ("conversions", pa.string()),
            ("event_text", pa.string()),
            ("event_start", pa.int64()),
            ("event_end", pa.int64()),
            ("event_inferred", pa.bool_()),
            ("model", pa.string()),
        ]
    )
    tmp = partial_path(out)
    with pq.ParquetWriter(tmp, schema) as writer, open(rows_path, encoding="utf-8") as fh:
        batch: list[dict] = []
        for line in fh:
            batch.append(json.loads(line))
            if len(batch) >= 5000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    os.replace(tmp, out)


WRITERS = {"jsonl": JsonlWriter, "brat": BratWriter, "csv": CsvWriter, "parquet": ParquetWriter}
