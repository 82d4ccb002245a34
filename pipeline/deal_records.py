"""The `deal_records` component: builds `doc._.deals` from entities and relations."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.deals import build_deals
from pipeline.extensions import register_extensions
from pressdeals.document import Entity, Relation

register_extensions()


def doc_relations(doc: Doc) -> tuple[list[Entity], list[Relation]]:
    entities = {
        (s.start_char, s.end_char): Entity(s.start_char, s.end_char, s.label_) for s in doc.ents
    }
    relations = []
    for r in doc._.relations or []:
        head, tail = entities.get(tuple(r["head"])), entities.get(tuple(r["tail"]))
        if head is not None and tail is not None:
            relations.append(Relation(head, tail, r["label"], r.get("score")))
    return list(entities.values()), relations


class DealRecords:
    """Not trainable: deal records are a function of `doc.ents` and `doc._.relations`."""

    def __call__(self, doc: Doc) -> Doc:
        entities, relations = doc_relations(doc)
        doc._.deals = build_deals(doc.text, entities, relations)
        return doc


@Language.factory("deal_records", requires=["doc.ents", "doc._.relations"], assigns=["doc._.deals"])
def make_deal_records(nlp: Language, name: str) -> DealRecords:
    return DealRecords()
