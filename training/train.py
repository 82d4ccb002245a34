"""`pressdeals train NAME`: build the .spacy files and run `spacy train` on configs/NAME.cfg."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from pressdeals.paths import CONFIGS, CORPUS
from pressdeals.training.corpus import build_spacy


def train_command(name: str, output: Path, spacy_dir: Path, overrides: list[str]) -> list[str]:
    config = CONFIGS / f"{name}.cfg"
    if not config.exists():
        known = ", ".join(sorted(p.stem for p in CONFIGS.glob("*.cfg")))
        raise FileNotFoundError(f"{config}: no such config (known: {known})")
    overrides = [*machine_overrides(config), *overrides]
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


def machine_overrides(config: Path) -> list[str]:
    """Overrides a config needs on this machine: the en_core_web_md directory for configs
    that source from it (`${paths.md}`), which no config can name portably."""
    if "${paths.md}" in Path(config).read_text(encoding="utf-8"):
        from pressdeals.pipeline.offline import md_path

        return ["--paths.md", str(md_path())]
    return []


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
