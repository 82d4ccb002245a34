"""The generator's schema v2 constructions (issue 12 item 2): deals across two sentences,
event aliases grouped with EQUIV, restated headline deals, hard negatives; never a relation
beyond the neighbouring sentence or between a title and the body; same seed, same output."""

import json
import re

import pytest

from pressdeals.brat import write_brat
from pressdeals.inline import parse_inline
from pressdeals.pipeline.aliases import is_acronym, name_parts
from pressdeals.pipeline.deals import build_facts
from pressdeals.pipeline.text import heading_flags, sentence_index, sentence_spans
from pressdeals.training.constructions import NEW, constructions, relation_problems
from pressdeals.training.gazetteers import FORBIDDEN_EVENT_PATTERNS
from pressdeals.training.generate import generate, hard_wrap
from pressdeals.validate import validate_paths

N = 150


@pytest.fixture(scope="module")
def docs():
    return generate(N, seed=21)


def _name(doc, e):
    return " ".join(e.surface(doc.text).split())


def _group_of(doc):
    return {e: group for group in doc.aliases for e in group}


def test_same_seed_same_documents():
    def dump(ds):
        return [(d.text, d.sorted().entities, d.sorted().relations, d.sorted().aliases) for d in ds]

    assert dump(generate(25, seed=3)) == dump(generate(25, seed=3))
    assert [d.text for d in generate(25, seed=4)] != [d.text for d in generate(25, seed=3)]


def test_relations_never_cross_a_title_or_more_than_one_boundary(docs, tmp_path):
    wrapped = generate(60, seed=22, wrap_probability=1.0)
    assert sum("\n\n\n" in d.text or d.text.count("\n") > 12 for d in wrapped) > 10
    for doc in docs + wrapped:
        assert relation_problems(doc) == [], doc.id
        write_brat(doc, tmp_path)
    n, problems = validate_paths([tmp_path])
    assert n == N + 60 and problems == []


def test_signed_at_reaches_the_event_in_the_neighbouring_sentence(docs):
    before = after = 0
    for doc in docs:
        index, groups = sentence_index(doc.text), _group_of(doc)
        for r in doc.relations:
            h, t = index[r.head.start], index[r.tail.start]
            if r.label != "SIGNED_AT" or h == t:
                continue
            # the head's own sentence has no mention of the event (else it would take that one)
            group = groups.get(r.tail, (r.tail,))
            assert all(index[e.start] != h for e in group), (doc.id, doc.text)
            before += t == h - 1
            after += t == h + 1
    assert before >= 50 and after >= 5


def test_signed_at_takes_the_nearest_mention_in_the_head_sentence(docs):
    checked = 0
    for doc in docs:
        index, groups = sentence_index(doc.text), _group_of(doc)
        for r in doc.relations:
            if r.label != "SIGNED_AT" or index[r.head.start] != index[r.tail.start]:
                continue
            same = [e for e in groups.get(r.tail, ()) if index[e.start] == index[r.head.start]]
            if len(same) < 2:
                continue

            def gap(e, head=r.head):
                return max(e.start - head.end, head.start - e.end, 0)

            assert gap(r.tail) == min(map(gap, same)), (doc.id, _name(doc, r.tail))
            checked += 1
    assert checked >= 10  # `Global ... Forum (GAIF)` in the signing sentence


def test_value_across_sentences_in_both_orders(docs):
    count_first = amount_first = 0
    for doc in docs:
        index = sentence_index(doc.text)
        for r in doc.relations:
            if r.label != "VALUE" or index[r.head.start] == index[r.tail.start]:
                continue
            if index[r.head.start] + 1 == index[r.tail.start]:
                count_first += 1
            else:
                assert index[r.tail.start] + 1 == index[r.head.start]
                amount_first += 1
                # decision 50: the amount heads no SIGNED_AT once a count is linked to it
                assert not any(x.head == r.tail for x in doc.relations), doc.id
    assert count_first >= 5 and amount_first >= 3


def test_acronyms_defined_in_brackets_are_grouped_and_reused(docs):
    after = before = reused = 0
    for doc in docs:
        for group in doc.aliases:
            names = [_name(doc, e) for e in group]
            for x, y in zip(group, group[1:], strict=False):
                if doc.text[x.end : y.start] == " (" and doc.text[y.end : y.end + 1] == ")":
                    if is_acronym(_name(doc, y)):
                        after += 1  # `Global Agritech Investment Forum (GAIF)`
                        acronym = _name(doc, y)
                    else:
                        assert is_acronym(_name(doc, x))
                        before += 1  # `GAIF (Global Agritech Investment Forum)`
                        acronym = _name(doc, x)
                    others = [n for n, e in zip(names, group, strict=True) if e not in (x, y)]
                    reused += any(acronym in n for n in others)
    assert after >= 10 and before >= 5 and reused >= 10


def test_editions_short_and_brand_names_are_grouped_other_editions_are_not(docs):
    edition_groups = brand_groups = separate = 0
    for doc in docs:
        groups = _group_of(doc)
        for group in doc.aliases:
            parts = [name_parts(_name(doc, e)) for e in group]
            editions = {edition for _, edition in parts}
            edition_groups += len(editions) > 1
            brand_groups += not any(
                re.search(r"(?i)fair|expo|summit|forum|conference|convention|week|exhibition", n)
                for n in (_name(doc, e) for e in group)
            )
            # never two different editions in one group (`GAIF 2025` with `GAIF 2026`)
            years = {e for ed in editions for e in ed if e.isdigit()}
            ordinals = {e for ed in editions for e in ed if not e.isdigit()}
            assert len(years) <= 1 and len(ordinals) <= 1, [_name(doc, e) for e in group]
        events = [e for e in doc.entities if e.label == "EVENT"]
        for a in events:
            for b in events:
                base_a, ed_a = name_parts(_name(doc, a))
                base_b, ed_b = name_parts(_name(doc, b))
                if base_a == base_b and ed_a and ed_b and ed_a != ed_b:
                    assert groups.get(a) is not groups.get(b) or a not in groups
                    separate += 1
    assert edition_groups >= 30 and brand_groups >= 10 and separate >= 10


def test_every_repeated_name_is_in_one_group(docs):
    for doc in docs:
        groups = _group_of(doc)
        by_name = {}
        for e in doc.entities:
            if e.label == "EVENT":
                by_name.setdefault(_name(doc, e), []).append(e)
        for name, mentions in by_name.items():
            if len(mentions) > 1:
                assert len({groups.get(e) for e in mentions}) == 1 and mentions[0] in groups, name


def test_title_states_the_deal_the_lead_and_body_restate(docs):
    restated = three = 0
    for doc in docs:
        spans = sentence_spans(doc.text)
        assert heading_flags(doc.text, spans)[0]
        index = sentence_index(doc.text)
        for fact in build_facts(doc):
            sentences = [index[s] for s, _ in json.loads(fact.mention_spans)]
            if 0 in sentences and len(sentences) > 1:
                restated += 1
                three += len(set(sentences) - {0}) >= 2
        # the title's relations stay in the title
        for r in doc.relations:
            assert (index[r.head.start] == 0) == (index[r.tail.start] == 0), doc.id
    assert restated >= N * 0.7 and three >= 15


def test_hard_negatives_carry_value_but_no_signed_at(docs):
    """Not signed: no SIGNED_AT from the sentence; its count still takes VALUE (decision 68)."""
    cue = re.compile(r"pledged|expected to be signed|to be signed|under negotiation|proposals")
    sentences = valued = 0
    for doc in docs:
        signed = {r.head for r in doc.relations if r.label == "SIGNED_AT"}
        value_heads = {r.head for r in doc.relations if r.label == "VALUE"}
        for s, e in sentence_spans(doc.text):
            if not cue.search(doc.text[s:e]):
                continue
            sentences += 1
            inside = [x for x in doc.entities if s <= x.start < e and x.label != "EVENT"]
            assert not any(x in signed for x in inside), doc.text[s:e]
            valued += any(x in value_heads for x in inside if x.label == "COUNT")
    assert sentences >= 60 and valued >= 40, (sentences, valued)


def test_shares_of_documents_with_the_new_constructions(docs):
    found = [constructions(d) for d in docs]
    with_new = sum(1 for c in found if any(c[k] for k in NEW)) / N
    main_across = sum(1 for c in found if c["main_across"]) / N
    assert 0.4 <= with_new <= 0.6, with_new
    assert 0.25 <= main_across <= 0.42, main_across


def test_no_generated_event_names_a_test_set_series(docs):
    forbidden = re.compile("|".join(FORBIDDEN_EVENT_PATTERNS))
    names = {_name(d, e) for d in docs for e in d.entities if e.label == "EVENT"}
    assert len(names) > 300 and not [n for n in names if forbidden.search(n)]


def test_hard_wrap_keeps_alias_groups(docs):
    doc = next(d for d in docs if len(d.aliases) == 1 and len(d.aliases[0]) >= 3)
    wrapped = hard_wrap(doc, 40, blank_lines=True)
    assert [[" ".join(e.surface(wrapped.text).split()) for e in g] for g in wrapped.aliases] == [
        [_name(doc, e) for e in g] for g in doc.aliases
    ]


def test_constructions_are_read_from_the_annotation():
    doc = parse_inline(
        "[Delta Expo]{EVENT#t} closes, [12 deals]{COUNT#tc} signed\n\n"
        "PUNE -- The [Global Agritech Investment Forum]{EVENT#a} ([GAIF]{EVENT#b}) closed on "
        "Friday. A total of [12 deals]{COUNT#c} were signed during the forum. Their combined "
        "value is [$2.1 billion]{MONEY#m}. Investors pledged [$40 million]{MONEY} at "
        "[GAIF]{EVENT#d}.\n"
        "=== relations\nSIGNED_AT tc t\nSIGNED_AT c b\nVALUE c m\nEQUIV t a b d\n",
        "x",
    )
    found = constructions(doc)
    assert found["event_then_deals"] == 1 and found["value_next"] == 1
    assert found["main_across"] == 1 and found["newswire_lead"] == 1
    assert found["acronym_defined_after"] == 1 and found["acronym_reused"] == 1
    assert found["title_restated"] == 1 and found["negative"] == 1
