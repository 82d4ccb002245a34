"""The entity filter: schema labels stay in doc.ents, others go aside, unpaired quotes go."""

from __future__ import annotations

from spacy.tokens import Span

from pressdeals.pipeline.rehearsal import EntityFilter
from pressdeals.pipeline.tokenizer import blank_nlp


def _filtered(
    text: str,
    spans: list[tuple[str, str]],
    labels: tuple[str, ...] = ("EVENT", "COUNT", "GPE", "MONEY"),
) -> list[tuple[str, str]]:
    nlp = blank_nlp()
    doc = nlp.make_doc(text)
    ents = []
    for surface, label in spans:
        start = text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = ents
    doc = EntityFilter(list(labels), "aux_ents")(doc)
    return [(e.text, e.label_) for e in doc.ents] + [
        (s.text, "aux:" + s.label_) for s in doc.spans.get("aux_ents", [])
    ]


def test_unpaired_quotes_at_the_edges_are_trimmed():
    text = "Held at the “Summer Expo” forum, with EU “Gateway” funds."
    assert _filtered(text, [("“Summer Expo", "EVENT"), ("EU “", "GPE")]) == [
        ("Summer Expo", "EVENT"),
        ("EU", "GPE"),
    ]


def test_paired_quotes_stay_inside_the_span():
    text = 'They opened 20 "deal rooms" at the “Invest Week” in Lagos.'
    spans = [('20 "deal rooms"', "COUNT"), ("“Invest Week”", "EVENT")]
    assert _filtered(text, spans) == [('20 "deal rooms"', "COUNT"), ("“Invest Week”", "EVENT")]


def test_a_span_of_quotes_only_is_dropped_and_other_labels_go_aside():
    text = "He said “ yes ” to Tom Lee."
    assert _filtered(text, [("“", "EVENT"), ("Tom Lee", "PERSON")]) == [("Tom Lee", "aux:PERSON")]


def test_trimming_can_be_turned_off():
    nlp = blank_nlp()
    doc = nlp.make_doc("the “Summer Expo” forum")
    doc.ents = [Span(doc, 1, 3, label="EVENT")]
    assert [e.text for e in EntityFilter(["EVENT"], "aux", trim=False)(doc).ents] == ["“Summer"]


def test_an_ordinal_or_year_just_before_an_event_joins_it():
    text = "The sixth Gulf Agri Expo and the 17th Delta Fair met the 2022 Coast Summit."
    spans = [("Gulf Agri Expo", "EVENT"), ("Delta Fair", "EVENT"), ("Coast Summit", "EVENT")]
    assert _filtered(text, spans) == [
        ("sixth Gulf Agri Expo", "EVENT"),
        ("17th Delta Fair", "EVENT"),
        ("2022 Coast Summit", "EVENT"),
    ]


def test_an_edition_is_not_taken_from_another_entity_or_given_to_non_events():
    text = "In 2022 Lagos hosted 12 deals; the inaugural Delta Fair."
    spans = [("2022", "COUNT"), ("Lagos", "GPE"), ("Delta Fair", "EVENT")]
    assert _filtered(text, spans) == [("2022", "COUNT"), ("Lagos", "GPE"), ("Delta Fair", "EVENT")]


def test_common_abbreviations_are_never_names():
    text = "The BRI and Covid-19 slowed 12 MoUs in the SEZ, BRICS said at MoU Expo."
    kept = _filtered(
        text,
        [
            ("BRI", "GPE"),
            ("Covid-19", "GPE"),
            ("12 MoUs", "COUNT"),
            ("SEZ", "EVENT"),
            ("BRICS", "GPE"),
            ("MoU Expo", "EVENT"),
        ],
    )
    assert kept == [("12 MoUs", "COUNT"), ("BRICS", "GPE"), ("MoU Expo", "EVENT")]


def test_an_approximator_cut_off_its_amount_joins_it():
    text = "MoUs worth more than Rs 45 lakh crore for over 900 projects, about 12 more."
    spans = [
        ("more than", "MONEY"),
        ("Rs 45 lakh crore", "MONEY"),
        ("over", "COUNT"),
        ("900 projects", "COUNT"),
        ("about", "MONEY"),
        ("12", "COUNT"),
    ]
    # joined only with an adjacent span of the same label; `about` stays apart from `12`
    assert _filtered(text, spans) == [
        ("more than Rs 45 lakh crore", "MONEY"),
        ("over 900 projects", "COUNT"),
        ("about", "MONEY"),
        ("12", "COUNT"),
    ]


def test_a_name_run_over_a_closing_quote_and_comma_is_cut_there():
    text = "at “Unveiling the Boardroom Deals”, African Development Bank head said"
    spans = [("Unveiling the Boardroom Deals”, African Development Bank", "EVENT")]
    assert _filtered(text, spans) == [("Unveiling the Boardroom Deals", "EVENT")]
    # a quote the name itself opens and closes stays
    text = "the “Invest Week”, held in Lagos"
    assert _filtered(text, [("“Invest Week”", "EVENT")]) == [("“Invest Week”", "EVENT")]


def test_the_session_of_an_event_is_the_event_and_a_bare_session_nothing():
    text = (
        "The 101st session of the China Import and Export Fair closed. During the 100th "
        "session, the 5th Session of the Saudi-Kenyan Joint Business Council met."
    )
    spans = [
        ("101st session of the China Import and Export Fair", "EVENT"),
        ("100th session", "EVENT"),
        ("5th Session of the Saudi-Kenyan Joint Business Council", "EVENT"),
    ]
    assert _filtered(text, spans) == [
        ("China Import and Export Fair", "EVENT"),
        ("5th Session of the Saudi-Kenyan Joint Business Council", "EVENT"),
    ]


def test_a_count_without_a_number_is_dropped():
    text = "Deals, transactions, transactions and 12 projects, almost a thousand firms."
    spans = [
        ("transactions, transactions", "COUNT"),
        ("12 projects", "COUNT"),
        ("almost a thousand firms", "COUNT"),
    ]
    assert _filtered(text, spans) == spans[1:]


def test_a_lowercase_unit_word_after_a_place_leaves_the_gpe():
    text = "Harbin, Heilongjiang province, and Changchun, Jilin Province."
    spans = [("Heilongjiang province", "GPE"), ("Jilin Province", "GPE")]
    assert _filtered(text, spans) == [("Heilongjiang", "GPE"), ("Jilin Province", "GPE")]


def test_two_events_joined_by_and_are_split_at_the_second_edition():
    text = (
        "the 4th Western Fair and 2022 International Forum on the Corridor opened; the "
        "Commodity Exhibition and Sales Fair too."
    )
    spans = [
        ("4th Western Fair and 2022 International Forum on the Corridor", "EVENT"),
        ("Commodity Exhibition and Sales Fair", "EVENT"),
    ]
    assert _filtered(text, spans) == [
        ("4th Western Fair", "EVENT"),
        ("2022 International Forum on the Corridor", "EVENT"),
        ("Commodity Exhibition and Sales Fair", "EVENT"),
    ]


def test_deal_nouns_and_vague_quantifiers_leave_an_amount():
    text = "It won 39 bln USD contracts and Multiple 10-billion-yuan orders, 5 billion yuan."
    spans = [
        ("39 bln USD contracts", "MONEY"),
        ("Multiple 10-billion-yuan", "MONEY"),
        ("5 billion yuan", "MONEY"),
    ]
    assert _filtered(text, spans) == [
        ("39 bln USD", "MONEY"),
        ("10-billion-yuan", "MONEY"),
        ("5 billion yuan", "MONEY"),
    ]


NAMES = ("EVENT", "ORG", "GPE")


def test_chinese_names_among_officials_are_persons_not_places_or_organisations():
    text = (
        "Attending were Wu Jianhua, Zhou Lanting and Gao Ming. Han Qiao, deputy mayor of "
        "Linyi, spoke, and so did Vice Governor Sun Hao. Hong Kong, Long An and Dong Nai "
        "sent buyers; Li Ning opened a shop."
    )
    spans = [
        ("Wu Jianhua", "GPE"),
        ("Zhou Lanting", "ORG"),
        ("Gao Ming", "GPE"),
        ("Han Qiao", "ORG"),
        ("Linyi", "GPE"),
        ("Sun Hao", "GPE"),
        ("Hong Kong", "GPE"),
        ("Long An", "GPE"),
        ("Dong Nai", "GPE"),
        ("Li Ning", "ORG"),  # name-shaped, but neither in a list of names nor next to a role
    ]
    assert _filtered(text, spans, NAMES) == [
        ("Linyi", "GPE"),
        ("Hong Kong", "GPE"),
        ("Long An", "GPE"),
        ("Dong Nai", "GPE"),
        ("Li Ning", "ORG"),
    ]


def test_a_lowercase_description_leaves_an_organisation_or_drops_it():
    text = "The municipal Bureau of Commerce and the provincial Party committee signed."
    spans = [("municipal Bureau of Commerce", "ORG"), ("provincial Party committee", "ORG")]
    assert _filtered(text, spans, NAMES) == [("Bureau of Commerce", "ORG")]


def test_facilities_generic_references_and_themes_name_nothing():
    text = (
        "The Int'l trade fair filled the Riverside Pavilion, the Global Investment Meet the "
        "Nile Tech Park; the expo, themed on \u201cOpen Delta, Shared Future\u201d, and "
        "`Green Routes' as its theme, hosted the Nile Trade Agency."
    )
    spans = [
        ("Int'l trade fair", "EVENT"),
        ("Riverside Pavilion", "ORG"),
        ("Global Investment Meet", "EVENT"),
        ("Nile Tech Park", "ORG"),
        ("Open Delta, Shared Future", "EVENT"),
        ("Green Routes", "EVENT"),
        ("Nile Trade Agency", "ORG"),
    ]
    assert _filtered(text, spans, NAMES) == [
        ("Global Investment Meet", "EVENT"),  # title case: a name
        ("Nile Trade Agency", "ORG"),
    ]


def test_compass_regions_are_no_places_but_countries_are():
    text = "Buyers from NE China, Southeast Asia, South Africa and South Korea came."
    spans = [
        ("NE China", "GPE"),
        ("Southeast Asia", "GPE"),
        ("South Africa", "GPE"),
        ("South Korea", "GPE"),
    ]
    assert _filtered(text, spans, NAMES) == [("South Africa", "GPE"), ("South Korea", "GPE")]


def test_over_after_split_is_a_preposition_not_an_approximator():
    text = "Deals were split over 11 contracts; over 40 projects were signed."
    spans = [("over 11 contracts", "COUNT"), ("over 40 projects", "COUNT")]
    assert _filtered(text, spans) == [("11 contracts", "COUNT"), ("over 40 projects", "COUNT")]


def test_the_topic_after_forum_on_joins_the_event_but_a_date_does_not():
    text = (
        "The 2022 Valley Forum on the New Land-Sea Corridor in Chongqing and the Delta "
        "Forum on Sept. 11 and the Hill Conference for Trade and Investment met."
    )
    spans = [
        ("2022 Valley Forum", "EVENT"),
        ("Chongqing", "GPE"),
        ("Delta Forum", "EVENT"),
        ("Hill Conference", "EVENT"),
    ]
    assert _filtered(text, spans) == [
        ("2022 Valley Forum on the New Land-Sea Corridor", "EVENT"),
        ("Chongqing", "GPE"),
        ("Delta Forum", "EVENT"),
        ("Hill Conference for Trade and Investment", "EVENT"),
    ]


def test_an_organisation_defined_by_its_acronym_is_tagged_in_full():
    text = (
        "Loans from the Nile Development Bank (NDB), the Bank of Lakes (BoL) and the World "
        "Forum (WEF) followed."
    )
    spans = [("NDB", "ORG"), ("BoL", "ORG"), ("WEF", "ORG")]
    assert _filtered(text, spans, NAMES) == [
        ("Nile Development Bank", "ORG"),
        ("NDB", "ORG"),
        ("Bank of Lakes", "ORG"),
        ("BoL", "ORG"),
        ("WEF", "ORG"),  # the initials W F are not W E F
    ]


def test_a_leading_approximator_joins_its_quantity_but_a_preposition_does_not():
    text = "About $14 billion (about 2 billion euros) came; talks over two projects went on."
    spans = [("$14 billion", "MONEY"), ("2 billion euros", "MONEY"), ("two projects", "COUNT")]
    assert _filtered(text, spans) == [
        ("About $14 billion", "MONEY"),
        ("about 2 billion euros", "MONEY"),
        ("two projects", "COUNT"),
    ]
