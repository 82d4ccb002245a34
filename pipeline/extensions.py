"""Custom `Doc` attributes that the pipeline and the corpus formats share.

`doc._.relations`: a list of dicts, one per relation, with character offsets into `doc.text`::

    {"label": "VALUE", "head": [start, end], "tail": [start, end], "score": 0.97}

Both arguments are entities in `doc.ents`; `score` is 1.0 for gold relations. Plain lists
and dicts (not `Span` objects) so that `DocBin(store_user_data=True)` can serialise them.

`doc._.aliases`: event alias groups (schema v2 `Equiv`), a list of groups, each a list of
`[start, end]` character offsets of EVENT entities in `doc.ents`, in text order.

`doc._.deals`: the deal records built by the `deal_records` component (see `pipeline.deals`);
`doc._.facts`: the deal facts that merge records restating one deal.

`doc_text(doc)`: `doc.text`, read once per Doc.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc

# spaCy joins `doc.text` from the tokens on every access (0.1 ms for a release) and four
# components read it. Kept beside the Doc, not in `doc.user_data`, so that serialised docs
# do not carry the text twice; an entry goes when its Doc does.
_texts: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per Doc (a Doc's text never changes)."""
    text = _texts.get(doc)
    if text is None:
        text = _texts[doc] = doc.text
    return text


def register_extensions() -> None:
    for name in ("relations", "aliases", "deals", "facts"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
