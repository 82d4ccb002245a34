"""Shipping compares with the shipped model and refuses a worse one."""

from pressdeals.training.ship import bump, comparison, headline, worse_on


def report(ents: float, rels: float, facts: float) -> dict:
    return {
        "entities": {"micro": {"f1": ents}},
        "relations": {"micro": {"f1": rels}},
        "facts": {"micro": {"f1": facts}},
    }


def test_worse_on_dev_or_realdev_is_refused_and_noise_is_not():
    old = {"dev": report(0.9, 0.9, 0.9), "realdev": report(0.8, 0.7, 0.5)}
    old["gold"] = report(1, 1, 1)
    better = {"dev": report(0.9, 0.9, 0.9), "realdev": report(0.9, 0.8, 0.7)}
    better["gold"] = report(0, 0, 0)
    worse_dev = {"dev": report(0.8, 0.9, 0.9), "realdev": report(0.9, 0.8, 0.7)}
    noise = {"dev": report(0.899, 0.898, 0.9), "realdev": report(0.8, 0.7, 0.5)}
    assert worse_on(old, better) == []  # gold is not a selection set
    assert worse_on(old, worse_dev) == ["dev"]
    assert worse_on(old, noise) == []
    assert headline(old)["realdev"] == round((0.8 + 0.7 + 0.5) / 3, 4)


def test_comparison_prints_old_and_new_side_by_side():
    text = comparison({"dev": report(0.9, 0.8, 0.7)}, {"dev": report(0.95, 0.85, 0.75)})
    assert "dev       facts           0.700    0.750" in text


def test_version_bump():
    assert bump("0.0.0") == "0.1.0" and bump("1.4.2") == "1.5.0"


def test_rescore_writes_current_scores_and_keeps_weights_threshold_and_version(
    tmp_path, monkeypatch
):
    import json
    import shutil

    from pressdeals.evaluation.evaluate import load_documents
    from pressdeals.paths import SHIPPED_MODEL
    from pressdeals.training import ship

    from .conftest import GOLD

    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL, target)
    meta = json.loads((target / "meta.json").read_text())
    meta["pressdeals_scores"]["gold"]["entities"]["micro"]["f1"] = 0.123  # stale figure
    (target / "meta.json").write_text(json.dumps(meta))
    monkeypatch.setattr(ship, "RESULTS", tmp_path)
    monkeypatch.setattr(
        ship.Evaluation, "load", classmethod(lambda cls: cls({"gold": load_documents(GOLD)}))
    )
    scores = ship.rescore_shipped(target, echo=lambda _: None)
    after = json.loads((target / "meta.json").read_text())
    assert after["pressdeals_scores"] == scores
    assert json.loads((tmp_path / "scores_shipped.json").read_text()) == scores
    assert scores["gold"]["entities"]["micro"]["f1"] > 0.8
    assert scores["relation_threshold"] == meta["pressdeals_scores"]["relation_threshold"]
    assert after["version"] == meta["version"]
    assert (target / "ner" / "model").read_bytes() == (SHIPPED_MODEL / "ner" / "model").read_bytes()


def test_rescore_without_a_shipped_model_says_so_in_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pressdeals import paths
    from pressdeals.cli import app

    monkeypatch.setattr(paths, "SHIPPED_MODEL", tmp_path / "none")
    result = CliRunner().invoke(app, ["rescore"])
    assert result.exit_code == 1
    assert "no shipped model to rescore" in result.output
    assert "Traceback" not in result.output
