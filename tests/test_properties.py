"""Property-based tests (hypothesis): random ids, texts, bytes and brat files through `tag`,
`convert`, `validate` and `evaluate` raise nothing but the documented errors, lose nothing and
write nothing outside --out; the linear text rules agree with the old quadratic ones."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pressdeals.cli import app

from . import reference_text

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# characters that break naive code: separators, dots, controls, quotes, CJK, a lone surrogate
_NASTY = list("/\\.:*?\"<>|\x00\t\r\n =+-@'’“€₹哈\u3000\ufeff\ud800") + ["..", "\r\n", "CON"]
ids = st.one_of(
    st.none(),
    st.integers(-(2**70), 2**70),
    st.lists(st.one_of(st.sampled_from(_NASTY), st.text(max_size=5)), max_size=8).map("".join),
)
words = st.sampled_from(
    ["42 projects", "worth", "18.6 billion yuan", "were signed at the", "Harbin Fair", ".", "\n",
     "\n\n", "Rs 500 crore", "€5m", "Mr.", "U.S.", "9" * 30, "哈尔滨", "BOOM", "\ud800", "  "]
)
texts = st.one_of(st.lists(words, max_size=40).map(" ".join), st.text(max_size=200))


def cli(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    # the documented way out: an exit code and a message; never another exception
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.output,
        result.exception,
    )
    assert "Traceback" not in result.output
    return result


def _json_line(record: dict) -> str:
    # ensure_ascii keeps a lone surrogate as a \ud800 escape, as broken producers write it
    return json.dumps(record, ensure_ascii=True)


@SETTINGS
@given(
    rows=st.lists(st.tuples(ids, st.one_of(texts, st.integers(), st.none())), max_size=6),
    fmt=st.sampled_from(["jsonl", "brat", "csv", "parquet"]),
)
def test_tag_gives_one_record_per_input_and_stays_inside_out(rows, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        src = base / "in.jsonl"
        src.write_text(
            "".join(_json_line({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8"
        )
        work = base / "work"
        work.mkdir()
        out = work / {"jsonl": "o.jsonl", "brat": "o", "csv": "o.csv", "parquet": "o.parquet"}[fmt]
        result = cli("tag", src, "--format", fmt, "--out", out, "--max-chars", 500)
        assert result.exit_code in (0, 1)
        log = out if fmt == "jsonl" else work / f"{out.name}.documents.jsonl"
        lines = [json.loads(ln) for ln in log.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == max(len(rows), 1)  # one record per input (or "empty table")
        assert len({r["id"] for r in lines}) == len(lines)
        written = {p for p in base.rglob("*") if p.is_file()}
        assert all(p == src or work in p.parents for p in written)
        if fmt == "brat":
            for line in lines:
                if "file" in line:
                    assert (out / line["file"]).parent == out


@SETTINGS
@given(data=st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_random_bytes_files_each_give_a_record_or_an_error_record(data):
    from pressdeals.inputs import InputDoc, InputError, Inputs

    with tempfile.TemporaryDirectory() as tmp:
        for i, blob in enumerate(data):
            (Path(tmp) / f"f{i}.txt").write_bytes(blob)
            (Path(tmp) / f"t{i}.jsonl").write_bytes(blob)
            (Path(tmp) / f"h{i}.html").write_bytes(blob)
        items = list(Inputs([tmp]))
        assert all(isinstance(i, InputDoc | InputError) for i in items)
        names = {i.source.split(":")[0] for i in items}
        assert len(names) == 3 * len(data)  # no file without its record


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
def test_decode_raises_only_decode_error(data):
    from pressdeals.decode import DecodeError, decode

    try:
        decoded = decode(data)
    except DecodeError:
        return
    assert 0.0 < decoded.confidence <= 1.0
    assert decoded.text.encode(decoded.encoding.replace("-sig", "")) or not data


def _ann_line(n_text: int) -> st.SearchStrategy[str]:
    label = st.sampled_from(["MONEY", "COUNT", "EVENT", "ORG", "GPE", "PERSON", ""])
    offset = st.integers(-2, n_text + 3)
    t_line = st.builds(
        lambda i, lab, a, b, s: f"T{i}\t{lab} {a} {b}\t{s}",
        st.integers(0, 6), label, offset, offset, st.text(max_size=8),
    )
    r_line = st.builds(
        lambda i, lab, a, b: f"R{i}\t{lab} Arg1:T{a} Arg2:T{b}\t",
        st.integers(0, 4), st.sampled_from(["VALUE", "SIGNED_AT", "X"]),
        st.integers(0, 6), st.integers(0, 6),
    )
    equiv = st.builds(lambda a, b: f"*\tEquiv T{a} T{b}", st.integers(0, 6), st.integers(0, 6))
    return st.one_of(t_line, r_line, equiv, st.text(max_size=20))


@st.composite
def brat_files(draw) -> tuple[bytes, bytes]:
    text = draw(texts)
    lines = draw(st.lists(_ann_line(len(text)), max_size=8))
    ann = "\n".join(lines).encode("utf-8", "surrogatepass")
    txt = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        ann = b"\xef\xbb\xbf" + ann
    if draw(st.integers(0, 5)) == 0:
        txt = txt + b"\xff"
    return txt, ann


@SETTINGS
@given(docs=st.lists(brat_files(), min_size=1, max_size=3))
def test_validate_convert_evaluate_on_random_brat_files(docs):
    from pressdeals.brat import read_brat_dir

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        gold = base / "gold"
        gold.mkdir()
        for i, (txt, ann) in enumerate(docs):
            (gold / f"d{i}.txt").write_bytes(txt)
            (gold / f"d{i}.ann").write_bytes(ann)
        assert cli("validate", gold).exit_code in (0, 1)
        assert cli("evaluate", gold, "--pred", gold).exit_code in (0, 1)
        converted = cli("convert", gold, base / "g.jsonl")
        assert converted.exit_code in (0, 1)
        if converted.exit_code == 0:  # lossless: back to brat, the same documents
            assert cli("convert", base / "g.jsonl", base / "back").exit_code == 0
            before = [d.sorted() for d in read_brat_dir(gold)]
            assert [d.sorted() for d in read_brat_dir(base / "back")] == before
            assert cli("validate", base / "g.jsonl").exit_code in (0, 1)
            assert cli("convert", base / "g.jsonl", base / "g.spacy").exit_code in (0, 1)
        else:
            assert not (base / "g.jsonl").exists()


@settings(max_examples=200, deadline=None)
@given(doc_id=st.text())
def test_safe_stems_are_plain_file_names(doc_id):
    from pressdeals.brat import safe_stem

    stem = safe_stem(doc_id)
    assert stem and stem not in (".", "..") and not stem.startswith(".")
    assert not set(stem) & set("/\\\x00:*?\"<>|") and len(stem.encode("utf-8")) <= 120


_LINES = st.sampled_from(
    ["", " ", "x" * 70 + " y", "wrapped at width and then", "lower case next", "U.S. $5 bn.",
     "- bullet", "1. item", "Title Line", "Mr. Rao said 12 deals. Fine.", "\t", "end.", "“Quoted.”",
     "approx.", "a.b.c", "£418.1m.", "\u3000indent", "\x0cform", "42 projects worth Rs 5 crore"]
)


_ENDS = st.sampled_from(["\n", "\n\n", "\r\n", "\n\n\n", " \n"])


@st.composite
def line_texts(draw) -> str:
    """Loose lines, or paragraphs hard-wrapped at a steady width (what the wrap rules see)."""
    ends = draw(st.lists(_ENDS, min_size=1, max_size=5))
    if draw(st.booleans()):
        lines = draw(st.lists(_LINES, max_size=30))
    else:
        import textwrap

        body = " ".join(draw(st.lists(st.one_of(_LINES, words), min_size=20, max_size=120)))
        lines = textwrap.wrap(body, width=draw(st.integers(40, 90)))
    return "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))


@settings(max_examples=300, deadline=None)
@given(text=line_texts())
def test_linear_text_rules_agree_with_the_old_ones(text):
    from pressdeals.pipeline import text as new

    for name in ("soft_wraps", "collapse_wraps", "sentence_spans", "sentence_index", "unwrap"):
        assert getattr(new, name)(text) == getattr(reference_text, name)(text), name
    for dot in range(0, len(text), 7):
        assert new._is_abbreviation(text, dot) == reference_text._is_abbreviation(text, dot)
