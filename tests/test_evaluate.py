"""Gold against itself scores 1.0; known perturbations give known drops."""

import dataclasses
import json

from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.document import AnnotatedDoc, Entity, Relation
from pressdeals.evaluation.evaluate import align, build_report, error_listing
from pressdeals.jsonl import write_jsonl
from pressdeals.pipeline.deals import build_facts
from pressdeals.pipeline.text import sentence_index

from .conftest import GOLD


def scores(report, section, label="micro"):
    prf = report[section][label]
    return round(prf.precision, 6), round(prf.recall, 6), round(prf.f1, 6)


def test_gold_against_itself_is_perfect(gold_docs):
    report = build_report(align(gold_docs, gold_docs), align(gold_docs, gold_docs))
    for section, table in report.items():
        for label, prf in table.items():
            if prf.support:
                assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0), (section, label)


def _replace_entity(doc: AnnotatedDoc, old: Entity, new: Entity) -> AnnotatedDoc:
    swap = lambda e: new if e == old else e  # noqa: E731
    return AnnotatedDoc(
        doc.id,
        doc.text,
        [swap(e) for e in doc.entities],
        [dataclasses.replace(r, head=swap(r.head), tail=swap(r.tail)) for r in doc.relations],
        [tuple(swap(e) for e in group) for group in doc.aliases],
    )


def test_perturbations_give_exact_drops(gold_docs):
    n_ents = sum(len(d.entities) for d in gold_docs)
    n_rels = sum(len(d.relations) for d in gold_docs)
    first = gold_docs[0]
    # 1. shift an entity that is no relation argument: one FP and one FN
    plain = next(e for e in first.entities if e.label == "ORG")
    shifted = _replace_entity(first, plain, Entity(plain.start + 1, plain.end, plain.label))
    # 2. wrong label on a GPE
    gpe = next(e for e in gold_docs[1].entities if e.label == "GPE")
    relabelled = _replace_entity(gold_docs[1], gpe, Entity(gpe.start, gpe.end, "ORG"))
    # 3. drop one relation
    third = gold_docs[2]
    value = next(r for r in third.relations if r.label == "VALUE")
    dropped = AnnotatedDoc(
        third.id,
        third.text,
        third.entities,
        [r for r in third.relations if r != value],
        third.aliases,
    )
    pred = [shifted, relabelled, dropped, *gold_docs[3:]]
    report = build_report(align(gold_docs, pred))

    tp = n_ents - 2
    p = r = tp / n_ents
    assert scores(report, "entities") == (round(p, 6), round(r, 6), round(p, 6))
    org = report["entities"]["ORG"]
    assert (org.tp, org.fp, org.fn) == (
        sum(e.label == "ORG" for d in gold_docs for e in d.entities) - 1,
        2,
        1,
    )
    gpe_prf = report["entities"]["GPE"]
    assert (gpe_prf.fp, gpe_prf.fn) == (0, 1)

    rel_r = (n_rels - 1) / n_rels
    assert scores(report, "relations") == (1.0, round(rel_r, 6), round(2 * rel_r / (1 + rel_r), 6))
    assert report["relations"]["VALUE"].fn == 1
    assert report["relations"]["SIGNED_AT"].fn == 0
    # the title's deal record of doc 002 loses its amount: one wrong record, one missed
    deals = report["deals"]["micro"]
    assert (deals.fp, deals.fn) == (1, 1)


def test_cli_evaluate_pred_writes_report_and_errors(gold_docs, tmp_path):
    pred = [AnnotatedDoc(d.id, d.text, d.entities, d.relations, d.aliases) for d in gold_docs]
    first = pred[0]
    pred[0] = AnnotatedDoc(
        first.id, first.text, first.entities, first.relations[:-1], first.aliases
    )
    write_jsonl(pred, tmp_path / "pred.jsonl")
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(GOLD),
            "--pred",
            str(tmp_path / "pred.jsonl"),
            "--report",
            str(tmp_path / "r.json"),
            "--errors",
            str(tmp_path / "errors.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["entities"]["micro"]["f1"] == 1.0
    assert report["relations"]["micro"]["fn"] == 1
    assert report["relations_gold_entities"] is None
    listing = (tmp_path / "errors.txt").read_text()
    assert (
        "missed   VALUE" in listing
        and "'137 projects' (COUNT) -> '380.5 billion yuan' (MONEY)" in listing
    )


def test_error_listing_shows_spurious_spans(gold_docs):
    doc = gold_docs[3]
    extra = Entity(0, 5, "ORG")
    pred = AnnotatedDoc(doc.id, doc.text, [*doc.entities, extra], doc.relations, doc.aliases)
    listing = error_listing([(doc, pred)])
    assert "spurious ORG       0-5 'date'" in listing  # whitespace normalised for reading
    assert "1 errors" in listing


def test_missing_prediction_is_an_error(gold_docs, tmp_path):
    write_jsonl(gold_docs[:4], tmp_path / "pred.jsonl")
    result = CliRunner().invoke(
        app, ["evaluate", str(GOLD), "--pred", str(tmp_path / "pred.jsonl")]
    )
    assert result.exit_code == 1
    assert gold_docs[4].id in result.output


def test_relation_scoring_needs_matching_argument_labels(gold_docs):
    doc = gold_docs[0]
    rel = doc.relations[0]
    wrong = Relation(Entity(rel.head.start, rel.head.end, "MONEY"), rel.tail, rel.label)
    pred = AnnotatedDoc(doc.id, doc.text, doc.entities, [wrong, *doc.relations[1:]], doc.aliases)
    report = build_report([(doc, pred)])
    assert report["relations"]["micro"].tp == len(doc.relations) - 1


def test_alias_facts_and_distance_sections_count_exactly(gold_docs):
    # doc 002 has the gold set's cross-sentence relation and a five-mention alias group
    doc = next(d for d in gold_docs if any(len(g) == 5 for g in d.aliases))
    index = sentence_index(doc.text)
    cross = next(r for r in doc.relations if index[r.head.start] != index[r.tail.start])
    group = next(g for g in doc.aliases if len(g) == 5)
    pred = AnnotatedDoc(
        doc.id,
        doc.text,
        doc.entities,
        [r for r in doc.relations if r != cross],
        [group[:4] if g == group else g for g in doc.aliases],
    )
    pairs = align(gold_docs, [pred if d.id == doc.id else d for d in gold_docs])
    report = build_report(pairs)
    # a group of 5 has 10 pairs; without one member, 6 remain: 4 missed, none spurious
    aliases = report["aliases"]["pairwise"]
    assert (aliases.fp, aliases.fn) == (0, 4)
    by_distance = report["relations_by_distance"]
    assert (by_distance["cross sentence"].fn, by_distance["same sentence"].fn) == (1, 0)
    # without its SIGNED_AT the deal infers the main event, which is the same event: the
    # fact is still right
    facts = report["facts"]["micro"]
    assert (facts.fp, facts.fn) == (0, 0)
    assert facts.support == sum(len(build_facts(d)) for d in gold_docs)
