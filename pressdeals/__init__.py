"""pressdeals: signed deals (counts, amounts, events) from trade-event press releases.

    import pressdeals
    nlp = pressdeals.load()                      # the shipped pipeline (or a path)
    doc = pressdeals.tag(nlp, text)              # doc.ents, doc._.relations, doc._.deals
    for record in pressdeals.tag_records(nlp, [("id1", text1), ("id2", text2)]):
        ...

`spacy.load("pressdeals")` loads the same pipeline (spaCy calls `load` below), but tags raw
text without the wrap handling of `tag` (see the README).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"


def load(model: Any = None, **overrides: Any):
    """A pipeline by package name or path (default: the shipped one); `overrides` go to
    `spacy.load`. `spacy.load("pressdeals", ...)` ends here too, with keywords only."""
    from pressdeals.api import load as _load

    return _load(model, **overrides)


def __getattr__(name: str) -> Any:
    # the API's functions, imported on first use so that `import pressdeals` stays cheap
    if name in ("tag", "tag_records", "to_record"):
        import pressdeals.api as api

        return getattr(api, name)
    raise AttributeError(f"module 'pressdeals' has no attribute {name!r}")
