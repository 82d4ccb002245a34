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
