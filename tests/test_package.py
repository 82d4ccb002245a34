"""The package as users get it: one import package, layers that import only downwards, and a
wheel that tags with its packaged model from any directory."""

import ast
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

# each layer and the layers it must not import
FORBIDDEN = {
    "pressdeals": ("pressdeals.cli", "pressdeals.training", "pressdeals.evaluation"),
    "pipeline": ("pressdeals.cli", "pressdeals.training", "pressdeals.evaluation"),
    "evaluation": ("pressdeals.cli",),
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_layers_import_only_downwards(folder):
    bad = []
    for path in sorted((ROOT / folder).glob("*.py")):
        if path.name == "cli.py":
            continue
        for name in _imports(path):
            if name.startswith(FORBIDDEN[folder]):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
            if name.split(".")[0] in ("pipeline", "training", "evaluation"):
                bad.append(f"{path.relative_to(ROOT)} imports top-level {name}")
    assert bad == []


@pytest.mark.slow
def test_wheel_tags_with_its_packaged_model_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(wheels), str(ROOT)],
        check=True,
    )
    wheel = next(wheels.glob("pressdeals-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # the dependencies (spaCy...) come from this environment; pressdeals only from the wheel
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "some.txt").write_text(
        "A total of 12 projects worth 3 billion yuan were signed at the Delta Expo.\n"
    )

    def run(*args):
        return subprocess.run(args, cwd=elsewhere, capture_output=True, text=True)

    assert run(str(py), "-c", "import pipeline").returncode != 0
    assert run(str(py), "-c", "import pressdeals.pipeline.deals").returncode == 0
    tag = run(str(venv / "bin" / "pressdeals"), "tag", "some.txt", "--out", "x.jsonl")
    assert tag.returncode == 0, tag.stderr
    record = (elsewhere / "x.jsonl").read_text()
    assert '"schema_version": 2' in record and "site-packages" not in record
    loaded = run(
        str(py), "-c",
        "import spacy; nlp = spacy.load('pressdeals'); "
        "print(nlp.meta['name'], 'ner' in nlp.pipe_names)",
    )
    assert loaded.stdout.split() == ["pressdeals_cpu", "True"], loaded.stderr
