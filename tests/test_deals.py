"""Deal records and deal facts: main event, inferred currency and event, conversions,
restatements merged into one fact, different deals kept apart, breakdowns."""

from pressdeals.inline import parse_inline
from pressdeals.pipeline.deals import build_deals, build_facts, fact_key, main_event


def doc(source: str):
    return parse_inline(source, "d")


def test_main_event_is_the_one_named_in_the_title():
    d = doc(
        "[Delta Expo]{EVENT} closes with deals\n\n"
        "Before it, the [Lagos Forum]{EVENT#a} and the [LF]{EVENT#b} met.\n"
        "=== relations\nEQUIV a b\n"
    )
    group = main_event(d)
    assert group is not None and d.text[group[0].start : group[0].end] == "Delta Expo"


def test_main_event_without_title_mention_is_the_most_mentioned():
    d = doc(
        "Officials met.\n\nThe [Lagos Forum]{EVENT#a} opened; the [Accra Fair]{EVENT#b} too. "
        "Later [LF]{EVENT#c} closed.\n=== relations\nEQUIV a c\n"
    )
    group = main_event(d)
    assert [d.text[e.start : e.end] for e in group] == ["Lagos Forum", "LF"]


def test_bare_amount_takes_the_document_currency_marked_inferred():
    d = doc(
        "[12 projects]{COUNT#c} worth [3.5 billion]{MONEY#m} were signed at the "
        "[Delta Expo]{EVENT#e}, after [RMB 2 billion]{MONEY} last year.\n"
        "=== relations\nVALUE c m\nSIGNED_AT c e\n"
    )
    value = build_deals(d)[0]["value"]
    assert value["currency"] == "CNY" and value["currency_inferred"] is True
    assert value["amount"] == 3.5e9


def test_second_value_is_a_conversion():
    d = doc(
        "[99 projects]{COUNT#c} worth [84.48 billion yuan]{MONEY#m} ([about 11.59 billion U.S. "
        "dollars]{MONEY#u}) were signed at the [Delta Expo]{EVENT#e}.\n"
        "=== relations\nVALUE c m\nVALUE c u\nSIGNED_AT c e\n"
    )
    record = build_deals(d)[0]
    assert record["value"]["currency"] == "CNY"
    assert [c["currency"] for c in record["conversions"]] == ["USD"]


def test_deal_without_signed_at_infers_the_main_event_by_its_canonical_name():
    d = doc(
        "[ABC 2025]{EVENT#t} ends\n\n"
        "The [Asian Battery Conference 2025]{EVENT#e} ([ABC 2025]{EVENT#a}) closed. "
        "During the fair, [40 deals]{COUNT#c} worth [$2 billion]{MONEY#m} were inked.\n"
        "=== relations\nVALUE c m\nEQUIV t e a\n"
    )
    event = build_deals(d)[0]["event"]
    assert event["inferred"] is True
    assert event["canonical"] == "Asian Battery Conference 2025"


def test_restated_deal_is_one_fact_with_the_count_of_the_body():
    d = doc(
        "Deals Worth [84.48 Billion Yuan]{MONEY#t} Reached at [Delta Expo]{EVENT#e1}\n\n"
        "At the [Delta Expo]{EVENT#e2}, [99 projects]{COUNT#c} worth [84.48 billion yuan]{MONEY#m} "
        "were signed.\n"
        "=== relations\nSIGNED_AT t e1\nSIGNED_AT c e2\nVALUE c m\nEQUIV e1 e2\n"
    )
    facts = build_facts(d)
    assert len(facts) == 1
    assert fact_key(facts[0]) == (99, 84.48e9, "CNY", "delta expo")
    assert facts[0].mentions == 2


def test_different_deals_stay_apart():
    d = doc(
        "At the [Delta Expo]{EVENT#e}, [12 projects]{COUNT#a} worth [$3 billion]{MONEY#m} were "
        "signed, and [12 projects]{COUNT#b} worth [$4 billion]{MONEY#n} were signed too.\n"
        "=== relations\nSIGNED_AT a e\nVALUE a m\nSIGNED_AT b e\nVALUE b n\n"
    )
    assert len(build_facts(d)) == 2


def test_stated_breakdown_is_part_of_its_total():
    d = doc(
        "At the [Delta Expo]{EVENT#e}, [79 projects]{COUNT#t} worth [240 billion yuan]{MONEY#m} "
        "were signed. Among them, [16 foreign-funded projects]{COUNT#a} involve "
        "[12 billion yuan]{MONEY#n}.\n"
        "=== relations\nSIGNED_AT t e\nVALUE t m\nVALUE a n\n"
    )
    total, part = build_facts(d)
    assert total.part_of is None and part.part_of == total.fact


def test_parts_that_add_up_are_parts_of_the_total():
    d = doc(
        "At the [Delta Expo]{EVENT#e}, [50 deals]{COUNT#t} were signed: [30 deals]{COUNT#a} with "
        "buyers and [20 deals]{COUNT#b} with investors.\n"
        "=== relations\nSIGNED_AT t e\nSIGNED_AT a e\nSIGNED_AT b e\n"
    )
    total, a, b = build_facts(d)
    assert (a.part_of, b.part_of) == (total.fact, total.fact)


def test_unrelated_smaller_deal_is_no_part():
    d = doc(
        "At the [Delta Expo]{EVENT#e}, [50 deals]{COUNT#t} were signed. A week later "
        "[12 deals]{COUNT#a} were signed at the same venue.\n"
        "=== relations\nSIGNED_AT t e\nSIGNED_AT a e\n"
    )
    assert [f.part_of for f in build_facts(d)] == [None, None]


def test_count_only_title_and_body_with_amount_are_one_fact():
    d = doc(
        "[Delta Expo]{EVENT#e1} closes, [184 MoUs]{COUNT#t} signed\n\n"
        "At the [Delta Expo]{EVENT#e2}, [184 MoUs]{COUNT#c} worth [Rs 5,000 crore]{MONEY#m} "
        "were signed.\n"
        "=== relations\nSIGNED_AT t e1\nSIGNED_AT c e2\nVALUE c m\nEQUIV e1 e2\n"
    )
    facts = build_facts(d)
    assert len(facts) == 1 and facts[0].amount == 5e10 and facts[0].mentions == 2


def test_a_deal_is_compared_only_with_the_deals_of_its_own_event(monkeypatch):
    # a long document of many events stays linear: no record is held against another
    # event's facts (before, each was compared with every fact so far)
    from pressdeals.pipeline import deals

    sentences, rels = [], []
    for i in range(40):
        sentences.append(
            f"At the [Expo {i}]{{EVENT#e{i}}}, [{i + 2} projects]{{COUNT#c{i}}} were signed."
        )
        rels.append(f"SIGNED_AT c{i} e{i}")
    d = doc(" ".join(sentences) + "\n=== relations\n" + "\n".join(rels) + "\n")
    calls = []
    restates = deals._restates
    monkeypatch.setattr(deals, "_restates", lambda *a: calls.append(a) or restates(*a))
    facts = build_facts(d)
    assert [f.count for f in facts] == [i + 2 for i in range(40)]
    assert calls == []
