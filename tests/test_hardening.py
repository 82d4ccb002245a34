"""Bad inputs and misuse (issue 10): each gets its error record or a one-line message, nothing
is lost, nothing is written outside --out, no traceback. Sections follow the issue's items."""

from __future__ import annotations

import csv
import errno
import json
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.display import SECTION_START
from pressdeals.inputs import InputOptions, Inputs
from pressdeals.tagger import TagOptions, run_tag, split_text
from pressdeals.writers import Output, OutputError

RELEASE = (
    "Harbin Fair Closes with 42 Deals\n\n"
    "HARBIN, China, May 9 (Xinhua) -- A total of 42 projects worth 18.6 billion yuan were "
    "signed at the 2025 Harbin Green Food Fair, the Harbin Municipal Bureau of Commerce said.\n"
)


def cli(*args, input=None):
    result = CliRunner().invoke(app, [str(a) for a in args], input=input)
    # a misuse ends in SystemExit with a message, never in another exception
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def error_line(result) -> str:
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@Language.component("explode_on_boom")
def _explode(doc):
    if "BOOM" in doc.text:
        raise RuntimeError("boom")
    return doc


@pytest.fixture()
def bomb_nlp():
    """A small pipeline that fails on any text containing BOOM."""
    nlp = spacy.blank("en")
    nlp.add_pipe("explode_on_boom")
    return nlp


# --- 1. writes outside the output folder ---------------------------------------------------


def test_brat_file_names_stay_inside_out_and_are_unique(tmp_path):
    ids = ["../../x", "/abs/path", "", ".", "a" * 300, "CON", "A", "a", "sub/doc", "sub/doc"]
    src = write_jsonl(tmp_path / "ids.jsonl", [{"id": i, "text": RELEASE} for i in ids])
    work = tmp_path / "work"
    work.mkdir()
    result = cli("tag", src, "--format", "brat", "--out", work / "brat")
    assert result.exit_code == 0, result.output
    outside = {p for p in tmp_path.rglob("*") if p.suffix in (".txt", ".ann")}
    assert all(work / "brat" in p.parents for p in outside), outside
    manifest = records(work / "brat.documents.jsonl")
    assert len(manifest) == len(ids)  # every input listed, none merged
    files = [m["file"] for m in manifest]
    assert len({f.casefold() for f in files}) == len(files)
    for m in manifest:
        assert (work / "brat" / m["file"]).read_text(encoding="utf-8") == RELEASE
        assert len(m["file"].encode()) < 200 and "/" not in m["file"]


def test_convert_to_brat_uses_safe_names_and_never_overwrites(tmp_path):
    src = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": "../escape", "text": "x"}, {"id": "../escape", "text": "y"}],
    )
    assert cli("convert", src, tmp_path / "out").exit_code == 0
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "_escape-2.ann", "_escape-2.txt", "_escape.ann", "_escape.txt"
    ]
    again = cli("convert", src, tmp_path / "out")
    assert again.exit_code == 1 and "will not overwrite" in error_line(again)


# --- 2. never delete a user's folder ---------------------------------------------------------


def test_brat_out_refuses_a_folder_it_did_not_write(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(RELEASE, encoding="utf-8")
    (src / "notes.doc").write_text("mine", encoding="utf-8")
    result = cli("tag", src, "--format", "brat", "--out", src)
    assert result.exit_code == 2 and "did not write" in error_line(result)
    assert sorted(p.name for p in src.iterdir()) == ["a.txt", "notes.doc"]
    (tmp_path / "root" / "sub").mkdir(parents=True)
    (tmp_path / "root" / "keep.txt").write_text("keep", encoding="utf-8")
    result = cli("tag", src, "--format", "brat", "--out", tmp_path / "root" / "sub" / "..")
    assert result.exit_code == 2
    assert (tmp_path / "root" / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_replacing_a_brat_output_keeps_files_someone_added(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "brat"
    assert cli("tag", src, "--format", "brat", "--out", out).exit_code == 0
    (out / "annotation.conf").write_text("[entities]\n", encoding="utf-8")
    assert cli("tag", src, "--format", "brat", "--out", out).exit_code == 0
    assert (out / "annotation.conf").read_text(encoding="utf-8") == "[entities]\n"
    assert (out / "in.txt").exists() and not list(tmp_path.glob("brat.previous*"))
    # a file someone added under a name the next run writes too: the old folder is kept
    (out / "other.txt").write_text("my notes", encoding="utf-8")
    (tmp_path / "other.txt").write_text(RELEASE, encoding="utf-8")
    result = cli("tag", src, tmp_path / "other.txt", "--format", "brat", "--out", out)
    assert result.exit_code == 0 and "kept" in result.output
    (kept,) = tmp_path.glob("brat.previous-*")
    assert (kept / "other.txt").read_text(encoding="utf-8") == "my notes"
    assert (out / "other.txt").read_text(encoding="utf-8") == RELEASE


# --- 3. CSV formula injection ------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_are_neutralised_in_csv_only(tmp_path):
    src = write_jsonl(tmp_path / "f.jsonl", [{"id": "=HYPERLINK(\"x\")", "text": RELEASE}])
    assert cli("tag", src, "--format", "csv", "--out", tmp_path / "d.csv").exit_code == 0
    with open(tmp_path / "d.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["id"] == "'=HYPERLINK(\"x\")" for r in rows)
    for row in rows:  # no text cell starts with a formula character
        assert not any(v.lstrip().startswith(("=", "+", "-", "@")) for v in row.values())
    assert cli("tag", src, "--out", tmp_path / "r.jsonl").exit_code == 0
    assert records(tmp_path / "r.jsonl")[0]["id"] == "=HYPERLINK(\"x\")"


def test_csv_cell_rules():
    from pressdeals.writers import csv_cell

    assert [csv_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\t=1", " =1", "ok")] == [
        "'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\t=1", "' =1", "ok"
    ]
    assert csv_cell(-5) == -5 and csv_cell(None) is None


# --- 4. cost linear in the input ---------------------------------------------------------


def test_text_rules_are_linear_on_many_short_lines():
    from pressdeals.pipeline.text import (
        clear_text_cache,
        collapse_wraps,
        sentence_index,
        sentence_spans,
    )

    def seconds(n: int) -> float:
        # the best of three cold runs: one run on a busy machine can stall (a GC pass, another
        # process) and fail the ratio below without any quadratic code
        text = "".join(f"line {i} has words here\n" for i in range(n))
        best = float("inf")
        for _ in range(3):
            clear_text_cache()
            start = time.perf_counter()
            collapse_wraps(text)
            sentence_spans(text)
            sentence_index(text)
            best = min(best, time.perf_counter() - start)
        return best

    # both texts under the per-text cache's size (`text.CACHE_CHARS`), so that the two
    # runs do the same work per character (a larger one is split three times, not once)
    small, large = seconds(4_000), seconds(32_000)
    # 8x the lines: linear code takes about 8x as long, the old quadratic code 64x (and 126 s
    # for 20k lines); a wide margin for a busy machine
    assert large < 5.0 and large < 25 * max(small, 0.01), (small, large)


def test_split_text_always_advances():
    assert split_text("abc def", 1) == list(range(7))
    with pytest.raises(ValueError):
        split_text("abc", 0)


def test_batches_stop_at_a_character_budget():
    from pressdeals.pipeline.annotate import BATCH_CHARS, batch_plan

    def sizes(lengths: list[int], batch_size: int) -> list[int]:
        return [end - start for start, end in batch_plan(lengths, batch_size)]

    assert sizes([100] * 10, 4) == [4, 4, 2]  # plain batch_size batches
    assert sizes([BATCH_CHARS // 3] * 7, 64) == [3, 3, 1]
    assert sizes([2 * BATCH_CHARS] * 2, 64) == [1, 1]
    assert batch_plan([], 4) == []


def test_worker_chunks_are_whole_batches_of_the_one_process_plan():
    """Worker processes get the batches one process would tag (same scores to the bit)."""
    from pressdeals.pipeline.annotate import BATCH_CHARS, ZONE_DOCS, batch_plan
    from pressdeals.pipeline.processes import _chunks

    lengths = [(i * 7919) % (BATCH_CHARS // 8) + 50 for i in range(ZONE_DOCS + 700)]
    docs = [(str(i), "x" * n) for i, n in enumerate(lengths)]
    expected = [
        (block + start, block + end)
        for block in range(0, len(lengths), ZONE_DOCS)
        for start, end in batch_plan(lengths[block : block + ZONE_DOCS], 64)
    ]
    got, offset = [], 0
    for chunk in _chunks(docs, 64):
        # the worker's own plan of its chunk, in stream positions
        got += [(offset + s, offset + e) for s, e in batch_plan([len(t) for _, t in chunk], 64)]
        offset += len(chunk)
    assert offset == len(docs)
    assert got == expected


def test_a_long_document_is_tagged_in_parts_like_the_whole(tmp_path):
    from pressdeals.cli import load_model
    from pressdeals.tagger import PART_CHARS

    text = "\n".join([RELEASE] * (PART_CHARS // len(RELEASE) + 20))
    assert len(text) > PART_CHARS
    src = write_jsonl(tmp_path / "long.jsonl", [{"id": "long", "text": text}])
    nlp = load_model(None)
    whole, parts = tmp_path / "whole.jsonl", tmp_path / "parts.jsonl"
    run_tag(nlp, Inputs([str(src)]), TagOptions(out=whole, part_chars=10**9))
    run_tag(nlp, Inputs([str(src)]), TagOptions(out=parts))
    (a,), (b,) = records(whole), records(parts)
    assert a["entities"] == b["entities"] and len(a["deals"]) == len(b["deals"]) > 0
    # the same relations; scores may differ in the last digits where a window of context
    # crosses a part boundary
    def unscored(record):
        return [{k: v for k, v in r.items() if k != "score"} for r in record["relations"]]

    assert unscored(a) == unscored(b)


# --- 5. one bad document never aborts the run ----------------------------------------------


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_document_the_pipeline_fails_on_becomes_an_error_record(tmp_path, bomb_nlp, n_process):
    rows = [
        {"id": f"d{i}", "text": ("BOOM " if i in (3, 7) else "") + f"text {i}"} for i in range(20)
    ]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "o.jsonl"
    options = TagOptions(out=out, batch_size=4, n_process=n_process)
    summary = run_tag(bomb_nlp, Inputs([str(src)]), options)
    by_id = {r["id"]: r for r in records(out)}
    assert len(by_id) == 20 and summary.documents == 18 and summary.errors == 2
    assert "RuntimeError: boom" in by_id["d3"]["error"] and "error" not in by_id["d4"]


def test_surrogates_deep_nesting_and_huge_numbers_in_jsonl_are_error_records(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "good", "text": RELEASE})
        + '\n{"id": "sur", "text": "bad \\ud800 text"}\n'
        + '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + '{"id": "big", "text": ' + "9" * 5000 + "}\n",
        encoding="utf-8",
    )
    result = cli("tag", src, "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 1
    by_id = {r["id"]: r for r in records(tmp_path / "o.jsonl")}
    assert by_id["good"]["entities"]
    assert "unpaired surrogate" in by_id["sur"]["error"]
    assert "nested too deeply" in by_id["in:3"]["error"]
    assert "malformed JSONL" in by_id["in:4"]["error"]


def test_a_corrupt_parquet_page_loses_only_its_rows(tmp_path):
    texts = [f"The Harbin fair signed {i} deals." for i in range(40)]
    path = tmp_path / "c.parquet"
    pq.write_table(
        pa.table({"id": [f"r{i}" for i in range(40)], "text": texts}),
        path,
        row_group_size=20,
        compression="none",
    )
    data = bytearray(path.read_bytes())
    offset = pq.ParquetFile(path).metadata.row_group(1).column(1).data_page_offset
    data[offset : offset + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    items = list(Inputs([str(path)]))
    assert [i.id for i in items[:20]] == [f"r{i}" for i in range(20)]
    assert items[20].id == "c:rows 21-40" and "unreadable Parquet" in items[20].error


def test_max_chars_above_spacys_max_length_tags_the_document(tmp_path, bomb_nlp):
    bomb_nlp.max_length = 100
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "long", "text": "word " * 50}])
    out = tmp_path / "o.jsonl"
    run_tag(bomb_nlp, Inputs([str(src)]), TagOptions(out=out, max_chars=1000))
    assert "error" not in records(out)[0]


# --- 6. nothing silently lost -----------------------------------------------------------


@pytest.mark.parametrize(
    "option, value", [("--batch-size", 0), ("--batch-size", -1), ("--max-chars", 0),
                      ("--n-process", 0)]
)
def test_bad_numbers_are_refused_before_anything_runs(tmp_path, option, value):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    result = cli("tag", tmp_path / "a.txt", option, value, "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 2 and option in error_line(result)
    assert not list(tmp_path.glob("o.jsonl*"))


def test_special_and_broken_entries_get_error_records(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(RELEASE, encoding="utf-8")
    os.symlink("nowhere.txt", src / "dangling.txt")
    os.symlink("loop.txt", src / "loop.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "sub").mkdir()
    os.symlink("..", src / "sub" / "up")
    (src / "empty.jsonl").write_text("\n", encoding="utf-8")
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), src / "none.parquet")
    os.mkfifo(tmp_path / "named.txt")  # a FIFO named on the command line must not hang
    result = cli("tag", src, tmp_path / "named.txt", "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 1
    errors = {r["id"]: r["error"] for r in records(tmp_path / "o.jsonl") if "error" in r}
    assert "dangling symlink" in errors["dangling"]
    assert "symlink loop" in errors["loop"] and "symlink loop" in errors["sub/up"]
    assert "FIFO" in errors["pipe"] and "FIFO" in errors["named"]
    assert "no JSONL records" in errors["empty"] and "no rows" in errors["none"]
    assert "failed: dangling" in result.output  # the summary names failed inputs


def test_a_file_deleted_after_listing_gets_an_error_record(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(RELEASE, encoding="utf-8")
    items = iter(Inputs([str(tmp_path)]))
    first = next(items)
    (tmp_path / "b.txt").unlink()
    second = next(items)
    assert first.id == "a" and second.id == "b" and "disappeared" in second.error


def test_folders_report_what_they_pass_over_and_an_empty_input_set_is_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "in" / ".hidden.txt").write_text(RELEASE, encoding="utf-8")
    result = cli("tag", tmp_path / "in", "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 1 and "no input files found" in error_line(result)
    assert "1 hidden" in result.output and "1 with other suffixes" in result.output
    assert not (tmp_path / "o.jsonl").exists()


# --- 7. two runs, one output ---------------------------------------------------------------


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    holder = Output(tmp_path / "o.jsonl", "jsonl")
    holder.check(False)
    holder.lock()
    try:
        result = cli("tag", tmp_path / "a.txt", "--out", tmp_path / "o.jsonl")
        assert result.exit_code == 2 and "another pressdeals run" in error_line(result)
    finally:
        holder.unlock()
    assert cli("tag", tmp_path / "a.txt", "--out", tmp_path / "o.jsonl").exit_code == 0
    assert not (tmp_path / "o.jsonl.lock").exists()


def test_no_success_is_reported_for_an_output_that_vanished(tmp_path, bomb_nlp):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{i}", "text": "x"} for i in range(3)])
    out = tmp_path / "o.jsonl"

    def items():
        for i, item in enumerate(Inputs([str(src)])):
            if i == 1:  # someone else removes the partial output mid-run
                (tmp_path / "o.jsonl.partial").unlink()
            yield item

    with pytest.raises((OSError, OutputError)):
        run_tag(bomb_nlp, items(), TagOptions(out=out))
    assert not out.exists()


# --- 8. resume checks what it continues ---------------------------------------------------


def test_duplicate_and_null_ids_are_made_unique_never_merged(tmp_path):
    rows = [{"id": "a", "text": RELEASE}, {"id": "a", "text": RELEASE}, {"id": None, "text": "x"},
            {"text": "y"}, {"id": "", "text": "z"}]
    items = list(Inputs([str(write_jsonl(tmp_path / "d.jsonl", rows))]))
    assert [i.id for i in items] == ["a", "a#2", "d:3", "d:4", "d:5"]
    assert items[1].input_id == "a"


def test_resume_refuses_other_texts_and_other_models(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(RELEASE.replace("42", str(40 + i)), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert cli("tag", src, "--out", out).exit_code == 0
    assert all(len(r["input_sha256"]) == 64 for r in records(out))
    (src / "d1.txt").write_text(RELEASE.replace("42", "99"), encoding="utf-8")
    result = cli("tag", src, "--out", out, "--resume")
    assert result.exit_code == 2 and "differs from the one tagged" in error_line(result)
    # the refused run left the partial it resumes from untouched: another model wrote it now
    lines = records(tmp_path / "o.jsonl.partial")
    lines[0]["model"]["version"] = "9.9"
    write_jsonl(tmp_path / "o.jsonl.partial", lines)
    result = cli("tag", src, "--out", out, "--resume")
    assert result.exit_code == 2 and "written by model" in error_line(result)


def test_resume_retries_error_records(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", "text": RELEASE}])
    out = tmp_path / "o.jsonl"
    write_jsonl(
        tmp_path / "o.jsonl.partial",
        [{"id": "a", "source": "d.jsonl:1", "error": "the disk was full"}],
    )
    assert cli("tag", src, "--out", out, "--resume").exit_code == 0
    (record,) = records(out)
    assert record["id"] == "a" and "error" not in record


@pytest.mark.parametrize("fmt", ["csv", "parquet", "brat"])
def test_an_interrupted_run_resumes_without_loss_or_duplicates(tmp_path, monkeypatch, fmt):
    from pressdeals.writers import _ManifestWriter

    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"d{i}.txt").write_text(RELEASE.replace("42", str(40 + i)), encoding="utf-8")
    out = tmp_path / {"csv": "o.csv", "parquet": "o.parquet", "brat": "o"}[fmt]
    note, calls = _ManifestWriter._note, []

    def killed_on_the_fourth(self, record, **extra):
        # the fourth document's rows or files are written, its manifest line is not
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(record["id"])
        note(self, record, **extra)

    monkeypatch.setattr(_ManifestWriter, "_note", killed_on_the_fourth)
    result = cli("tag", src, "--format", fmt, "--out", out)
    assert result.exit_code == 130 and "--resume" in error_line(result)
    monkeypatch.undo()
    assert not out.exists() and (tmp_path / f"{out.name}.documents.jsonl.partial").exists()
    result = cli("tag", src, "--format", fmt, "--out", out, "--resume")
    assert result.exit_code == 0 and "3 already done" in result.output, result.output
    manifest = records(tmp_path / f"{out.name}.documents.jsonl")
    assert sorted(m["id"] for m in manifest) == [f"d{i}" for i in range(5)]
    if fmt == "csv":
        with open(out, encoding="utf-8", newline="") as fh:
            ids = [r["id"] for r in csv.DictReader(fh)]
    elif fmt == "parquet":
        ids = pq.read_table(out).column("id").to_pylist()
    else:
        ids = sorted(p.stem for p in out.glob("*.txt"))
        assert ids == [f"d{i}" for i in range(5)]
    assert sorted(set(ids)) == [f"d{i}" for i in range(5)]
    per_doc = {i: ids.count(i) for i in set(ids)}
    assert len(set(per_doc.values())) == 1  # every document's rows once, none twice


# --- 9. encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding, text",
    [
        ("The fair in Zürich signed 12 deals.".encode("latin-1"), "cp1252", "Zürich"),
        ("The “Expo” in Nürnberg – €5 million.".encode("cp1252"), "cp1252", "“Expo”"),
        ("哈尔滨 42 projects worth 5 billion yuan".encode("utf-16-le"), "utf-16-le", "哈尔滨"),
        ("哈尔滨国际经济贸易洽谈会签约42个项目".encode("gb18030"), "gb18030", "哈尔滨"),
    ],
)
def test_legacy_encodings_are_detected_with_a_confidence(data, encoding, text):
    from pressdeals.decode import decode

    decoded = decode(data)
    assert decoded.encoding == encoding and text in decoded.text
    assert 0.6 <= decoded.confidence <= 1.0


def test_utf8_with_a_bad_byte_is_an_error_naming_the_offset():
    from pressdeals.decode import DecodeError, decode

    data = ("Zürich café " * 3).encode("utf-8") + b"\xff 12 deals"
    with pytest.raises(DecodeError, match="byte offset 42"):
        decode(data)


def test_the_record_says_the_encoding_and_its_confidence(tmp_path):
    (tmp_path / "z.txt").write_bytes(RELEASE.replace("HARBIN", "Zürich").encode("latin-1"))
    assert cli("tag", tmp_path / "z.txt", "--out", tmp_path / "o.jsonl").exit_code == 0
    (record,) = records(tmp_path / "o.jsonl")
    assert record["encoding"] == "cp1252" and record["encoding_confidence"] >= 0.6
    assert "Zürich" in record["text"]


# --- 10. outputs ----------------------------------------------------------------------------


def test_out_of_range_numbers_become_null_with_a_reason(tmp_path):
    text = (
        "Harbin Fair signed 123456789012345678901234 projects worth "
        + "9" * 400
        + " yuan at the 2025 Harbin Fair.\n"
    )
    src = write_jsonl(tmp_path / "num.jsonl", [{"id": "n", "text": text}])
    assert cli("tag", src, "--out", tmp_path / "n.jsonl").exit_code == 0
    raw = (tmp_path / "n.jsonl").read_text(encoding="utf-8")
    assert "Infinity" not in raw and "NaN" not in raw
    (deal,) = json.loads(raw)["deals"]
    assert deal["count"] is None and "out of range" in deal["count_reason"]
    assert deal["value"]["amount"] is None and "out of range" in deal["value"]["reason"]
    assert cli("tag", src, "--format", "parquet", "--out", tmp_path / "n.parquet").exit_code == 0
    (row,) = pq.read_table(tmp_path / "n.parquet").to_pylist()
    assert row["count"] is None and row["amount"] is None


def test_jsonl_lines_stay_lines_for_every_reader(tmp_path):
    # U+0085, U+2028 and U+2029 are valid raw in JSON strings, but str.splitlines (and
    # JavaScript) break lines there: they are written escaped
    text = RELEASE + "a\x85b\u2028c\u2029d\n"
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "x\x85y", "text": text}])
    assert cli("tag", src, "--out", tmp_path / "o.jsonl").exit_code == 0
    (record,) = records(tmp_path / "o.jsonl")  # records() splits with str.splitlines
    assert record["text"] == text and record["id"] == "x\x85y"


def test_clean_numbers_keeps_what_fits():
    from pressdeals.writers import clean_numbers

    record = {"count": 2**53, "count_max": 2**53 + 1, "value": {"amount": 1.5e12, "reason": None}}
    clean_numbers(record)
    assert record["count"] == 2**53 and record["count_max"] is None
    assert record["value"] == {"amount": 1.5e12, "reason": None}


def test_html_page_is_atomic_and_survives_resume(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(RELEASE, encoding="utf-8")
    page, out = tmp_path / "p.html", tmp_path / "o.jsonl"
    assert cli("tag", src, "--out", out, "--html", page).exit_code == 0
    (src / "b.txt").write_text(RELEASE.replace("42", "43"), encoding="utf-8")
    assert cli("tag", src, "--out", out, "--html", page, "--resume").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count(SECTION_START) == 2 and html.count("<!DOCTYPE") == 1
    assert html.endswith("</body></html>\n") and not (tmp_path / "p.html.partial").exists()


def test_output_inside_the_input_folder_is_not_read_back(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(RELEASE, encoding="utf-8")
    args = ("tag", src, "--out", src / "out.jsonl", "--html", src / "page.html")
    assert cli(*args).exit_code == 0
    result = cli(*args)
    assert result.exit_code == 0 and "pressdeals output file(s)" in result.output
    assert [r["id"] for r in records(src / "out.jsonl")] == ["a"]


# --- 11. every misuse: one line, non-zero exit, no traceback --------------------------------


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--out", "{tmp}"], "is a folder"),
        (["--out", "."], "is a folder"),
        (["--out", "{tmp}/x.csv"], "use --format csv"),
        (["--format", "brat", "--out", "{tmp}/x.jsonl"], "writes a folder"),
        (["--out", "{tmp}/missing/o.jsonl"], "does not exist"),
        (["--html", "{tmp}/missing/p.html"], "does not exist"),
        (["--out", "{tmp}/user.jsonl"], "is not a pressdeals JSONL output"),
    ],
)
def test_bad_outputs_are_refused_with_one_line(tmp_path, extra, message):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "user.jsonl").write_text('{"mine": 1}\n', encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    result = cli("tag", tmp_path / "a.txt", *args)
    assert result.exit_code == 2 and message in error_line(result)
    assert (tmp_path / "user.jsonl").read_text(encoding="utf-8") == '{"mine": 1}\n'


def test_disk_full_is_one_line_and_keeps_the_partial(tmp_path, monkeypatch):
    from pressdeals import writers

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.partial))

    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    monkeypatch.setattr(writers.JsonlLog, "write", full)
    result = cli("tag", tmp_path / "a.txt", "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 2 and "No space left on device" in error_line(result)
    assert "--resume" in error_line(result) and not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("line", ["not json", '{"no": "id"}'])
def test_a_broken_partial_output_is_named_on_resume(tmp_path, line):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "o.jsonl.partial").write_text(line + "\n", encoding="utf-8")
    result = cli("tag", tmp_path / "a.txt", "--out", tmp_path / "o.jsonl", "--resume")
    assert result.exit_code == 2 and "o.jsonl.partial:1:" in error_line(result)


def test_default_out_follows_the_format(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("tag", "a.txt", "--format", "csv").exit_code == 0
    assert (tmp_path / "tagged.csv").exists() and not (tmp_path / "tagged.jsonl").exists()


def test_missing_input_is_named_in_the_summary(tmp_path):
    result = cli("tag", tmp_path / "nope.txt", "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'nope.txt'}" in result.output


def _brat(folder: Path, text: str, ann: bytes | str, txt_bytes: bytes | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    if txt_bytes is None:
        (folder / "d.txt").write_text(text, encoding="utf-8")
    else:
        (folder / "d.txt").write_bytes(txt_bytes)
    data = ann.encode("utf-8") if isinstance(ann, str) else ann
    (folder / "d.ann").write_bytes(data)
    return folder


@pytest.mark.parametrize(
    "case, message",
    [
        ("latin1 txt", "not UTF-8"),
        ("latin1 ann", "not UTF-8"),
        ("bad offsets", "out of range"),
        ("missing T id", "not defined"),
    ],
)
def test_validate_convert_evaluate_name_the_bad_file(tmp_path, case, message):
    text = "Pune fair: 12 deals."
    ann, txt = "T1\tCOUNT 11 19\t12 deals\n", None
    if case == "latin1 txt":
        txt = "Zürich fair: 12 deals.".encode("latin-1")
    elif case == "latin1 ann":
        ann = "T1\tCOUNT 11 19\t12 d\xe9als\n".encode("latin-1")
    elif case == "bad offsets":
        ann = "T1\tCOUNT 11 99\t12 deals\n"
    else:
        ann += "R1\tVALUE Arg1:T1 Arg2:T7\t\n"
    gold = _brat(tmp_path / "g", text, ann, txt)
    for args in (
        ("validate", gold),
        ("convert", gold, tmp_path / "out.jsonl"),
        ("evaluate", gold, "--pred", gold),
    ):
        result = cli(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "d." in result.output  # the file is named
    assert not (tmp_path / "out.jsonl").exists()


def test_an_ann_with_a_bom_reads_like_one_without(tmp_path):
    gold = _brat(tmp_path / "g", "Pune fair: 12 deals.", b"\xef\xbb\xbfT1\tCOUNT 11 19\t12 deals\n")
    assert cli("validate", gold).exit_code == 0
    assert cli("convert", gold, tmp_path / "g.jsonl").exit_code == 0
    assert records(tmp_path / "g.jsonl")[0]["entities"][0]["text"] == "12 deals"


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "a", "text": 5}, "must be"),
        ({"id": "a", "text": "x y", "entities": "no"}, "must be a list"),
        ({"id": "a", "text": "x y", "entities": [{"start": "0", "end": 1, "label": "ORG"}]},
         "must be"),
        ({"id": "a", "text": "x y", "entities": [{"start": 0, "end": 9, "label": "ORG"}]},
         "out of range"),
        ({"id": "a", "text": "x y", "relations": [{"head": 1}]}, "must be"),
    ],
)
def test_wrong_json_types_are_one_line_errors(tmp_path, record, message):
    src = write_jsonl(tmp_path / "d.jsonl", [record])
    for args in (
        ("validate", src),
        ("convert", src, tmp_path / "out"),
        ("evaluate", src, "--pred", src),
    ):
        result = cli(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert not (tmp_path / "out").exists()  # convert writes nothing it cannot write right


def test_convert_refuses_overlaps_into_spacy_and_unknown_suffixes(tmp_path):
    src = write_jsonl(
        tmp_path / "o.jsonl",
        [{"id": "o", "text": "Pune Expo fair", "entities": [
            {"start": 0, "end": 9, "label": "EVENT"}, {"start": 0, "end": 4, "label": "GPE"}]}],
    )
    result = cli("convert", src, tmp_path / "o.spacy")
    assert result.exit_code == 1 and "overlap" in error_line(result)
    for target in ("out.csv", "out.josnl"):
        result = cli("convert", src, tmp_path / target)
        assert result.exit_code == 1 and "unknown output suffix" in error_line(result)
        assert not (tmp_path / target).exists()


def test_evaluate_refuses_repeated_ids_and_a_report_in_a_missing_folder(tmp_path):
    one = {"id": "a", "text": "x", "entities": [], "relations": []}
    gold = write_jsonl(tmp_path / "g.jsonl", [one])
    pred = write_jsonl(tmp_path / "p.jsonl", [one, one])
    result = cli("evaluate", gold, "--pred", pred)
    assert result.exit_code == 1 and "more than once" in error_line(result)
    result = cli("evaluate", gold, "--pred", gold, "--report", tmp_path / "no" / "r.json")
    assert result.exit_code == 2 and "--report" in error_line(result)


def test_output_checks_run_before_the_model_loads(tmp_path, monkeypatch):
    import pressdeals.cli as cli_module

    def no_model(model):
        raise AssertionError("the model was loaded before the options were checked")

    monkeypatch.setattr(cli_module, "load_model", no_model)
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    result = cli("tag", tmp_path / "a.txt", "--out", tmp_path)
    assert result.exit_code == 2


def test_inputs_exclude_the_runs_own_outputs(tmp_path):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "o.jsonl").write_text("", encoding="utf-8")
    options = InputOptions(exclude=frozenset({(tmp_path / "o.jsonl").resolve()}))
    assert [i.id for i in Inputs([str(tmp_path)], options)] == ["a"]
    with pytest.raises(OutputError):
        Output(Path("/"), "jsonl")
