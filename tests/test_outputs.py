"""What `pressdeals tag` writes, on a stub pipeline (rules, not a trained model): the JSONL
record's fields, one CSV and Parquet row per deal fact with columns from `DealFact`, and the
displaCy helper."""

import csv
import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.pipeline.deals import FACT_FIELDS

RELEASE = (
    "Delta Expo Closes with 42 Deals\n\n"
    "HARBIN, May 9 -- At the Delta Expo, 42 projects worth 18.6 billion yuan were signed. "
    "On the last day of DE, 42 projects worth 18.6 billion yuan were signed again, say "
    "organisers, while 7 deals worth 2.5 billion yuan were signed at the Delta Expo too.\n"
)


def run(*args):
    return CliRunner().invoke(app, ["tag", *map(str, args)])


def test_jsonl_record_has_facts_aliases_and_model_with_schema_version(stub_model, tmp_path):
    (tmp_path / "r.txt").write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(tmp_path / "r.txt", "--out", out, "--model", stub_model)
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["model"] == {"name": "en_stub", "version": "9.9.9", "schema_version": 2}
    assert [len(g) for g in record["aliases"]] == [4]
    # two statements of 42 projects / 18.6 billion are one fact; 7 deals are another
    assert [(f["count"], f["amount"], f["mentions"]) for f in record["facts"]] == [
        (42, 18.6e9, 2),
        (7, 2.5e9, 1),
    ]
    assert {f["event"] for f in record["facts"]} == {"Delta Expo"}
    assert len(record["deals"]) == 3


def test_csv_and_parquet_have_one_row_per_fact_with_the_fact_columns(stub_model, tmp_path):
    (tmp_path / "r.txt").write_text(RELEASE, encoding="utf-8")
    csv_out, pq_out = tmp_path / "d.csv", tmp_path / "d.parquet"
    for out, fmt in ((csv_out, "csv"), (pq_out, "parquet")):
        result = run(tmp_path / "r.txt", "--out", out, "--format", fmt, "--model", stub_model)
        assert result.exit_code == 0, result.output
    with open(csv_out, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == ["id", "source", *FACT_FIELDS, "model"]
    assert [r["count"] for r in rows] == ["42", "7"]
    table = pq.read_table(pq_out)
    assert table.column_names == ["id", "source", *FACT_FIELDS, "model"]
    assert table.column("amount").to_pylist() == [18.6e9, 2.5e9]
    assert str(table.schema.field("count").type) == "int64"
