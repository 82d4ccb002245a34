"""`pressdeals tag`: inputs of every kind, error records, exit codes, resume, formats."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.paths import SHIPPED_MODEL

from .conftest import GOLD

RELEASE = (
    "Harbin Fair Closes with 42 Deals\n\n"
    "HARBIN, China, May 9 (Xinhua) -- A total of 42 projects worth 18.6 billion yuan were "
    "signed at the 2025 Harbin Green Food Fair, the Harbin Municipal Bureau of Commerce said. "
    "Of these, 7 exceeded 1 billion yuan each.\n"
)


def tag(*args):
    result = CliRunner().invoke(app, ["tag", *map(str, args)])
    return result


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_inputs_give_error_records_and_exit_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(RELEASE, encoding="utf-8")
    (src / "empty.txt").write_text("  \n", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = "Caf\xe9 \xe0 la cr\xe8me: 12 deals in Z\xfcrich"
    (src / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    damaged = ("Z\u00fcrich caf\u00e9 " * 3).encode("utf-8") + b"\xff 12 deals"
    (src / "damaged.txt").write_bytes(damaged)
    (src / "big.txt").write_text(RELEASE * 20, encoding="utf-8")
    (src / "docs.jsonl").write_text(
        json.dumps({"id": "j1", "text": RELEASE})
        + "\n{not json\n"
        + json.dumps({"id": "j3", "body": "x"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = tag(src, tmp_path / "missing.txt", "--out", out, "--max-chars", 2000)
    assert result.exit_code == 1, result.output
    by_id = {r["id"]: r for r in records(out)}
    assert by_id["good"]["entities"] and "error" not in by_id["good"]
    assert by_id["j1"]["entities"]
    errors = {k: v["error"] for k, v in by_id.items() if "error" in v}
    assert "empty document" in errors["empty"]
    assert "binary" in errors["binary"]
    assert by_id["latin1"]["encoding"] == "cp1252" and "Zürich" in by_id["latin1"]["text"]
    assert "byte offset 42" in errors["damaged"]  # UTF-8 with a bad byte: not guessed
    assert "--max-chars" in errors["big"]
    assert "malformed JSONL" in errors["docs:2"]
    assert "no 'text' field" in errors["j3"]
    assert "no such file" in errors[str(tmp_path / "missing.txt")]
    assert len(by_id) == 10  # one record per input, nothing dropped
    assert "3 documents" in result.output and "7 errors" in result.output


def test_keep_going_exits_0(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "good.txt").write_text(RELEASE, encoding="utf-8")
    assert tag(tmp_path, "--out", tmp_path / "o.jsonl", "--keep-going").exit_code == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_encodings_are_detected_and_recorded(tmp_path, encoding):
    text = RELEASE.replace("HARBIN", "哈尔滨 HARBIN")
    (tmp_path / "doc.txt").write_bytes(text.encode(encoding))
    out = tmp_path / "o.jsonl"
    assert tag(tmp_path / "doc.txt", "--out", out).exit_code == 0
    (record,) = records(out)
    assert record["text"] == text
    assert record["encoding"].startswith(encoding.split("-sig")[0].replace("gb18030", "gb18030"))
    for e in record["entities"]:
        assert record["text"][e["start"] : e["end"]] == e["text"]


def test_crlf_offsets_index_the_original_text(tmp_path):
    text = RELEASE.replace("\n", "\r\n")
    (tmp_path / "doc.txt").write_bytes(text.encode("utf-8"))
    out = tmp_path / "o.jsonl"
    assert tag(tmp_path / "doc.txt", "--out", out).exit_code == 0
    (record,) = records(out)
    assert record["text"] == text
    assert any(e["text"] == "42 projects" for e in record["entities"])
    for e in record["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]


def test_html_text_is_extracted_and_stored(tmp_path):
    page = (
        "<html><head><title>Fair</title><script>var x = '12 deals';</script></head><body>"
        f"<p>{RELEASE.replace(chr(10), '</p><p>')}</p></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert tag(tmp_path / "page.html", "--out", out, "--no-text").exit_code == 0
    (record,) = records(out)
    assert record["extracted_from"] == "html" and "<p>" not in record["text"]
    assert "var x" not in record["text"]
    for e in record["entities"]:
        assert record["text"][e["start"] : e["end"]] == e["text"]


def test_oversize_split_keeps_every_entity_with_original_offsets(tmp_path):
    text = (RELEASE + "\n") * 6
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    whole, split = tmp_path / "whole.jsonl", tmp_path / "split.jsonl"
    assert tag(tmp_path / "big.txt", "--out", whole).exit_code == 0
    assert (
        tag(
            tmp_path / "big.txt", "--out", split, "--max-chars", 700, "--oversize", "split"
        ).exit_code
        == 0
    )
    (a,), (b,) = records(whole), records(split)
    assert [(e["start"], e["end"], e["label"]) for e in a["entities"]] == [
        (e["start"], e["end"], e["label"]) for e in b["entities"]
    ]
    assert len(b["deals"]) == len(a["deals"]) > 0


def test_jsonl_and_parquet_inputs_with_custom_fields(tmp_path):
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"key": "a1", "body": RELEASE}) + "\n", encoding="utf-8"
    )
    pq.write_table(
        pa.table({"key": ["p1", "p2"], "body": [RELEASE, RELEASE.upper()]}), tmp_path / "in.parquet"
    )
    out = tmp_path / "o.jsonl"
    result = tag(
        tmp_path / "in.jsonl",
        tmp_path / "in.parquet",
        "--out",
        out,
        "--text-field",
        "body",
        "--id-field",
        "key",
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in records(out)] == ["a1", "p1", "p2"]


def test_csv_parquet_brat_and_html_outputs(tmp_path):
    (tmp_path / "doc.txt").write_text(RELEASE, encoding="utf-8")
    assert (
        tag(
            tmp_path / "doc.txt",
            "--format",
            "csv",
            "--out",
            tmp_path / "deals.csv",
            "--html",
            tmp_path / "page.html",
        ).exit_code
        == 0
    )
    with open(tmp_path / "deals.csv", encoding="utf-8") as fh:
        rows = {r["count"]: r for r in csv.DictReader(fh)}
    row = rows["42"]
    assert (row["currency"], row["amount"]) == ("CNY", "18600000000.0")
    html = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "<svg" in html and "VALUE" in html and "42 projects" in html
    assert (
        tag(
            tmp_path / "doc.txt", "--format", "parquet", "--out", tmp_path / "deals.parquet"
        ).exit_code
        == 0
    )
    table = {r["count"]: r for r in pq.read_table(tmp_path / "deals.parquet").to_pylist()}
    assert table[42]["amount"] == pytest.approx(18.6e9)
    assert table[42]["event"] == "2025 Harbin Green Food Fair"
    assert tag(tmp_path / "doc.txt", "--format", "brat", "--out", tmp_path / "brat").exit_code == 0
    from pressdeals.brat import read_brat

    doc = read_brat(tmp_path / "brat" / "doc.txt")
    assert doc.text == RELEASE and doc.entities and doc.relations
    manifest = records(tmp_path / "brat.documents.jsonl")
    assert manifest[0]["id"] == "doc"


def test_wrapped_and_unwrapped_versions_tag_alike(gold_docs, tmp_path):
    import spacy

    from pressdeals.pipeline.annotate import annotate, collapse_doc

    nlp = spacy.load(SHIPPED_MODEL)
    wrapped = next(d for d in gold_docs if d.id.startswith("000"))
    flat = collapse_doc(wrapped)  # the same document with its hard wraps undone
    (a,), (b,) = list(annotate(nlp, [("w", wrapped.text)])), list(annotate(nlp, [("f", flat.text)]))

    def norm(doc):
        return sorted((e.label, " ".join(e.surface(doc.text).split())) for e in doc.entities)

    assert norm(a) == norm(b)
    assert len(a.relations) == len(b.relations)
    assert all(e.surface(wrapped.text).strip() == e.surface(wrapped.text) for e in a.entities)


def test_resume_after_interruption_completes_without_duplicates(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(40):
        (src / f"d{i:03d}.txt").write_text(RELEASE.replace("42", str(10 + i)), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "pressdeals.cli",
        "tag",
        str(src),
        "--out",
        str(out),
        "--batch-size",
        "1",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = tmp_path / "o.jsonl.partial"
    deadline = time.time() + 120
    while time.time() < deadline:
        if partial.exists() and partial.read_text(encoding="utf-8").count("\n") >= 5:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # an interrupted run never looks complete
    done_before = partial.read_text(encoding="utf-8").count("\n")
    assert 5 <= done_before < 40
    result = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    ids = [r["id"] for r in records(out)]
    assert sorted(ids) == [f"d{i:03d}" for i in range(40)]
    assert len(ids) == len(set(ids))
    assert "already done" in result.stderr


def test_stdin_input(tmp_path, monkeypatch):
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["tag", "-", "--out", str(out)], input=RELEASE.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert records(out)[0]["id"] == "stdin"


def test_gold_folder_tags_with_shipped_model(tmp_path):
    out = tmp_path / "o.jsonl"
    assert tag(GOLD, "--out", out).exit_code == 0
    recs = records(out)
    assert len(recs) == 5 and all(r["model"]["name"] == "en_pressdeals_cpu" for r in recs)


def test_two_processes_give_the_same_records_in_order(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"d{i:02d}.txt").write_text(RELEASE.replace("42", str(20 + i)), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert tag(src, "--out", one, "--batch-size", 2).exit_code == 0
    assert tag(src, "--out", two, "--batch-size", 2, "--n-process", 2).exit_code == 0
    assert records(one) == records(two)


def test_deals_built_in_the_pipeline_match_deals_built_from_the_record(tmp_path):
    from pressdeals.document import AnnotatedDoc, Entity, Relation
    from pressdeals.pipeline.deals import build_deals

    out = tmp_path / "o.jsonl"
    assert tag(GOLD, "--out", out).exit_code == 0
    for record in records(out):
        ents = {(e["start"], e["end"]): Entity(e["start"], e["end"], e["label"])
                for e in record["entities"]}
        rels = [Relation(ents[(r["head"]["start"], r["head"]["end"])],
                         ents[(r["tail"]["start"], r["tail"]["end"])], r["label"])
                for r in record["relations"]]
        aliases = [
            tuple(ents[(m["start"], m["end"])] for m in group) for group in record["aliases"]
        ]
        doc = AnnotatedDoc(record["id"], record["text"], list(ents.values()), rels, aliases)
        assert record["deals"] == build_deals(doc)
