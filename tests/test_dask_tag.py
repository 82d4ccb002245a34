"""The cluster path (`pressdeals tag --dask-workers/--scheduler`, `pressdeals.cluster`) on a
LocalCluster of 2 worker processes: a worker killed mid-run, bad documents and bad
partitions; every input has exactly one record, equal to `pressdeals tag`'s."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from pressdeals.cli import app  # noqa: E402
from pressdeals.cluster import TagSettings, row_record  # noqa: E402
from pressdeals.cluster_run import ClusterError, ClusterOptions, run_cluster  # noqa: E402

from .conftest import ROOT  # noqa: E402

GROUP = 6  # rows per Parquet row group, and documents per partition
MAX_CHARS = 12_000


def _dev_texts(n: int) -> list[str]:
    paths = sorted((ROOT / "corpus" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths[:n]]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Tables with good documents, bad documents and bad partitions."""
    folder = tmp_path_factory.mktemp("tables")
    texts = _dev_texts(18)
    rows = [{"id": f"p{i:03d}", "text": t} for i, t in enumerate(texts)]
    pq.write_table(pa.Table.from_pylist(rows), folder / "a.parquet", row_group_size=GROUP)
    # a second table whose second row group is damaged: its rows get one error record
    damaged = folder / "b.parquet"
    rows = [{"id": f"q{i:03d}", "text": t} for i, t in enumerate(texts[:12])]
    pq.write_table(
        pa.Table.from_pylist(rows), damaged, row_group_size=GROUP, compression="none"
    )
    offset = pq.ParquetFile(damaged).metadata.row_group(1).column(0).data_page_offset
    data = bytearray(damaged.read_bytes())
    data[offset : offset + 16] = b"\xff" * 16
    damaged.write_bytes(bytes(data))
    (folder / "c.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    lines = [
        json.dumps({"id": "j-good", "text": texts[0]}),
        '{"id": "j-bad-json", "text": ',
        json.dumps({"id": "j-null", "text": None}),
        json.dumps({"id": "j-number", "text": 12}),
        '{"id": "j-surrogate", "text": "12 deals \\ud800 signed"}',
        json.dumps({"id": "j-long", "text": "12 deals were signed. " * 700}),
        "",
        json.dumps({"text": texts[1]}),  # no id: FILE:LINE
        json.dumps({"id": "j-empty", "text": "   "}),
    ]
    (folder / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> dict[str, dict]:
    """What `pressdeals tag` writes for the same inputs, by id."""
    out = tmp_path_factory.mktemp("ref") / "ref.jsonl"
    result = CliRunner().invoke(
        app, ["tag", str(inputs), "--out", str(out), "--max-chars", str(MAX_CHARS),
              "--keep-going"],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == len(records) == 18 + (6 + 1) + 1 + 8  # 6 damaged rows: one record
    return by_id


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as made,
    ):
        yield made


def _dataset_records(out: Path) -> list[dict]:
    rows = []
    for path in sorted((out / "records").glob("part-*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return [row_record(r) for r in rows]


def _settings() -> TagSettings:
    return TagSettings(max_chars=MAX_CHARS)


def test_a_killed_worker_loses_and_duplicates_nothing(inputs, reference, client, tmp_path):
    out = tmp_path / "dataset"
    killed: list[str] = []

    def kill_a_busy_worker(result, client) -> None:
        if killed:
            return
        busy = [addr for addr, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            killed.append(busy[0])
            # the worker dies at once, its running partition half done
            os.kill(pid, signal.SIGKILL)

    summary = run_cluster(
        [str(inputs)], _settings(), ClusterOptions(out=str(out), partition_size=GROUP),
        client=client, on_result=kill_a_busy_worker,
    )
    assert killed, "no worker was busy when the first partition finished"
    assert summary.failed_partitions == []
    records = _dataset_records(out)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))  # no duplicates
    assert set(ids) == set(reference)  # one record per input
    for record in records:
        assert record == reference[record["id"]], record["id"]
    errors = {r["id"]: r["error"] for r in records if "error" in r}
    assert set(errors) == {
        "b:rows 7-12", "c", "d:2", "j-null", "j-number", "j-surrogate", "j-long", "j-empty"
    }
    assert "unreadable Parquet data" in errors["b:rows 7-12"]
    assert summary.errors == len(errors)
    assert summary.documents == len(reference) - len(errors)
    # no temporary file is left behind, and the marker says the run is complete
    assert not [p for p in out.rglob(".*")]
    assert json.loads((out / "_pressdeals.json").read_text())["complete"] is True

    # --resume redoes only a missing partition
    missing = out / "records" / "part-00001.parquet"
    before = missing.read_bytes()
    missing.unlink()
    again = run_cluster(
        [str(inputs)], _settings(),
        ClusterOptions(out=str(out), partition_size=GROUP, resume=True), client=client,
    )
    assert again.skipped == again.partitions - 1
    assert again.documents + again.errors == len(pq.read_table(missing))
    assert pq.read_table(missing).equals(pq.read_table(pa.BufferReader(before)))
    # without --resume an existing dataset is refused, before anything is written
    with pytest.raises(ClusterError, match="--resume"):
        run_cluster([str(inputs)], _settings(), ClusterOptions(out=str(out)), client=client)
    # with other inputs, --resume is refused
    with pytest.raises(ClusterError, match="inputs or --partition-size"):
        run_cluster(
            [str(inputs)], _settings(),
            ClusterOptions(out=str(out), partition_size=GROUP + 1, resume=True), client=client,
        )


def test_dataframe_api_and_deal_facts_equal_tag(inputs, reference, client):
    import dask.dataframe as dd
    import pandas as pd

    from pressdeals.cluster import deal_facts, tag_dataframe
    from pressdeals.writers import deal_rows

    table = pq.read_table(inputs / "a.parquet").to_pandas()
    table["source"] = [f"{inputs / 'a.parquet'}:row {n + 1}" for n in range(len(table))]
    table.loc[3, "text"] = None  # a bad document
    releases = dd.from_pandas(table, npartitions=3)
    records_frame = tag_dataframe(releases, max_chars=MAX_CHARS)
    frame = records_frame.compute()
    assert len(frame) == len(table)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    records = {r["id"]: row_record(r) for r in rows}
    assert records["p003"]["error"] == "field 'text' is null"
    for doc_id, record in records.items():
        if doc_id != "p003":
            assert record == reference[doc_id]

    facts = deal_facts(records_frame).compute()
    expected = [row for i in sorted(records) if i != "p003" for row in deal_rows(reference[i])]
    assert len(facts) == len(expected) > 0
    got = facts.astype(object).where(facts.notna(), None).to_dict("records")
    assert sorted(got, key=json.dumps) == sorted(
        pd.DataFrame(expected).astype(object).where(pd.DataFrame(expected).notna(), None)
        .to_dict("records"), key=json.dumps,
    )


def test_misuse_is_refused_before_a_cluster_starts(inputs, tmp_path):
    runner = CliRunner()
    cases = [
        (["--dask-workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--scheduler and"),
        (["--dask-workers", "0"], "below 1"),
        (["--dask-workers", "2", "--format", "csv"], "--format"),
        (["--dask-workers", "2", "--n-process", "2"], "--n-process"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["tag", str(inputs), "--out", str(tmp_path / "o"), *extra])
        assert result.exit_code == 2 and message in result.output, result.output
    text = tmp_path / "one.txt"
    text.write_text("12 deals were signed.")
    result = runner.invoke(
        app, ["tag", str(text), "--dask-workers", "2", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1 and ".parquet and .jsonl tables only" in result.output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(ClusterError, match="did not write"):
        run_cluster([str(inputs)], _settings(), ClusterOptions(out=str(foreign), workers=2))
    assert (foreign / "notes.txt").read_text() == "mine"


def test_an_unreachable_scheduler_is_a_clear_error(inputs, tmp_path):
    options = ClusterOptions(
        out=str(tmp_path / "o"), scheduler="tcp://127.0.0.1:9", connect_timeout=2
    )
    with pytest.raises(ClusterError, match="cannot connect"):
        run_cluster([str(inputs)], _settings(), options)


def test_a_local_cluster_runs_its_workers_without_the_profiler(tmp_path):
    # Dask's statistical profiler (on by default) takes CPU from tagging on every worker
    import dask

    from pressdeals.cluster_run import ClusterOptions, _client

    with _client(ClusterOptions(out=str(tmp_path / "out"), workers=1)) as made:
        flags = made.run(dask.config.get, "distributed.worker.profile.enabled")
    assert list(flags.values()) == [False]
