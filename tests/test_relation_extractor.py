"""The relation component learns a tiny dataset and survives a disk round trip."""

import random

import pytest
import spacy
from spacy.training import Example

from pressdeals.inline import parse_inline
from pressdeals.pipeline.tokenizer import blank_nlp
from pressdeals.spacy_docs import to_spacy

TINY = [
    "[12 projects]{COUNT#c} worth [$3 billion]{MONEY#m} were signed at the "
    "[Lagos Trade Fair]{EVENT#e}.\n=== relations\nVALUE c m\nSIGNED_AT c e\n",
    "At the [Pune Expo]{EVENT#e}, [40 deals]{COUNT#c} with a total value of "
    "[Rs 500 crore]{MONEY#m} were inked.\n=== relations\nVALUE c m\nSIGNED_AT c e\n",
    "Of these, [7]{COUNT} exceeded [$1 million]{MONEY} at the [Lima Summit]{EVENT}.\n",
    "Organisers hope to sign [30 contracts]{COUNT} worth [€2 billion]{MONEY} next year "
    "at the [Porto Forum]{EVENT}.\n",
    "Deals worth [AED 4 billion]{MONEY#m} were reached at [Dubai Week]{EVENT#e}.\n"
    "=== relations\nSIGNED_AT m e\n",
]


def make_nlp(architecture: str = "pressdeals.RelationModel.v2"):
    nlp = blank_nlp()
    nlp.add_pipe("tok2vec")
    nlp.add_pipe(
        "relation_extractor",
        config={
            "model": {
                "@architectures": architecture,
                "tok2vec": {
                    "@architectures": "spacy.Tok2VecListener.v1",
                    "width": 96,
                    "upstream": "*",
                }
            }
        },
    )
    return nlp


def gold_docs(nlp):
    return [to_spacy(parse_inline(src, f"d{i}"), nlp) for i, src in enumerate(TINY)]


def predict(nlp, refs):
    out = []
    for ref in refs:
        doc = nlp.make_doc(ref.text)
        doc.ents = [doc.char_span(e.start_char, e.end_char, e.label_) for e in ref.ents]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        out.append(doc)
    return out


def relation_set(doc):
    return {(r["label"], *r["head"], *r["tail"]) for r in doc._.relations}


@pytest.mark.parametrize(
    "architecture", ["pressdeals.RelationModel.v2", "pressdeals.RelationModel.v3"]
)
def test_learns_tiny_dataset_and_round_trips(tmp_path, architecture):
    random.seed(0)
    spacy.util.fix_random_seed(0)
    nlp = make_nlp(architecture)
    refs = gold_docs(nlp)
    examples = [Example(nlp.make_doc(d.text), d) for d in refs]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        random.shuffle(examples)
        losses = nlp.update(examples, sgd=optimizer)
    assert losses["relation_extractor"] < 1.0
    predicted = predict(nlp, refs)
    for ref, doc in zip(refs, predicted, strict=True):
        assert relation_set(doc) == relation_set(ref), ref.text
        for r in doc._.relations:
            assert 0.5 <= r["score"] <= 1.0
    scores = nlp.get_pipe("relation_extractor").score(
        [Example(p, r) for p, r in zip(predicted, refs, strict=True)]
    )
    assert scores["rel_micro_f"] == 1.0

    nlp.get_pipe("relation_extractor").threshold = 0.42
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.get_pipe("relation_extractor").threshold == 0.42
    again = predict(loaded, refs)
    for a, b in zip(predicted, again, strict=True):
        assert [r["score"] for r in a._.relations] == [r["score"] for r in b._.relations]


def _pairs(text: str, distance: int = 1) -> set[tuple[str, str, int]]:
    from pressdeals.pipeline.relation_extractor import get_candidates

    doc = to_spacy(parse_inline(text, "x"), blank_nlp())
    cands = get_candidates(doc, doc.ents, distance)
    return {(doc[c[0] : c[1]].text, doc[c[2] : c[3]].text, c[6]) for c in cands}


def test_candidates_follow_the_schema_within_one_sentence():
    text = (
        "[12 projects]{COUNT} were signed at the [Lagos Fair]{EVENT}. "
        "The total was [$3 billion]{MONEY} from [Ghana]{GPE}.\n"
    )
    assert _pairs(text, distance=0) == {("12 projects", "Lagos Fair", 0)}


def test_candidates_reach_the_next_body_sentence_with_their_distance():
    text = (
        "[12 projects]{COUNT} were signed at the [Lagos Fair]{EVENT}. "
        "The total was [$3 billion]{MONEY} from [Ghana]{GPE}. "
        "A year later [5 deals]{COUNT} followed.\n"
    )
    assert _pairs(text) == {
        ("12 projects", "Lagos Fair", 0),
        ("12 projects", "$3 billion", 1),
        ("$3 billion", "Lagos Fair", 1),
        ("5 deals", "$3 billion", 1),
    }


def test_candidates_never_link_a_title_with_the_body():
    text = (
        "[Lagos Fair]{EVENT} Ends With Deals\n\n"
        "[12 projects]{COUNT} were signed. They are worth [$3 billion]{MONEY}.\n"
    )
    assert _pairs(text) == {("12 projects", "$3 billion", 1)}


def test_candidates_per_head_are_capped_to_the_nearest_tails():
    from pressdeals.pipeline.relation_extractor import MAX_TAILS

    amounts = ", ".join(f"[${i} million]{{MONEY}}" for i in range(1, 3 * MAX_TAILS))
    pairs = _pairs(f"[40 deals]{{COUNT}} were worth {amounts}.\n")
    assert len(pairs) == MAX_TAILS
    assert ("40 deals", "$1 million", 0) in pairs


def test_scorer_counts_wrong_and_missing_relations():
    """The registered scorer gives exact figures (a scorer that always says 1.0 fails)."""
    from spacy.util import registry

    scorer = registry.scorers.get("pressdeals.relation_scorer.v1")()
    nlp = blank_nlp()
    refs = gold_docs(nlp)
    preds = []
    for ref in refs:
        doc = nlp.make_doc(ref.text)
        doc.ents = [doc.char_span(e.start_char, e.end_char, e.label_) for e in ref.ents]
        doc._.relations = list(ref._.relations)
        preds.append(doc)
    # drop one gold relation and turn another's label into the wrong one
    dropped = preds[0]._.relations.pop()
    wrong = preds[1]._.relations[0]
    flipped = "SIGNED_AT" if wrong["label"] == "VALUE" else "VALUE"
    preds[1]._.relations[0] = {**wrong, "label": flipped}
    scores = scorer([Example(p, r) for p, r in zip(preds, refs, strict=True)])
    n_gold = sum(len(r._.relations) for r in refs)
    assert dropped and scores["rel_micro_r"] == pytest.approx((n_gold - 2) / n_gold)
    assert scores["rel_micro_p"] == pytest.approx((n_gold - 2) / (n_gold - 1))


def test_candidates_carry_the_token_ranges_of_both_sentences():
    text = (
        "The [Lagos Fair]{EVENT} closed on Friday. "
        "In all [12 projects]{COUNT} were signed during the fair.\n"
    )
    from pressdeals.pipeline.relation_extractor import get_candidates

    doc = to_spacy(parse_inline(text, "x"), blank_nlp())
    (cand,) = get_candidates(doc, doc.ents)
    hss, hse, tss, tse = cand[7]
    assert doc[hss:hse].text.strip() == "In all 12 projects were signed during the fair."
    assert doc[tss:tse].text == "The Lagos Fair closed on Friday."


def test_pooled_regions_and_their_gradient_match_a_plain_mean():
    """Cumulative-sum pooling gives each region's mean and spreads its gradient evenly."""
    import numpy
    from thinc.api import Model

    from pressdeals.pipeline.relation_extractor import get_candidates
    from pressdeals.pipeline.relation_model import _regions, create_instance_tensor

    text = (
        "The [Lagos Fair]{EVENT} closed. [12 projects]{COUNT} worth [$3 billion]{MONEY} "
        "were signed there.\n"
    )
    doc = to_spacy(parse_inline(text, "x"), blank_nlp())
    cands = get_candidates(doc, doc.ents)
    rng = numpy.random.default_rng(0)
    vecs = rng.normal(size=(len(doc), 4)).astype("f")
    seen = {}

    def fake_forward(model, docs, is_train):
        def backprop(d_vecs):
            seen["d"] = d_vecs[0]
            return []

        return [vecs], backprop

    fake = Model("fake_tok2vec", fake_forward, dims={"nO": 4})
    layer = create_instance_tensor(fake, window=2, distance_feature=True, sentence_regions=True)
    layer.initialize()
    out, backprop = layer([(doc, cands)], is_train=True)
    regions = [_regions(c, len(doc), 2, True) for c in cands]
    n_regions = len(regions[0])
    for row, cand_regions in enumerate(regions):
        for k, (s, e) in enumerate(cand_regions):
            expected = vecs[s:e].mean(axis=0) if e > s else numpy.zeros(4)
            numpy.testing.assert_allclose(out[row, 4 * k : 4 * k + 4], expected, atol=1e-5)
    d_out = rng.normal(size=out.shape).astype("f")
    backprop(d_out)
    expected_d = numpy.zeros_like(vecs)
    for row, cand_regions in enumerate(regions):
        for k, (s, e) in enumerate(cand_regions):
            if e > s:
                expected_d[s:e] += d_out[row, 4 * k : 4 * k + 4] / (e - s)
    assert n_regions == 7
    numpy.testing.assert_allclose(seen["d"], expected_d, atol=1e-5)


def test_a_per_item_amount_takes_no_relation():
    """Guidelines 104: `Multiple 10-billion-yuan orders` gives each order's size, no total."""
    import numpy

    from pressdeals.pipeline.relation_extractor import get_candidates, per_item_amounts

    nlp = make_nlp()
    pipe = nlp.get_pipe("relation_extractor")
    text = (
        "Multiple [10-billion-yuan]{MONEY} orders were signed at the [Lagos Fair]{EVENT}, "
        "and [12 projects]{COUNT} worth [$3 billion]{MONEY} too.\n"
    )
    doc = to_spacy(parse_inline(text, "x"), nlp)
    assert {doc.text[s:e] for s, e in per_item_amounts(doc)} == {"10-billion-yuan"}
    cands = get_candidates(doc, doc.ents)
    # every candidate scores 1.0 for every label: only the rule can leave one out
    pipe.set_annotations([doc], ([(doc, cands)], numpy.ones((len(cands), len(pipe.labels)))))
    linked = {doc.text[slice(*r["head"])] for r in doc._.relations}
    linked |= {doc.text[slice(*r["tail"])] for r in doc._.relations}
    assert "10-billion-yuan" not in linked and {"12 projects", "$3 billion"} <= linked
    # a single deal's amount, an amount `in deals` and one `worth of` are totals
    for kept in (
        "A [10-billion-yuan]{MONEY} order was signed.\n",
        "Firms sealed [P14.2-B]{MONEY} in deals.\n",
        "The forum signed [96-billion-yuan]{MONEY} worth of deals.\n",
    ):
        assert per_item_amounts(to_spacy(parse_inline(kept, "y"), nlp)) == set(), kept
