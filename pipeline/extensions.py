"""Custom `Doc` attributes that the pipeline and the corpus formats share.

`doc._.relations`: a list of dicts, one per relation, with character offsets into `doc.text`::

    {"label": "VALUE", "head": [start, end], "tail": [start, end], "score": 0.97}

Both arguments are entities in `doc.ents`; `score` is 1.0 for gold relations. Plain lists
and dicts (not `Span` objects) so that `DocBin(store_user_data=True)` can serialise them.

`doc._.aliases`: event alias groups (schema v2 `Equiv`), a list of groups, each a list of
`[start, end]` character offsets of EVENT entities in `doc.ents`, in text order.

`doc._.deals`: the deal records built by the `deal_records` component (see `pipeline.deals`);
`doc._.facts`: the deal facts that merge records restating one deal.
"""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    for name in ("relations", "aliases", "deals", "facts"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
