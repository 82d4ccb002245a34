from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpus" / "gold"


@pytest.fixture(scope="session")
def gold_docs():
    from pressdeals.brat import read_brat_dir

    return read_brat_dir(GOLD)


@pytest.fixture(scope="session")
def blank():
    from pressdeals.pipeline.tokenizer import blank_nlp

    return blank_nlp()


# A stub pipeline for tests of outputs and formats: rules instead of trained components, so a
# retrained model cannot change what those tests see. Entities come from an entity ruler,
# relations from `stub_relations`: VALUE from each COUNT to the next MONEY and SIGNED_AT from
# each COUNT to the next EVENT of its sentence.
STUB_PATTERNS = [
    {"label": "COUNT", "pattern": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["projects", "deals"]}}]},
    {"label": "MONEY", "pattern": [{"LIKE_NUM": True}, {"LOWER": "billion"}, {"LOWER": "yuan"}]},
    {"label": "MONEY", "pattern": [{"ORTH": "="}, {"LIKE_NUM": True}, {"LOWER": "billion"}]},
    {"label": "EVENT", "pattern": [{"ORTH": "Delta"}, {"ORTH": "Expo"}]},
    {"label": "EVENT", "pattern": [{"ORTH": "DE"}]},
    {"label": "GPE", "pattern": [{"ORTH": "Harbin"}]},
]


def _stub_relations(doc):
    from pressdeals.pipeline.text import sentence_index

    index = sentence_index(doc.text)
    relations = []
    ents = list(doc.ents)
    for i, head in enumerate(ents):
        if head.label_ != "COUNT":
            continue
        for label, tail_label in (("VALUE", "MONEY"), ("SIGNED_AT", "EVENT")):
            tail = next((t for t in ents[i + 1 :] if t.label_ == tail_label), None)
            if tail is not None and index[tail.start_char] == index[head.start_char]:
                relations.append(
                    {
                        "label": label,
                        "head": [head.start_char, head.end_char],
                        "tail": [tail.start_char, tail.end_char],
                        "score": 0.9,
                    }
                )
    doc._.relations = relations
    return doc


def _register_stub() -> None:
    from spacy.language import Language

    if "stub_relations" not in Language.factories:
        Language.factory("stub_relations", func=lambda nlp, name: _stub_relations)


@pytest.fixture(scope="session")
def stub_model(tmp_path_factory):
    """Path of a saved stub pipeline (see STUB_PATTERNS)."""
    from pressdeals.pipeline.tokenizer import blank_nlp

    _register_stub()
    nlp = blank_nlp()
    nlp.add_pipe("entity_ruler").add_patterns(STUB_PATTERNS)
    nlp.add_pipe("event_aliases")
    nlp.add_pipe("stub_relations")
    nlp.add_pipe("deal_records")
    nlp.meta["name"] = "stub"
    nlp.meta["version"] = "9.9.9"
    path = tmp_path_factory.mktemp("stub") / "model"
    nlp.to_disk(path)
    return path
