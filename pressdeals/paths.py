"""Paths and constants shared by every layer (imports nothing of the project but its data).

The shipped pipeline is package data of `pressdeals.models` (folder `models/`), so an editable
install and a wheel find it the same way. Corpus, configs and results exist only in a
checkout: they are what training and the benchmarks read and write.
"""

from __future__ import annotations

from pathlib import Path

import pressdeals.models as _models

SCHEMA_VERSION = 2
# `spacy.load(MODEL_PACKAGE)` loads the shipped pipeline (see `pressdeals.load`)
MODEL_PACKAGE = "pressdeals"

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT = PACKAGE_DIR.parent
SHIPPED_MODEL = Path(_models.__file__).resolve().parent / "pressdeals-cpu"

CORPUS = CHECKOUT / "corpus"
CONFIGS = CHECKOUT / "configs"
RESULTS = CHECKOUT / "evaluation" / "results"
TRAINING_OUTPUT = CHECKOUT / "training" / "output"
README = CHECKOUT / "README.md"
REALDEV = CHECKOUT.parent / "shared" / "realdev"
