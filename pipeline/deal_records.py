"""The `deal_records` component: `doc._.deals` (mention-level records) and `doc._.facts`
(one per deal) from entities, relations and event aliases."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pressdeals.pipeline.deals import build_deals, build_facts
from pressdeals.pipeline.extensions import register_extensions
from pressdeals.spacy_docs import from_spacy

register_extensions()


class DealRecords:
    """Not trainable: deal records are a function of `doc.ents` and `doc._.relations`."""

    def __call__(self, doc: Doc) -> Doc:
        annotated = from_spacy(doc)
        doc._.deals = build_deals(annotated)
        doc._.facts = [f.as_dict() for f in build_facts(annotated, doc._.deals)]
        return doc


@Language.factory(
    "deal_records",
    requires=["doc.ents", "doc._.relations"],
    assigns=["doc._.deals", "doc._.facts"],
)
def make_deal_records(nlp: Language, name: str) -> DealRecords:
    return DealRecords()
