"""Round trips between brat, DocBin and JSONL must be lossless on the gold set."""

import shutil

from pressdeals.brat import read_brat, read_brat_dir, write_brat
from pressdeals.inline import parse_inline
from pressdeals.jsonl import read_jsonl, write_jsonl
from pressdeals.spacy_docs import read_docbin, write_docbin

from .conftest import GOLD


def test_gold_has_five_seed_documents(gold_docs):
    seeds = GOLD.parent.parent.parent / "shared" / "seeds"
    assert len(gold_docs) == 5
    if seeds.exists():  # the seeds sit beside the checkout in CI and on developer machines
        for doc in gold_docs:
            assert (seeds / f"{doc.id}.txt").read_bytes() == (GOLD / f"{doc.id}.txt").read_bytes()


def test_brat_docbin_jsonl_brat_round_trip_is_byte_identical(gold_docs, blank, tmp_path):
    write_docbin(gold_docs, blank, tmp_path / "gold.spacy")
    from_docbin = list(read_docbin(tmp_path / "gold.spacy", blank))
    write_jsonl(from_docbin, tmp_path / "gold.jsonl")
    from_jsonl = list(read_jsonl(tmp_path / "gold.jsonl"))
    for doc in from_jsonl:
        write_brat(doc, tmp_path / "brat")
    for doc in gold_docs:
        for suffix in (".txt", ".ann"):
            original = (GOLD / f"{doc.id}{suffix}").read_bytes()
            assert (tmp_path / "brat" / f"{doc.id}{suffix}").read_bytes() == original
    assert [d.sorted() for d in read_brat_dir(tmp_path / "brat")] == [d.sorted() for d in gold_docs]


def test_docbin_keeps_entities_and_relations(gold_docs, blank, tmp_path):
    write_docbin(gold_docs, blank, tmp_path / "g.spacy")
    back = {d.id: d for d in read_docbin(tmp_path / "g.spacy", blank)}
    for doc in gold_docs:
        assert back[doc.id].sorted() == doc.sorted()
        assert len(back[doc.id].relations) == len(doc.relations)


def test_crlf_text_keeps_code_point_offsets(tmp_path):
    doc = parse_inline("[Pune]{GPE} fair\r\nsigned [12 deals]{COUNT}.\r\n", "crlf")
    write_brat(doc, tmp_path)
    back = read_brat(tmp_path / "crlf.txt")
    assert back.text == doc.text and "\r\n" in back.text
    assert [e.surface(back.text) for e in back.entities] == ["Pune", "12 deals"]


def test_span_across_line_break_is_written_with_a_space(tmp_path):
    doc = parse_inline("the [Kunming\n\nTrade Fair]{EVENT} opened\n", "wrap")
    write_brat(doc, tmp_path)
    ann = (tmp_path / "wrap.ann").read_text(encoding="utf-8")
    assert ann == "T1\tEVENT 4 23\tKunming  Trade Fair\n"
    assert read_brat(tmp_path / "wrap.txt").entities[0].surface(doc.text) == "Kunming\n\nTrade Fair"


def test_gold_copy_is_independent_of_seed_folder(tmp_path):
    shutil.copytree(GOLD, tmp_path / "g")
    assert len(read_brat_dir(tmp_path / "g")) == 5
