"""Training corpus: validity, size, label counts, contamination guard, generator."""

import pytest

from pressdeals.brat import read_brat_dir
from pressdeals.training.corpus import SPLITS, corpus_stats, shared_ngrams, word_ngrams
from pressdeals.training.generate import generate, hard_wrap
from pressdeals.validate import validate_paths


@pytest.fixture(scope="module")
def stats():
    return corpus_stats()


def test_hand_written_corpus_size_and_validity(stats):
    assert stats["train"]["documents"] >= 150
    assert stats["dev"]["documents"] >= 40
    n, problems = validate_paths([SPLITS["train"], SPLITS["dev"], SPLITS["generated"]])
    assert n >= 190 and [p for p in problems if p.severity == "error"] == []


def test_training_mentions_per_label(stats):
    train = {k: stats["train"][k] + stats["generated"][k] for k in stats["train"]}
    for label in ("MONEY", "COUNT", "EVENT", "ORG", "GPE"):
        assert train[label] >= 300, label
    assert train["VALUE"] >= 200 and train["SIGNED_AT"] >= 120


@pytest.mark.parametrize("split", ["train", "dev", "generated"])
def test_no_training_document_shares_8_words_with_gold(split, gold_docs):
    contaminated = {}
    for doc in read_brat_dir(SPLITS[split]):
        hits = shared_ngrams(doc, gold_docs)
        if hits:
            contaminated[doc.id] = hits
    assert contaminated == {}


@pytest.fixture(scope="module")
def realdev_docs():
    from pressdeals.paths import REALDEV

    if not REALDEV.exists():
        pytest.skip("../shared/realdev is not here")
    return read_brat_dir(REALDEV)


@pytest.mark.parametrize("split", ["train", "dev", "generated"])
def test_no_training_document_copies_realdev_or_names_its_events(split, realdev_docs):
    """realdev is for measuring only: no 12-word sequence of it in the corpus (8 words catch
    newswire boilerplate such as `..., capital of northwest China's ... Region`), and no
    corpus document names one of its events (full names of two or more words, acronyms)."""
    names = {
        " ".join(d.text[e.start : e.end].split())
        for d in realdev_docs
        for e in d.entities
        if e.label == "EVENT"
    }
    names = {n for n in names if len(n.split()) >= 2 or n.isupper()}
    found = {}
    for doc in read_brat_dir(SPLITS[split]):
        events = {" ".join(doc.text[e.start : e.end].split()) for e in doc.entities}
        hits = shared_ngrams(doc, realdev_docs, n=12) + sorted(events & names)
        if hits:
            found[doc.id] = hits
    assert found == {}


def test_contamination_guard_catches_a_copied_sentence(gold_docs):
    from pressdeals.document import AnnotatedDoc

    sentence = gold_docs[1].text[200:320]
    doc = AnnotatedDoc("copy", "Some new intro. " + sentence, [], [])
    assert shared_ngrams(doc, gold_docs) and shared_ngrams(doc, gold_docs)[0].startswith(
        gold_docs[1].id
    )
    assert len(word_ngrams("one two three four five six seven eight nine")) == 2


def test_generator_is_reproducible_and_valid(tmp_path):
    from pressdeals.brat import write_brat

    first, second = generate(20, seed=5), generate(20, seed=5)
    assert [d.text for d in first] == [d.text for d in second]
    assert [d.text for d in generate(20, seed=6)] != [d.text for d in first]
    for doc in first:
        write_brat(doc, tmp_path)
    n, problems = validate_paths([tmp_path])
    assert n == 20 and problems == []
    assert sum(len(d.relations) for d in first) >= 40


def test_hard_wrap_moves_offsets_with_text():
    from pressdeals.inline import parse_inline

    doc = parse_inline(
        "Harbin Fair Signs 42 Deals\n"
        "A total of [42 projects]{COUNT#c} worth [18.6 billion yuan]{MONEY#m} were signed at "
        "the [2025 Harbin Green Food Fair]{EVENT#e} in [Harbin]{GPE} on Friday.\n"
        "=== relations\nVALUE c m\nSIGNED_AT c e\n",
        "w",
    )
    wrapped = hard_wrap(doc, 30, blank_lines=True)
    assert "\n\n" in wrapped.text
    before = [(e.label, " ".join(e.surface(doc.text).split())) for e in sorted(doc.entities)]
    after = [(e.label, " ".join(e.surface(wrapped.text).split())) for e in sorted(wrapped.entities)]
    assert before == after
    assert len(wrapped.relations) == 2


def test_hugging_face_export_round_trips(tmp_path, gold_docs):
    import datasets

    from pressdeals.training.corpus import docs_from_hf, export_hf

    counts = export_hf(tmp_path / "hf", {"gold": SPLITS["gold"], "dev": SPLITS["dev"]})
    assert counts == {"gold": 5, "dev": len(read_brat_dir(SPLITS["dev"]))}
    loaded = datasets.load_from_disk(str(tmp_path / "hf"))
    assert [d.sorted() for d in docs_from_hf(loaded["gold"])] == [d.sorted() for d in gold_docs]


@pytest.mark.parametrize("split", ["train", "dev", "generated"])
def test_quantities_keep_their_leading_approximator(split):
    """Schema: `more than`, `over`, `about` ... before an amount or count are inside it; the
    rule that the entity filter applies to the NER finds nothing to add in the gold data."""
    from pressdeals.pipeline.rehearsal import with_approximator
    from pressdeals.pipeline.tokenizer import blank_nlp

    nlp = blank_nlp()
    outside = []
    for doc_gold in read_brat_dir(SPLITS[split]):
        doc = nlp.make_doc(doc_gold.text)
        spans = [doc.char_span(e.start, e.end, label=e.label) for e in doc_gold.entities]
        taken = {i for s in spans if s is not None for i in range(s.start, s.end)}
        for span in spans:
            if span is not None and with_approximator(span, taken) is not span:
                outside.append(f"{doc_gold.id}: {span.text!r}")
    assert outside == []
