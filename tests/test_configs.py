"""Every config validates, and a few-step `spacy train` runs end to end."""

import subprocess
import sys
from pathlib import Path

import pytest

from pressdeals.brat import read_brat_dir
from pressdeals.pipeline.tokenizer import blank_nlp
from pressdeals.spacy_docs import write_docbin
from pressdeals.training.corpus import SPLITS
from pressdeals.training.train import CONFIGS, machine_overrides

CONFIG_FILES = sorted(CONFIGS.glob("*.cfg"))


def test_there_is_a_cpu_and_a_transformer_config():
    assert {"cpu", "trf"} <= {p.stem for p in CONFIG_FILES}


@pytest.mark.parametrize("config", CONFIG_FILES, ids=lambda p: p.stem)
def test_config_passes_spacy_debug_config(config: Path, tmp_path):
    # debug config resolves every registered function, so the entry points must work
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "debug",
            "config",
            str(config),
            "--paths.train",
            str(tmp_path / "t.spacy"),
            "--paths.dev",
            str(tmp_path / "d.spacy"),
            *machine_overrides(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Config is valid" in result.stdout


def test_few_step_spacy_train_smoke(tmp_path):
    nlp = blank_nlp()
    write_docbin(read_brat_dir(SPLITS["train"])[:12], nlp, tmp_path / "train.spacy")
    write_docbin(read_brat_dir(SPLITS["dev"])[:4], nlp, tmp_path / "dev.spacy")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "train",
            str(CONFIGS / "cpu.cfg"),
            "--output",
            str(tmp_path / "out"),
            "--paths.train",
            str(tmp_path / "train.spacy"),
            "--paths.dev",
            str(tmp_path / "dev.spacy"),
            "--training.max_steps",
            "6",
            "--training.eval_frequency",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    import spacy

    trained = spacy.load(tmp_path / "out" / "model-last")
    assert trained.pipe_names == [
        "tok2vec",
        "ner",
        "entity_filter",
        "event_aliases",
        "relation_extractor",
        "deal_records",
    ]
    doc = trained("A total of 12 projects worth $3 billion were signed at the Lagos Fair.")
    assert isinstance(doc._.relations, list) and isinstance(doc._.deals, list)
