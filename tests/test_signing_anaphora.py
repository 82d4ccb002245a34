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


def test_a_back_reference_in_the_next_sentence_names_the_event():
    """Guidelines 103: `The agreements were signed at <EVENT>` after the signed count."""
    text = (
        "The two provinces signed 40 projects worth 2 billion yuan on Monday. The projects "
        "were signed on the sidelines of the Hill Forum held in the capital."
    )
    ents = [("40 projects", "COUNT"), ("2 billion yuan", "MONEY"), ("Hill Forum", "EVENT")]
    assert _links(text, ents, VALUE) == {
        ("VALUE", "40 projects", "2 billion yuan"),
        ("SIGNED_AT", "40 projects", "Hill Forum"),  # the count heads, not its value
    }
    # an amount heads where the sentence has no count
    alone = text.replace("40 projects worth ", "deals worth ").replace("The projects", "The deals")
    got = _links(alone, [("2 billion yuan", "MONEY"), ("Hill Forum", "EVENT")])
    assert got == {("SIGNED_AT", "2 billion yuan", "Hill Forum")}


def test_no_back_reference_for_plans_new_figures_events_in_the_sentence_or_other_phrasing():
    ents = [("40 projects", "COUNT"), ("2 billion yuan", "MONEY"), ("Hill Forum", "EVENT")]
    cases = [
        # the first sentence does not report a signing
        "The provinces expect to sign 40 projects worth 2 billion yuan. The projects were "
        "signed at the Hill Forum.",
        # the next sentence is not about the same things
        "The provinces signed 40 projects worth 2 billion yuan. Officials spoke at the Hill "
        "Forum.",
        # the next sentence plans rather than reports
        "The provinces signed 40 projects worth 2 billion yuan. The projects will be signed "
        "at the Hill Forum.",
        # the head's sentence names an event itself (the model's job)
        "The provinces signed 40 projects worth 2 billion yuan at the Lake Fair. The projects "
        "were signed at the Hill Forum.",
    ]
    for text in cases:
        present = [e for e in ents if e[0] in text]
        if "Lake Fair" in text:
            present.append(("Lake Fair", "EVENT"))
        assert _links(text, present, VALUE) == {("VALUE", "40 projects", "2 billion yuan")}, text
    # a new count or amount before the event: a new statement, not a back reference
    text = (
        "The provinces signed 40 projects worth 2 billion yuan. The deals, worth 300 million "
        "dollars, were signed at the Hill Forum."
    )
    more = [*ents, ("300 million dollars", "MONEY")]
    assert ("SIGNED_AT", "40 projects", "Hill Forum") not in _links(text, more, VALUE)
