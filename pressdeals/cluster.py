"""Tagging on a Dask cluster: Dask DataFrames of releases in, Dask DataFrames of records out.

    import dask.dataframe as dd
    from pressdeals.cluster import tag_dataframe, deal_facts

    releases = dd.read_parquet("s3://archive/releases/")        # `id` and `text` columns
    records = tag_dataframe(releases)                           # one row per document
    facts = deal_facts(records)                                 # one row per deal fact

Named `cluster`, not `dask`: a module `pressdeals/dask.py` would shadow the real `dask`
wherever `pressdeals/` itself lands on `sys.path` (a script run from that folder, some test
runners), and `import dask` inside it reads like a self-import.

Each worker process loads the model once (`worker_model`, a cache keyed by the model's
path or name); tasks carry the path, never the pipeline. A partition goes through
`tagger.run_tag`, the loop behind `pressdeals tag`: the same wrap handling, long documents in
parts, error records for bad documents and for documents the pipeline fails on, so every
record equals the one `pressdeals tag` writes (`row_record` gives it back as a dict).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressdeals.inputs import InputOptions, Item, _record_item, _UniqueIds
from pressdeals.paths import SHIPPED_MODEL
from pressdeals.writers import _Writer, deal_rows, dumps

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    from spacy.language import Language

    from pressdeals.document import AnnotatedDoc

# one row per document: the record's scalars as columns, its lists as JSON text
SCALAR_COLUMNS = ["id", "source", "input_id", "error", "text", "input_sha256"]
JSON_COLUMNS = ["entities", "relations", "aliases", "deals", "facts"]
MODEL_COLUMNS = ["model_name", "model_version", "schema_version"]
RECORD_COLUMNS = [*SCALAR_COLUMNS, *JSON_COLUMNS, *MODEL_COLUMNS]
# record keys that only file inputs have (tables give none): kept in `extra` when present
EXTRA_KEYS = ("encoding", "encoding_confidence", "extracted_from")

_MODELS: dict[str, Language] = {}
_LOAD = threading.Lock()
# one tagging run at a time per process: a worker started with several threads shares one
# pipeline, whose memory zones and vocab are not safe to use from two threads at once
_TAGGING = threading.Lock()


@dataclass(frozen=True)
class TagSettings:
    """What a partition is tagged with (small and picklable: sent with every task)."""

    model: str = ""  # path or package; "" is the shipped model
    text_field: str = "text"
    id_field: str = "id"
    include_text: bool = True
    max_chars: int = 1_000_000
    oversize: str = "refuse"
    batch_size: int = 64

    def input_options(self) -> InputOptions:
        return InputOptions(text_field=self.text_field, id_field=self.id_field)


def model_key(model: str | Path | None) -> str:
    return str(model) if model else str(SHIPPED_MODEL)


def worker_model(model: str | Path | None = None) -> Language:
    """The pipeline `model` names, loaded once per process (every task on a worker after
    the first finds it here)."""
    key = model_key(model)
    with _LOAD:
        if key not in _MODELS:
            from pressdeals.api import load
            from pressdeals.backend import restore_malloc_thresholds

            restore_malloc_thresholds()  # Dask's nanny fixes a trim threshold: 30% slower
            _MODELS[key] = load(key)
        return _MODELS[key]


class _Collect(_Writer):
    """A `run_tag` writer that keeps a partition's records in memory, in input order."""

    def __init__(self) -> None:
        self.done: dict[str, str | None] = {}
        self.records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any], doc: AnnotatedDoc) -> None:
        self.records.append(record)

    def error(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def close(self, complete: bool) -> list[Path]:
        return []


@dataclass
class PartitionRecords:
    records: list[dict[str, Any]]
    words: int
    seconds: float


def tag_items(items: Iterable[Item], settings: TagSettings) -> PartitionRecords:
    """The records `pressdeals tag` writes for `items` (one per item, in order), tagged in
    this process with the worker's cached model. Ids repeated within `items` get `#2`..."""
    from pressdeals.tagger import TagOptions, run_tag

    nlp = worker_model(settings.model or None)
    ids = _UniqueIds()

    def unique() -> Iterable[Item]:
        for item in items:
            new_id, given = ids.take(item.id)
            if given is not None:
                item.id, item.input_id = new_id, given
            yield item

    collect = _Collect()
    options = TagOptions(
        out=Path("unused.jsonl"),  # the records go to `collect`
        include_text=settings.include_text,
        max_chars=settings.max_chars,
        oversize=settings.oversize,
        batch_size=settings.batch_size,
    )
    with _TAGGING:
        summary = run_tag(nlp, unique(), options, writer=collect)
    return PartitionRecords(collect.records, summary.words, summary.seconds)


# --- records as table rows -------------------------------------------------------------------


def record_row(record: dict[str, Any]) -> dict[str, Any]:
    """One table row of a record (error records have null entities... and an `error`)."""
    row: dict[str, Any] = {k: record.get(k) for k in SCALAR_COLUMNS}
    for key in JSON_COLUMNS:
        row[key] = dumps(record[key]) if key in record else None
    model = record.get("model") or {}
    row["model_name"] = model.get("name")
    row["model_version"] = model.get("version")
    row["schema_version"] = model.get("schema_version")
    extra = {k: record[k] for k in EXTRA_KEYS if k in record}
    if extra:  # never for table inputs; kept so that nothing of a record is lost
        row["extra"] = dumps(extra)
    return row


def row_record(row: dict[str, Any]) -> dict[str, Any]:
    """The record `pressdeals tag` writes, from a row of `record_row` (the inverse)."""
    record: dict[str, Any] = {"id": row["id"], "source": row["source"]}
    for key in ("error", "text", "input_id", "input_sha256"):
        if row.get(key) is not None:
            record[key] = row[key]
    for key in JSON_COLUMNS:
        if row.get(key) is not None:
            record[key] = json.loads(row[key])
    if row.get("extra"):
        record.update(json.loads(row["extra"]))
    record["model"] = {
        "name": row["model_name"],
        "version": row["model_version"],
        "schema_version": int(row["schema_version"]),
    }
    return record


def record_schema() -> pa.Schema:
    import pyarrow as pa

    from pressdeals.inputs import PARQUET_MARKER

    fields = [(name, pa.string()) for name in RECORD_COLUMNS]
    fields[RECORD_COLUMNS.index("schema_version")] = ("schema_version", pa.int64())
    return pa.schema(fields).with_metadata({PARQUET_MARKER: b'{"table": "records"}'})


def records_table(records: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    rows = [record_row(r) for r in records]
    schema = record_schema()
    if any("extra" in row for row in rows):
        schema = schema.append(pa.field("extra", pa.string()))
    return pa.Table.from_pylist(rows, schema=schema)


def facts_table(records: list[dict[str, Any]]) -> pa.Table:
    """One row per deal fact of `records` (the columns of `--format parquet`)."""
    import pyarrow as pa

    from pressdeals.writers import _parquet_schema

    rows = [row for r in records if "facts" in r for row in deal_rows(r)]
    model = records[0]["model"] if records else {}
    return pa.Table.from_pylist(rows, schema=_parquet_schema(model))


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    strings = pd.StringDtype("pyarrow")
    return table.to_pandas(types_mapper={pa.string(): strings}.get)


# --- Dask DataFrames -------------------------------------------------------------------------


def tag_pandas(frame: pd.DataFrame, settings: TagSettings) -> pd.DataFrame:
    """Records of one pandas partition (runs on a worker). A `source` column, when there,
    names each row's origin in its record."""
    options = settings.input_options()
    sources = frame["source"] if "source" in frame.columns else None
    columns = [c for c in (settings.text_field, settings.id_field) if c in frame.columns]

    def items() -> Iterable[Item]:
        for n, (index, values) in enumerate(frame[columns].iterrows()):
            record = {c: _plain(values[c]) for c in columns}
            where = "" if sources is None else str(sources.iloc[n])
            yield _record_item(record, where, str(index), options)

    return _to_pandas(records_table(tag_items(items(), settings).records))


def _plain(value: Any) -> Any:
    """A pandas cell as JSONL would give it: missing values (None, NaN, pd.NA) are None."""
    import pandas as pd

    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def records_meta() -> pd.DataFrame:
    return _to_pandas(record_schema().empty_table())


def tag_dataframe(
    releases: dd.DataFrame,
    *,
    id_column: str = "id",
    text_column: str = "text",
    model: str | Path | None = None,
    include_text: bool = True,
    max_chars: int = 1_000_000,
    oversize: str = "refuse",
    batch_size: int = 64,
) -> dd.DataFrame:
    """A Dask DataFrame of records, one row per row of `releases` (an `id_column` and a
    `text_column`; a missing id becomes the row's index): `RECORD_COLUMNS`, with entities,
    relations, aliases, deals and facts as JSON text and `error` set for error records."""
    if text_column not in releases.columns:
        raise ValueError(
            f"no column {text_column!r} in the releases (columns: "
            f"{', '.join(map(str, releases.columns))}); pass text_column="
        )
    settings = TagSettings(
        model="" if model is None else str(model),
        text_field=text_column,
        id_field=id_column,
        include_text=include_text,
        max_chars=max_chars,
        oversize=oversize,
        batch_size=batch_size,
    )
    return releases.map_partitions(tag_pandas, settings, meta=records_meta())


def facts_pandas(records: pd.DataFrame) -> pd.DataFrame:
    rows = records.astype(object).where(records.notna(), None).to_dict("records")
    return _to_pandas(facts_table([row_record(r) for r in rows if r.get("facts") is not None]))


def deal_facts(records: dd.DataFrame) -> dd.DataFrame:
    """One row per deal fact of a records DataFrame (`tag_dataframe`, or a dataset that
    `pressdeals tag --scheduler/--dask-workers` wrote): the columns of `--format parquet`.
    Sum the rows with an empty `part_of`."""
    return records.map_partitions(facts_pandas, meta=_to_pandas(facts_table([])))
