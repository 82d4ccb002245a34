"""Wrap-aware text rules: soft wraps collapse, offsets map back, sentences survive wraps."""

from pressdeals.pipeline.annotate import collapse_doc
from pressdeals.pipeline.text import collapse_wraps, sentence_spans, unwrap, wrap_width
from pressdeals.training.generate import generate, hard_wrap


def norm_sentences(text: str) -> list[str]:
    return [" ".join(text[s:e].split()) for s, e in sentence_spans(text)]


def test_wrapped_documents_have_the_sentences_of_the_unwrapped_ones():
    # 720 documents wrapped at six widths, with and without blank lines between lines
    same = total = 0
    for width in (60, 64, 68, 72, 76, 80):
        for blank in (False, True):
            for doc in generate(60, seed=width, wrap_probability=0):
                wrapped = hard_wrap(doc, width, blank_lines=blank)
                same += norm_sentences(wrapped.text) == norm_sentences(doc.text)
                total += 1
    # short documents with too few full lines to see the wrap width are the known misses
    assert same / total >= 0.99, f"{same}/{total}"


def test_collapse_maps_every_position_back():
    text = (
        "During the expo, officials said, a total of 42 projects worth 18.6\n\n"
        "billion yuan were signed at the 2025 Harbin Green Food Fair, while\n\n"
        "another 12 agreements are still under negotiation with investors from\n\n"
        "Russia, Mongolia and Kazakhstan and may be concluded during the 2025 Harbin\n\n"
        "Green Food Fair.\n"
    )
    flat, origin = collapse_wraps(text)
    assert "18.6 billion yuan" in flat and "Harbin Green Food Fair" in flat
    i = flat.rindex("Harbin Green Food Fair")
    assert (
        text[origin[i] : origin[i + len("Harbin Green Food Fair") - 1] + 1]
        == "Harbin\n\nGreen Food Fair"
    )
    assert len(origin) == len(flat) + 1


def test_unwrap_keeps_length_and_offsets():
    doc = hard_wrap(generate(1, seed=3, wrap_probability=0)[0], 70, blank_lines=True)
    assert len(unwrap(doc.text)) == len(doc.text)
    flat = collapse_doc(doc)
    assert sorted(" ".join(e.surface(doc.text).split()) for e in doc.entities) == sorted(
        e.surface(flat.text) for e in flat.entities
    )


def test_unwrapped_text_is_not_treated_as_wrapped():
    text = (
        "Title Line of the Release\n\n"
        + "A sentence that runs on. " * 20
        + "\n\n"
        + "Another paragraph that is long. " * 15
        + "\n"
    )
    assert wrap_width(text) is None
    assert collapse_wraps(text)[0] == text


def test_sentences_split_after_full_stops_but_not_abbreviations():
    text = "Deals worth U.S. $5 bn. were signed on Nov. 16 in Pune. Mr. Rao said 12 deals. Fine."
    assert norm_sentences(text) == [
        "Deals worth U.S. $5 bn. were signed on Nov. 16 in Pune.",
        "Mr. Rao said 12 deals.",
        "Fine.",
    ]


def test_title_line_is_its_own_sentence():
    text = "12 Projects Signed at Pune Expo\nPUNE, India -- The expo signed 12 deals.\n"
    assert norm_sentences(text)[0] == "12 Projects Signed at Pune Expo"


def test_per_text_caches_stay_within_their_character_budget(monkeypatch):
    from pressdeals.pipeline import text as text_rules

    monkeypatch.setattr(text_rules, "CACHE_CHARS", 100)
    text_rules.clear_text_cache()
    texts = [f"Deal {i} was signed.\nIt closed on day {i}. Fine." for i in range(10)]
    for t in texts + texts[:3]:
        assert text_rules.sentence_spans(t) == list(text_rules._sentence_spans(t))
    for cache in text_rules._caches:
        assert 0 < cache.chars <= 100
        assert cache.chars == sum(len(t) for t in cache.held)
    text_rules.clear_text_cache()


def test_doc_text_is_joined_once_per_doc_and_forgotten_with_it(blank):
    import gc

    from pressdeals.pipeline import extensions

    doc = blank("Twelve deals were signed at the Lagos Fair.\nThey are worth $3 billion.")
    first = extensions.doc_text(doc)
    assert first == doc.text
    assert extensions.doc_text(doc) is first  # spaCy's doc.text is a new string each time
    assert extensions.doc_text(blank("Another text.")) == "Another text."
    del doc
    gc.collect()
    assert "Twelve deals" not in "".join(extensions._texts.values())
