"""SIGNED_AT through an anaphor in the next sentence (guidelines 100)."""

from __future__ import annotations

from pressdeals.pipeline.signing_anaphora import link_anaphoric_signings
from pressdeals.pipeline.tokenizer import blank_nlp


def _links(text: str, ents: list[tuple[str, str]], relations=(), aliases=()) -> set:
    doc = blank_nlp().make_doc(text)
    spans, where = [], {}
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
        where[surface] = [start, start + len(surface)]
    doc.ents = spans
    doc._.aliases = [[where[name] for name in group] for group in aliases]
    rels = [{"label": lab, "head": where[h], "tail": where[t]} for lab, h, t in relations]
    out = link_anaphoric_signings(doc, rels)
    return {(r["label"], text[slice(*r["head"])], text[slice(*r["tail"])]) for r in out}


ENTS = [
    ("5th Lake Fair", "EVENT"),
    ("Hill Forum", "EVENT"),
    ("40 projects", "COUNT"),
    ("2 billion yuan", "MONEY"),
    ("$280 million", "MONEY"),
]
VALUE = [("VALUE", "40 projects", "2 billion yuan")]


def test_the_anaphor_type_word_picks_the_event_of_the_previous_sentence():
    text = (
        "The 5th Lake Fair and the concurrent Hill Forum closed on Monday. Deals for 40 "
        "projects worth 2 billion yuan (about $280 million) were signed at the three-day fair."
    )
    assert _links(text, ENTS, VALUE) == {
        ("VALUE", "40 projects", "2 billion yuan"),
        ("SIGNED_AT", "40 projects", "5th Lake Fair"),  # the conversion gets nothing
    }


def test_the_event_is_the_first_one_named_and_its_nearest_mention():
    text = (
        "The 5th Lake Fair (LF) and the concurrent Hill Forum closed on Monday. In all, "
        "40 projects worth 2 billion yuan were inked during the event."
    )
    ents = ENTS[:4] + [("LF", "EVENT")]
    aliases = [["5th Lake Fair", "LF"]]
    assert ("SIGNED_AT", "40 projects", "LF") in _links(text, ents, VALUE, aliases)


def test_no_link_for_plans_for_linked_heads_for_headings_or_events_in_the_sentence():
    plans = (
        "The 5th Lake Fair closed on Monday. Deals for 40 projects worth 2 billion yuan are "
        "expected to be signed during the event."
    )
    linked = (
        "The 5th Lake Fair closed on Monday. The Hill Forum saw deals for 40 projects "
        "worth 2 billion yuan signed at the fair."
    )
    heading = "5th Lake Fair\n\nDeals for 40 projects worth 2 billion yuan were signed at the fair."
    ents = [e for e in ENTS if e[0] not in ("$280 million",)]
    for text in (plans, linked, heading):
        present = [e for e in ents if e[0] in text]
        assert _links(text, present, VALUE) == {("VALUE", "40 projects", "2 billion yuan")}
    already = [("SIGNED_AT", "40 projects", "Hill Forum")]
    text = (
        "The 5th Lake Fair and the Hill Forum closed. Deals for 40 projects worth 2 billion "
        "yuan were signed at the fair."
    )
    present = [e for e in ents if e[0] in text]
    assert ("SIGNED_AT", "40 projects", "5th Lake Fair") not in _links(
        text, present, VALUE + already
    )
