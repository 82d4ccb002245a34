"""`pressdeals train NAME`: build the .spacy files and run `spacy train` on configs/NAME.cfg."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pressdeals.paths import CONFIGS, CORPUS, SHIPPED_MODEL
from pressdeals.training.corpus import build_spacy


def train_command(name: str, output: Path, spacy_dir: Path, overrides: list[str]) -> list[str]:
    config = CONFIGS / f"{name}.cfg"
    if not config.exists():
        known = ", ".join(sorted(p.stem for p in CONFIGS.glob("*.cfg")))
        raise FileNotFoundError(f"{config}: no such config (known: {known})")
    return [
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(config),
        "--output",
        str(output),
        "--paths.train",
        str(spacy_dir / "train.spacy"),
        "--paths.dev",
        str(spacy_dir / "dev.spacy"),
        *overrides,
    ]


def run_training(name: str, output: Path, overrides: list[str], generated: bool = True) -> Path:
    spacy_dir = CORPUS / "spacy"
    build_spacy(spacy_dir, with_generated=generated)
    cmd = train_command(name, output, spacy_dir, overrides)
    print("$", " ".join(cmd), flush=True)
    started = time.time()
    subprocess.run(cmd, check=True)
    record_training(output, name, time.time() - started)
    return output / "model-best"


def record_training(output: Path, name: str, seconds: float) -> None:
    """Wall-clock training time beside the trained pipelines (read by ship and benchmarks)."""
    info = {
        "config": f"configs/{name}.cfg",
        "seconds": round(seconds, 1),
        "cpu_cores": os.cpu_count(),
    }
    (output / "training.json").write_text(json.dumps(info, indent=2) + "\n")


def ship(model_dir: Path, meta_update: dict, target: Path = SHIPPED_MODEL) -> Path:
    """Copy a trained pipeline to the shipped location with its scores in meta.json."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model_dir, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(meta_update)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return target
