"""The relation component learns a tiny dataset and survives a disk round trip."""

import random

import spacy
from spacy.training import Example

from pipeline.tokenizer import blank_nlp
from pressdeals.inline import parse_inline
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


def make_nlp():
    nlp = blank_nlp()
    nlp.add_pipe("tok2vec")
    nlp.add_pipe(
        "relation_extractor",
        config={
            "model": {
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


def test_learns_tiny_dataset_and_round_trips(tmp_path):
    random.seed(0)
    spacy.util.fix_random_seed(0)
    nlp = make_nlp()
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


def test_candidates_stay_inside_one_sentence_and_schema():
    from pipeline.relation_extractor import get_candidates

    nlp = blank_nlp()
    doc = to_spacy(
        parse_inline(
            "[12 projects]{COUNT} were signed at the [Lagos Fair]{EVENT}. "
            "The total was [$3 billion]{MONEY} from [Ghana]{GPE}.\n",
            "x",
        ),
        nlp,
    )
    cands = get_candidates(doc, doc.ents)
    pairs = {(doc[c[0] : c[1]].text, doc[c[2] : c[3]].text) for c in cands}
    assert pairs == {("12 projects", "Lagos Fair")}
