"""The `pressdeals` command: validate, convert, tag and evaluate annotated press releases."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Deal facts (counts, amounts, events) from investment and trade-event press releases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)




def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def parse_label_map(spec: str | None) -> dict[str, str] | None:
    if not spec:
        return None
    if spec == "en_core_web_sm":
        from pressdeals.schema import SM_LABEL_MAP

        return dict(SM_LABEL_MAP)
    pairs = [item.split("=", 1) for item in spec.split(",") if item]
    if any(len(p) != 2 for p in pairs):
        _fail(f"--label-map {spec!r}: write FROM=TO pairs separated by commas, or 'en_core_web_sm'")
    return {a.strip(): b.strip() for a, b in pairs}


def need_train_extra() -> None:
    """Fail with the install command when the `train` extra is missing."""
    import importlib.util

    missing = [
        m for m in ("sklearn", "datasets", "matplotlib") if importlib.util.find_spec(m) is None
    ]
    if missing:
        _fail(
            f"this command needs the training extra ({', '.join(missing)} missing): "
            "pip install -c constraints.txt -e '.[train]'"
        )


_MODELS: dict[str | None, object] = {}  # one load per process (tests invoke many commands)


def load_model(model: str | None):
    from pressdeals.api import ModelError, load

    if model not in _MODELS:
        try:
            _MODELS[model] = load(model)
        except ModelError as exc:
            _fail(str(exc))
        except Exception as exc:  # a broken pipeline folder raises all kinds of errors
            _fail(f"cannot load model {model!r}: {type(exc).__name__}: {exc}")
    return _MODELS[model]


@app.command()
def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="brat folders, .txt/.ann files or .jsonl files")
    ],
) -> None:
    """Check annotated documents against the schema; prints file:line: message per problem."""
    from pressdeals.validate import validate_paths

    n_docs, problems = validate_paths(paths)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(
        f"{n_docs} document file(s) checked: {errors} error(s), {warnings} warning(s)", err=True
    )
    if n_docs == 0:
        _fail("no annotated documents found", 1)
    if errors:
        raise typer.Exit(1)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="brat folder, .jsonl or .spacy file")],
    target: Annotated[Path, typer.Argument(help="brat folder, .jsonl or .spacy file (by suffix)")],
) -> None:
    """Convert annotated documents between brat, JSONL and spaCy DocBin, losslessly."""
    from pressdeals.formats import FormatErrors, read_documents, write_documents

    try:
        n = write_documents(read_documents(source), target)
    except FormatErrors as exc:
        _fail(str(exc), 1)
    except OSError as exc:
        _fail(f"{exc.filename or target}: {exc.strerror or exc}", 1)
    typer.echo(f"wrote {n} document(s) to {target}")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="gold brat folder or .jsonl")],
    model: Annotated[str | None, typer.Option(help="pipeline to run (path or package)")] = None,
    pred: Annotated[
        Path | None, typer.Option(help="score saved predictions (.jsonl) instead")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="write the figures as JSON here")] = None,
    errors: Annotated[
        Path | None, typer.Option(help="write a per-document error listing here")
    ] = None,
    label_map: Annotated[str | None, typer.Option(help="FROM=TO,... or 'en_core_web_sm'")] = None,
) -> None:
    """Score a pipeline (or saved predictions) on gold documents: P/R/F1 per label."""
    from pressdeals.api import ModelError
    from pressdeals.evaluation.evaluate import (
        EvaluationError,
        error_listing,
        format_report,
        report_as_dict,
    )
    from pressdeals.evaluation.evaluate import evaluate as run_evaluation
    from pressdeals.formats import FormatErrors, read_documents

    if model and pred:
        _fail("give --model or --pred, not both")
    for option, path in (("--report", report), ("--errors", errors)):
        if path is not None and (path.is_dir() or not path.parent.is_dir()):
            _fail(f"{option} {path}: give a file in an existing folder")
    mapping = parse_label_map(label_map)
    try:
        # documents sharing an id would be paired with the wrong ones: refuse them first
        for path in (gold, pred):
            if path is not None:
                _unique_ids(path, read_documents(path))
        result, pairs = run_evaluation(gold, model=model, pred_path=pred, label_map=mapping)
    except (EvaluationError, ModelError, *FormatErrors) as exc:
        _fail(str(exc), 1)
    except ValueError as exc:  # the pipeline failed on a gold text
        _fail(f"{gold}: the pipeline failed on a gold document: {exc}", 1)
    typer.echo(format_report(result))
    try:
        if report:
            report.write_text(
                json.dumps(report_as_dict(result), indent=2) + "\n", encoding="utf-8"
            )
        if errors:
            errors.write_text(error_listing(pairs), encoding="utf-8")
    except OSError as exc:
        _fail(f"{exc.filename}: {exc.strerror}", 1)


def _unique_ids(path: Path, docs: list) -> None:
    from collections import Counter

    from pressdeals.evaluation.evaluate import EvaluationError

    repeated = [i for i, n in Counter(d.id for d in docs).items() if n > 1]
    if repeated:
        raise EvaluationError(
            f"{path}: document id(s) used more than once: {', '.join(map(repr, repeated[:5]))}; "
            "give each document its own id"
        )


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    brat = "brat"
    csv = "csv"
    parquet = "parquet"


class Oversize(str, Enum):
    refuse = "refuse"
    split = "split"


@app.command()
def tag(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="files, folders (recursive), globs, '-' for stdin; .txt .md .html .jsonl .parquet"
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            help="output file (a folder for --format brat); default: tagged.jsonl, tagged, "
            "tagged.csv or tagged.parquet, following --format"
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="jsonl: one record per "
            "document; brat: .txt/.ann folder; csv/parquet: one row per deal",
        ),
    ] = OutputFormat.jsonl,
    model: Annotated[
        str | None, typer.Option(help="pipeline to run (path or package; default: shipped)")
    ] = None,
    text_field: Annotated[str, typer.Option(help="text column of JSONL/Parquet inputs")] = "text",
    id_field: Annotated[str, typer.Option(help="id column of JSONL/Parquet inputs")] = "id",
    no_text: Annotated[
        bool, typer.Option("--no-text", help="leave the text out of records")
    ] = False,
    max_chars: Annotated[
        int, typer.Option(help="documents longer than this are split or refused")
    ] = 1_000_000,
    oversize: Annotated[
        Oversize, typer.Option(help="what to do above --max-chars")
    ] = Oversize.refuse,
    batch_size: Annotated[int, typer.Option(help="documents per nlp.pipe batch")] = 64,
    n_process: Annotated[int, typer.Option(help="worker processes")] = 1,
    resume: Annotated[
        bool, typer.Option(help="skip ids already in the output, append the rest")
    ] = False,
    keep_going: Annotated[bool, typer.Option(help="exit 0 even if some documents failed")] = False,
    html: Annotated[Path | None, typer.Option(help="also write a displaCy HTML page here")] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="tag on this Dask scheduler (tcp://HOST:PORT); --out is a dataset"),
    ] = None,
    dask_workers: Annotated[
        int | None, typer.Option(help="tag on a local Dask cluster of N worker processes")
    ] = None,
    partition_size: Annotated[
        int, typer.Option(help="documents per cluster task (and output file)")
    ] = 1000,
) -> None:
    """Tag press-release collections: entities, relations and deal records, nothing lost."""
    if scheduler is not None or dask_workers is not None:  # see "Tagging on a cluster"
        _tag_on_cluster(
            inputs, out=out, model=model, fmt=fmt, html=html, n_process=n_process,
            scheduler=scheduler, dask_workers=dask_workers, partition_size=partition_size,
            text_field=text_field, id_field=id_field, no_text=no_text, max_chars=max_chars,
            oversize=oversize, batch_size=batch_size, resume=resume, keep_going=keep_going,
        )
        return
    from itertools import chain

    from pressdeals.inputs import InputOptions, Inputs
    from pressdeals.pipeline.processes import WorkerError
    from pressdeals.tagger import TagOptions, run_tag
    from pressdeals.writers import DEFAULT_OUT, Output, OutputError, ResumeMismatch

    # options first: a misuse is refused before the model loads or anything is written
    for name, value in (("--max-chars", max_chars), ("--batch-size", batch_size)):
        if value < 1:
            _fail(f"{name} {value}: must be at least 1")
    if n_process < 1:
        _fail(f"--n-process {n_process}: must be at least 1 (the number of worker processes)")
    out = out if out is not None else Path(DEFAULT_OUT[fmt.value])
    try:
        output = Output(out, fmt.value, html)
        output.check(resume)
        output.lock()
    except OutputError as exc:
        _fail(str(exc))
    try:
        # a UTF-8 character has at most 4 bytes: a bigger text file cannot fit --max-chars
        max_bytes = 4 * max_chars + 4 if oversize == Oversize.refuse else None
        listing = Inputs(
            inputs,
            InputOptions(
                text_field=text_field,
                id_field=id_field,
                max_bytes=max_bytes,
                exclude=frozenset(output.paths()),
            ),
        )
        items = iter(listing)
        first = next(items, None)
        if first is None:
            passed = listing.passed_over_line()
            _fail(
                f"no input files found in {', '.join(inputs)}"
                + (f" (passed over: {passed})" if passed else "")
                + "; supported: .txt .md .text .html .htm .jsonl .parquet",
                1,
            )
        nlp = load_model(model)
        options = TagOptions(
            out=output.out,
            fmt=fmt.value,
            include_text=not no_text,
            max_chars=max_chars,
            oversize=oversize.value,
            batch_size=batch_size,
            n_process=n_process,
            resume=resume,
            html=output.html,
            progress=True,
        )
        try:
            summary = run_tag(nlp, chain([first], items), options, output)
        except (ResumeMismatch, WorkerError) as exc:
            _fail(str(exc))
        except OutputError as exc:
            _fail(str(exc))
        except OSError as exc:
            where = exc.filename or output.out
            _fail(
                f"{where}: {exc.strerror or exc}; what was tagged so far is kept in the "
                ".partial output: fix this and rerun with --resume"
            )
        except KeyboardInterrupt:
            _fail("interrupted; what was tagged so far is kept: rerun with --resume", 130)
    finally:
        output.unlock()
    typer.echo(summary.line(), err=True)
    for line in summary.failure_lines():
        typer.echo(line, err=True)
    if listing.passed_over:
        typer.echo(f"passed over in folders: {listing.passed_over_line()}", err=True)
    typer.echo("wrote " + ", ".join(str(p) for p in summary.outputs), err=True)
    for kept in summary.kept:
        typer.echo(f"kept {kept}: files pressdeals did not write, named like new ones", err=True)
    if summary.errors and not keep_going:
        raise typer.Exit(1)


def _tag_on_cluster(
    inputs: list[str],
    *,
    out: Path | None,
    model: str | None,
    fmt: OutputFormat,
    html: Path | None,
    n_process: int,
    scheduler: str | None,
    dask_workers: int | None,
    partition_size: int,
    text_field: str,
    id_field: str,
    no_text: bool,
    max_chars: int,
    oversize: Oversize,
    batch_size: int,
    resume: bool,
    keep_going: bool,
) -> None:
    """`pressdeals tag --scheduler/--dask-workers`: a Parquet dataset tagged on Dask."""
    from pressdeals.cluster import TagSettings
    from pressdeals.cluster_run import ClusterError, ClusterOptions, run_cluster

    misuse = [
        ("--scheduler and --dask-workers", scheduler is not None and dask_workers is not None),
        ("--dask-workers below 1", dask_workers is not None and dask_workers < 1),
        ("--format (the output is a Parquet dataset)", fmt != OutputFormat.jsonl),
        ("--html", html is not None),
        ("--n-process (give --dask-workers)", n_process != 1),
    ]
    for what, bad in misuse:
        if bad:
            _fail(f"{what}: not with a cluster run; see `pressdeals tag --help`")
    if model and Path(model).exists():  # workers may run elsewhere: no relative paths
        model = str(Path(model).resolve())
    settings = TagSettings(
        model=model or "", text_field=text_field, id_field=id_field,
        include_text=not no_text, max_chars=max_chars, oversize=oversize.value,
        batch_size=batch_size,
    )
    out = out if out is not None else Path("tagged-dataset")
    options = ClusterOptions(
        out=str(out), scheduler=scheduler, workers=dask_workers,
        partition_size=partition_size, resume=resume, progress=True,
    )
    try:
        result = run_cluster(inputs, settings, options)
    except ClusterError as exc:
        _fail(str(exc), 1)
    except KeyboardInterrupt:
        _fail("interrupted; the finished partitions are kept: rerun with --resume", 130)
    typer.echo(result.line(), err=True)
    for line in result.failure_lines():
        typer.echo(line, err=True)
    typer.echo(f"wrote {out}", err=True)
    if result.failed_partitions or (result.errors and not keep_going):
        raise typer.Exit(1)


corpus_app = typer.Typer(help="Corpus statistics, generated data and training files.")
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("stats")
def corpus_stats_cmd() -> None:
    """Documents, words, entities and relations per label, per split (a Markdown table)."""
    from pressdeals.training.corpus import corpus_stats, format_stats

    typer.echo(format_stats(corpus_stats()))


@corpus_app.command("generate")
def corpus_generate(
    n: Annotated[int, typer.Option(help="how many documents")] = 300,
    seed: Annotated[int, typer.Option(help="random seed: same seed, same documents")] = 13,
    out: Annotated[Path, typer.Option(help="brat folder to write")] = Path("corpus/generated"),
) -> None:
    """Generate annotated documents from templates and gazetteers (for augmentation)."""
    from pressdeals.training.generate import write_generated

    write_generated(n, seed, out)
    typer.echo(f"wrote {n} generated document(s) to {out}")


@corpus_app.command("export-hf")
def corpus_export_hf(
    out: Annotated[Path, typer.Argument(help="folder for the Hugging Face DatasetDict")],
) -> None:
    """Save train/dev/generated/gold as a Hugging Face DatasetDict (datasets.load_from_disk)."""
    need_train_extra()
    from pressdeals.training.corpus import export_hf

    counts = export_hf(out)
    typer.echo(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@corpus_app.command("build")
def corpus_build(
    out: Annotated[Path, typer.Option(help="folder for train.spacy and dev.spacy")] = Path(
        "corpus/spacy"
    ),
    generated: Annotated[bool, typer.Option(help="add corpus/generated to train")] = True,
) -> None:
    """Build the .spacy training files from the brat folders."""
    from pressdeals.training.corpus import build_spacy

    counts = build_spacy(out, with_generated=generated)
    typer.echo(
        f"wrote {out}/train.spacy ({counts['train']} docs), {out}/dev.spacy ({counts['dev']} docs)"
    )


# options of `train --ship` and `ship`
ForceShip = Annotated[
    bool, typer.Option(help="ship even when the new model is worse on dev or realdev")
]
ModelVersion = Annotated[
    str | None, typer.Option(help="version of the shipped model (default: next minor)")
]


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="config name: configs/NAME.cfg (cpu, trf, ...)")],
    output: Annotated[Path | None, typer.Option(help="output folder")] = None,
    generated: Annotated[bool, typer.Option(help="add corpus/generated to train")] = True,
    ship: Annotated[
        bool, typer.Option(help="tune the threshold on dev and ship as the default model")
    ] = False,
    force: ForceShip = False,
    model_version: ModelVersion = None,
) -> None:
    """Build the .spacy files and run `python -m spacy train configs/NAME.cfg`.

    Extra arguments go to spacy train as overrides, e.g. `--training.max_steps 200`.
    """
    need_train_extra()
    from pressdeals.training.train import run_training

    output = output or Path("training/output") / name
    try:
        best = run_training(name, output, list(ctx.args), generated=generated)
    except FileNotFoundError as exc:
        _fail(str(exc))
    if ship:
        ship_cli(best, name, force=force, model_version=model_version)


def ship_cli(best: Path, name: str, *, force: bool, model_version: str | None) -> None:
    from pressdeals.training.ship import ShipRefused, ship_model

    if not (best / "meta.json").exists():
        _fail(f"{best}: no trained pipeline to ship (did training save model-best?)", 1)
    try:
        target = ship_model(best, name, force=force, version=model_version, echo=typer.echo)
    except ShipRefused as exc:
        _fail(str(exc), 1)
    typer.echo(f"shipped {best} -> {target}")


@app.command()
def ship(
    model: Annotated[
        Path, typer.Argument(help="a trained pipeline, e.g. training/output/cpu_sm/model-best")
    ],
    config: Annotated[str, typer.Option(help="the config it was trained with")] = "cpu_sm",
    force: ForceShip = False,
    model_version: ModelVersion = None,
) -> None:
    """Tune the relation threshold, score and ship a trained pipeline as the default model,
    comparing it with the shipped one (refused when worse unless --force)."""
    need_train_extra()
    ship_cli(model, config, force=force, model_version=model_version)


@app.command()
def rescore() -> None:
    """Score the shipped model again on dev, realdev and the seeds with the current pipeline
    rules and write the figures to its meta.json (after a change of rules or of dev)."""
    need_train_extra()
    from pressdeals import paths
    from pressdeals.training.ship import rescore_shipped

    target = paths.SHIPPED_MODEL
    if not (target / "meta.json").exists():
        _fail(f"{target}: no shipped model to rescore (ship one with `pressdeals ship`)", 1)
    rescore_shipped(target, echo=typer.echo)
    typer.echo(f"rescored {target / 'meta.json'}")


def main() -> None:  # pragma: no cover
    app(prog_name="pressdeals")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
