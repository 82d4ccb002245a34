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
from pressdeals.pipeline.deals import FACT_FIELDS, FACT_TYPES

# one row per deal fact: the fact's own fields (`pipeline.deals.DealFact`) between the
# document's id and source and the model that made it
DEAL_COLUMNS = ["id", "source", *FACT_FIELDS, "model"]


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
                "facts": len(record["facts"]),
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
        named = AnnotatedDoc(Path(doc.id).name, doc.text, doc.entities, doc.relations, doc.aliases)
        write_brat(named, folder)
        self._note(record)

    def close(self, complete: bool) -> list[Path]:
        self.manifest.close(complete)
        if complete:
            if self.out.exists():
                shutil.rmtree(self.out)
            os.replace(self.partial, self.out)
        return [self.out, self.manifest.path]


def deal_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The table rows of one record: one per deal fact."""
    model = f"{record['model']['name']}-{record['model']['version']}"
    return [
        {"id": record["id"], "source": record["source"], **fact, "model": model}
        for fact in record["facts"]
    ]


class CsvWriter(_ManifestWriter):
    """One CSV row per deal fact."""

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
    """One Parquet row per deal fact; rows are staged as JSONL and converted at the end."""

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

    arrow = {int: pa.int64(), float: pa.float64(), str: pa.string(), bool: pa.bool_()}
    schema = pa.schema(
        [("id", pa.string()), ("source", pa.string())]
        + [(name, arrow[FACT_TYPES[name]]) for name in FACT_FIELDS]
        + [("model", pa.string())]
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
