"""Event alias grouping: each rule, its negative, and label consistency in the component."""

import pytest
from spacy.tokens import Span

from pressdeals.document import Entity
from pressdeals.pipeline.aliases import CHANGES, group_events, same_event
from pressdeals.pipeline.tokenizer import blank_nlp


def groups(text: str, names: list[str]) -> list[list[str]]:
    events, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        events.append(Entity(start, start + len(name), "EVENT"))
        pos = start + len(name)
    return [[text[e.start : e.end] for e in g] for g in group_events(text, events)]


@pytest.mark.parametrize(
    "a,b",
    [
        ("China International Import Expo", "CIIE"),  # initials
        ("6th China International Import Expo", "CIIE 2023"),  # initials, editions apart
        ("Global Agritech Investment Forum", "GAIF"),
        ("Africa Investment Forum", "2019 Africa Investment Forum"),  # same name, year
        ("Forum on Trade and Investment", "FTI"),  # initials without the small words
        ("Forum on Trade and Investment", "FOTAI"),  # initials with them
        ("Steppe Invest", "Steppe Invest 2025"),
        ("China International Import Expo", "6th China International Import Expo"),  # contained
        ("XYZ", "XYZ2024"),  # year glued on
    ],
)
def test_names_of_one_event(a, b):
    assert same_event(a, b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("Canton Fair", "Harbin Fair"),
        ("China-ASEAN Expo", "China-ASEAN Business and Investment Summit"),
        ("CIIE", "Canton Import Fair"),
        ("Expo", "Trade Expo"),  # a single generic word is no contained name
    ],
)
def test_names_of_different_events(a, b):
    assert not same_event(a, b)


def test_acronym_defined_in_brackets_is_grouped_whatever_its_letters():
    text = "The Shaanxi Silk Road Fair (SRAIF) closed. SRAIF drew buyers."
    assert groups(text, ["Shaanxi Silk Road Fair", "SRAIF", "SRAIF"]) == [
        ["Shaanxi Silk Road Fair", "SRAIF", "SRAIF"]
    ]


def test_a_second_name_given_right_after_the_first_is_grouped():
    text = (
        "The Lakeside Commodities Fair, or Lotus Fair, closed; the Hill Tea Expo, also known "
        "as the Green Leaf Show, opened beside the Stone Forum or the River Summit. The Delta "
        "Growth Summit, which the province has marketed abroad as Invest Delta, followed."
    )
    names = [
        "Lakeside Commodities Fair",
        "Lotus Fair",
        "Hill Tea Expo",
        "Green Leaf Show",
        "Stone Forum",
        "River Summit",
        "Delta Growth Summit",
        "Invest Delta",
    ]
    assert groups(text, names) == [
        ["Lakeside Commodities Fair", "Lotus Fair"],
        ["Hill Tea Expo", "Green Leaf Show"],
        ["Delta Growth Summit", "Invest Delta"],
    ]  # `X or Y` without a comma is a choice between two events


def test_a_descriptive_name_joins_the_only_event_of_its_type_word():
    text = (
        "Lhasa expo signs 46 deals. The 8th Plateau Tourism Expo closed in Lhasa, beside the "
        "Snow Forum. A Nyingchi forum is planned; the Lhasa fair opens in May."
    )
    names = ["Lhasa expo", "8th Plateau Tourism Expo", "Snow Forum", "Nyingchi forum", "Lhasa fair"]
    assert groups(text, names) == [
        ["Lhasa expo", "8th Plateau Tourism Expo"],
        ["Snow Forum", "Nyingchi forum"],
    ]  # no named fair: `Lhasa fair` stays alone


def test_different_editions_are_never_merged():
    text = "IDEX 2023 beat IDEX 2021; at IDEX deals were signed."
    result = groups(text, ["IDEX 2023", "IDEX 2021", "IDEX"])
    assert ["IDEX 2023", "IDEX 2021"] not in result and ["IDEX 2021", "IDEX 2023"] not in result
    assert len(result) == 1 and len(result[0]) == 2


def test_ordinals_conflict_too():
    text = "The 8th Delta Expo and the 9th Delta Expo."
    assert groups(text, ["8th Delta Expo", "9th Delta Expo"]) == []


def _doc(text: str, ents: list[tuple[str, str]]):
    nlp = blank_nlp()
    nlp.add_pipe("event_aliases")
    doc = nlp.make_doc(text)
    spans, pos = [], 0
    for surface, label in ents:
        start = text.index(surface, pos)
        spans.append(doc.char_span(start, start + len(surface), label=label))
        pos = start + len(surface)
    doc.ents = spans
    return nlp.get_pipe("event_aliases")(doc)


def test_component_tags_later_acronym_mentions_and_relabels_org():
    text = "The Global Agritech Investment Forum (GAIF) opened. GAIF hosted 40 firms. GAIF rocks."
    doc = _doc(text, [("Global Agritech Investment Forum", "EVENT"), ("GAIF", "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Global Agritech Investment Forum", "EVENT"),
        ("GAIF", "EVENT"),
        ("GAIF", "EVENT"),
        ("GAIF", "EVENT"),
    ]
    assert len(doc._.aliases) == 1 and len(doc._.aliases[0]) == 4
    before = {(s.text, s.label_) for s in doc.spans[CHANGES]}
    assert before == {("GAIF", "ORG"), ("GAIF", "MISSED")}


def test_an_acronym_spreads_only_when_it_stands_for_an_event_name():
    text = "The Delta Trade Fair (DTF) met EU envoys. EU firms and DTF buyers signed at DTF."
    ents = [("Delta Trade Fair", "EVENT"), ("EU", "ORG"), ("EU", "EVENT"), ("DTF", "ORG")]
    doc = _doc(text, ents)
    # the NER's lone EVENT `EU` stays as it was said, but is not spread to the other `EU`;
    # `DTF`, defined for the fair, is an EVENT everywhere
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Delta Trade Fair", "EVENT"),
        ("DTF", "EVENT"),
        ("EU", "ORG"),
        ("EU", "EVENT"),
        ("DTF", "EVENT"),
        ("DTF", "EVENT"),
    ]


def test_component_leaves_names_inside_other_entities_alone():
    text = "At Delta Expo deals were signed; the Delta Expo Organising Committee said so."
    doc = _doc(text, [("Delta Expo", "EVENT"), ("Delta Expo Organising Committee", "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Delta Expo", "EVENT"),
        ("Delta Expo Organising Committee", "ORG"),
    ]
    assert isinstance(doc.ents[0], Span)


@pytest.mark.parametrize(
    "short,long",
    [
        ("Vibrant Summit", "Vibrant Gujarat Global Summit 2024"),
        ("4th West China Fair", "4th Western China International Investment and Trade Fair"),
        ("6th CAS expo", "6th China-Arab States Expo"),
    ],
)
def test_shortened_forms_are_grouped(short, long):
    text = f"The {long} ended. The {short} drew buyers."
    assert groups(text, [long, short]) == [[long, short]]


def test_shortened_form_joins_the_name_it_abbreviates_most_closely():
    long_a = "Delta International Investment and Trade Fair"
    long_b = "Delta-Asia Import Expo Exhibitors Economic and Trade Cooperation Fair"
    text = f"The {long_a} and the {long_b} opened. The Delta Fair signed deals."
    assert groups(text, [long_a, long_b, "Delta Fair"]) == [[long_a, "Delta Fair"]]


def test_shortened_form_needs_its_first_word():
    text = "The Vibrant Gujarat Global Summit ended. The Global Summit drew buyers."
    # `Global Summit` is contained, so it is grouped; `Gujarat Vibrant` is no shortened form
    assert groups(text, ["Vibrant Gujarat Global Summit", "Global Summit"]) != []
    from pressdeals.pipeline.aliases import abbreviates

    assert abbreviates("Gujarat Vibrant", "Vibrant Gujarat Global Summit") is None
    assert abbreviates("Summit Vibrant", "Vibrant Gujarat Global Summit") is None


def test_occurrences_are_what_the_boundary_regex_finds():
    import re

    from pressdeals.pipeline.aliases import _occurrences

    text = "CIIE, CIIEs, pre-CIIE CIIE-2023 CIIE_x (CIIE) CIIECIIE CIIE\nÉCIIE CIIE"
    for name in ("CIIE", "CIIE 2023", "E", "(CIIE)", "CIIECIIE"):
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        expected = [(m.start(), m.end()) for m in pattern.finditer(text)]
        assert list(_occurrences(text, name)) == expected, name
