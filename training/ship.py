"""Ship a trained pipeline as the default model: relation threshold from the precision-recall
curve of dev and realdev together, scores on dev, realdev and the gold seeds in meta.json, a
new model version, and a side-by-side comparison with the model it replaces. A model that is
worse on dev or realdev is refused unless forced."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import spacy
import srsly
from spacy.language import Language

from pressdeals.document import AnnotatedDoc
from pressdeals.evaluation.evaluate import evaluate_pipeline, load_documents, report_as_dict
from pressdeals.evaluation.threshold import candidate_scores, choose_threshold, plot_curve
from pressdeals.paths import REALDEV, RESULTS, SHIPPED_MODEL
from pressdeals.training.corpus import SPLITS

# the figures a ship decision looks at: (section, label) of the report
HEADLINE = (("entities", "micro"), ("relations", "micro"), ("facts", "micro"))
TOLERANCE = 0.005  # a drop smaller than this is noise, not worse


class ShipRefused(RuntimeError):
    """The new model is worse than the shipped one; the message has the comparison."""


@dataclass
class Evaluation:
    sets: dict[str, list[AnnotatedDoc]]

    @classmethod
    def load(cls) -> Evaluation:
        sets = {"dev": load_documents(SPLITS["dev"]), "gold": load_documents(SPLITS["gold"])}
        if REALDEV.exists():
            sets["realdev"] = load_documents(REALDEV)
        return cls(sets)

    def score(self, nlp: Language) -> dict[str, dict]:
        return {
            name: report_as_dict(evaluate_pipeline(nlp, docs)[0])
            for name, docs in self.sets.items()
        }


def headline(scores: dict) -> dict[str, float]:
    """Mean F1 of entities, relations and deal facts per set (the figure ship compares)."""
    out = {}
    for name, report in scores.items():
        values = [report[section][label]["f1"] for section, label in HEADLINE]
        out[name] = round(sum(values) / len(values), 4)
    return out


def comparison(old: dict | None, new: dict) -> str:
    """A table of old and new F1 per set and headline figure."""
    lines = [f"{'':<10}{'figure':<12}{'shipped':>9}{'new':>9}"]
    for name in new:
        for section, label in HEADLINE:
            o = "-" if old is None else f"{old[name][section][label]['f1']:.3f}"
            lines.append(
                f"{name:<10}{section:<12}{o:>9}{new[name][section][label]['f1']:>9.3f}"
            )
    return "\n".join(lines)


def worse_on(old: dict, new: dict) -> list[str]:
    """The sets (dev, realdev) on which the new model's headline figure drops."""
    o, n = headline(old), headline(new)
    sets = [name for name in ("dev", "realdev") if name in n]
    return [name for name in sets if n[name] < o.get(name, 0) - TOLERANCE]


def bump(version: str) -> str:
    major, minor, *_ = (version.split(".") + ["0", "0"])[:3]
    return f"{int(major)}.{int(minor) + 1}.0"


def ship_model(
    model_dir: Path,
    name: str,
    target: Path = SHIPPED_MODEL,
    *,
    force: bool = False,
    version: str | None = None,
    echo=print,
) -> Path:
    """Tune, score, compare and copy `model_dir` to `target`; raises ShipRefused when the
    new model is worse on dev or realdev and `force` is not set."""
    nlp = spacy.load(model_dir)
    evaluation = Evaluation.load()
    tuning = evaluation.sets["dev"] + evaluation.sets.get("realdev", [])
    choice = choose_threshold(*candidate_scores(nlp, tuning))
    nlp.get_pipe("relation_extractor").threshold = choice["threshold"]
    new = evaluation.score(nlp)
    old = old_meta = None
    if (target / "meta.json").exists():
        old_meta = json.loads((target / "meta.json").read_text())
        old = evaluation.score(spacy.load(target))
    echo(comparison(old, new))
    worse = [] if old is None else worse_on(old, new)
    if worse and not force:
        raise ShipRefused(
            f"the new model is worse on {', '.join(worse)} (mean F1 of entities, relations and "
            f"deal facts: {headline(old)} shipped vs {headline(new)} new); nothing was shipped "
            "(use --force to ship it anyway)"
        )
    plot_curve(choice, RESULTS / "pr_curve.png", f"configs/{name}.cfg: relations on dev + realdev")
    nlp.meta["name"] = "pressdeals_cpu"
    nlp.meta["version"] = version or bump((old_meta or {}).get("version", "0.0.0"))
    nlp.meta["description"] = (
        f"pressdeals CPU pipeline (configs/{name}.cfg): NER for MONEY, COUNT, EVENT, ORG, GPE, "
        "event aliases, VALUE and SIGNED_AT relations, deal records and facts (schema v2)"
    )
    scores = {"relation_threshold": round(choice["threshold"], 4), **new}
    nlp.meta["pressdeals_scores"] = scores
    training = model_dir.parent / "training.json"
    if training.exists():
        nlp.meta["pressdeals_training"] = json.loads(training.read_text())
    (RESULTS / "scores_shipped.json").write_text(json.dumps(scores, indent=2) + "\n")
    tmp = target.with_name(target.name + ".new")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    return target


def rescore_shipped(target: Path = SHIPPED_MODEL, echo=print) -> dict:
    """Score the shipped model again with the current pipeline code and evaluation data and
    write the figures to its meta.json and to evaluation/results/scores_shipped.json.

    The weights, relation threshold and version stay; what changes is what meta.json says
    the model scores after a change of the rules in `pressdeals.pipeline` or of dev."""
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text())
    old = {k: v for k, v in meta.get("pressdeals_scores", {}).items() if isinstance(v, dict)}
    new = Evaluation.load().score(spacy.load(target))
    echo(comparison(old if set(old) >= set(new) else None, new))
    threshold = meta.get("pressdeals_scores", {}).get("relation_threshold")
    scores = {"relation_threshold": threshold, **new}
    meta["pressdeals_scores"] = scores
    srsly.write_json(meta_path, meta)  # the format spaCy's to_disk writes
    (RESULTS / "scores_shipped.json").write_text(json.dumps(scores, indent=2) + "\n")
    return scores
