"""The batched NER decoder: the same entities as spaCy's greedy loop, used by the shipped
pipeline and by every training config."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.pipeline._parser_internals import _beam_utils

from pressdeals.brat import read_brat_dir
from pressdeals.pipeline.batched_ner import MIN_BATCHED_DOCS, BatchedEntityRecognizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp():
    import pressdeals

    return pressdeals.load()


def _entities(ner, docs, parsed) -> list[list[tuple[int, int, str]]]:
    # the states borrow from `parsed` (beams free theirs): it must outlive them
    states = _beam_utils.collect_states(parsed, docs)
    out = []
    for state, doc in zip(states, docs, strict=True):
        copy = doc.copy()
        ner.moves.set_annotations(state, copy)
        out.append([(e.start, e.end, e.label_) for e in copy.ents])
    return out


def _vectors(nlp, texts):
    return list(nlp.get_pipe("tok2vec").pipe(nlp.make_doc(t) for t in texts))


def test_batched_decoding_finds_what_spacys_greedy_loop_finds(nlp):
    ner = nlp.get_pipe("ner")
    assert isinstance(ner, BatchedEntityRecognizer)
    texts = [d.text for d in read_brat_dir(ROOT / "corpus" / "dev")]
    compared = 0
    for i in range(0, len(texts), 16):
        docs = _vectors(nlp, texts[i : i + 16])
        greedy = _entities(ner, docs, ner.greedy_parse(docs))
        batched = _entities(ner, docs, ner.predict(docs))
        assert batched == greedy, f"dev texts {i}-{i + 16}"
        compared += sum(map(len, greedy))
    assert compared > 1000


def test_batches_take_the_vectorised_decoder_and_small_ones_spacys(nlp):
    ner = nlp.get_pipe("ner")
    text = "Forty deals worth $2 billion were signed at the Lagos Trade Fair in Nigeria."
    # spaCy's NER decodes nlp.pipe's batches (64 by default) in quarters
    many = _vectors(nlp, [text] * 16)
    few = _vectors(nlp, [text] * (MIN_BATCHED_DOCS - 1))
    assert MIN_BATCHED_DOCS > 1
    # the beam decoder returns beams, spaCy's loop parse states
    assert type(ner.predict(many)[0]).__name__ == "Beam"
    assert type(ner.predict(few)[0]).__name__ != "Beam"


def test_empty_and_blank_documents_in_a_batch(nlp):
    texts = ["", "   ", "\n\n", "Twelve projects were signed at the Canton Fair.", "", "Deals."]
    texts += ["The China-Africa Expo closed with 30 agreements worth 10 billion yuan."] * 4
    docs = list(nlp.pipe(texts))
    assert [len(d.ents) for d in docs[:3]] == [0, 0, 0]
    assert docs[4].ents == ()
    labels = {e.label_ for e in docs[3].ents}
    assert "EVENT" in labels
    assert [[(e.text, e.label_) for e in d.ents] for d in docs[6:]] == [
        [(e.text, e.label_) for e in docs[6].ents]
    ] * 4


@pytest.mark.parametrize("name", ["cpu_sm", "cpu_md", "cpu", "trf"])
def test_every_config_and_the_shipped_model_decode_in_batches(name):
    from thinc.api import Config

    config = Config().from_disk(ROOT / "configs" / f"{name}.cfg", interpolate=False)
    assert config["components"]["ner"]["factory"] == "batched_ner"
    shipped = ROOT / "models" / "pressdeals-cpu" / "config.cfg"
    shipped = Config().from_disk(shipped, interpolate=False)
    assert shipped["components"]["ner"]["factory"] == "batched_ner"
