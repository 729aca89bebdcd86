"""`objection batch --scheduler`: the rows on a Dask cluster (a local one, two worker
processes, started by the test) give the letters and the manifest of the local pool."""

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from objection.batch_state import STATE
from tests.test_batch import _letters, _manifest, _people, _write_csv

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator["distributed.LocalCluster"]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as local:
        yield local


def _contents(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in out.iterdir()
            if not path.name.startswith(STATE)}


def test_a_batch_on_a_cluster_writes_what_the_local_pool_writes(
        run: Callable[..., Result], tmp_path: Path, cluster: "distributed.LocalCluster") -> None:
    rows, bad = _people(9, 4)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    local, remote = tmp_path / "local", tmp_path / "remote"
    common = ["--format", "pdf,txt", "--date", "2026-11-23"]
    assert run("batch", str(source), "-o", str(local), *common, "--jobs", "2").exit_code == 3
    on_cluster = run("batch", str(source), "-o", str(remote), *common,
                     "--scheduler", cluster.scheduler_address)
    assert on_cluster.exit_code == 3, on_cluster.output
    assert _contents(remote) == _contents(local)  # byte-identical letters, same manifest
    again = run("batch", str(source), "-o", str(remote), *common,
                "--scheduler", cluster.scheduler_address)
    assert f"(0 written, {9 - len(bad)} unchanged)" in again.output


def test_a_worker_killed_mid_run_loses_no_row(run: Callable[..., Result], tmp_path: Path,
                                              cluster: "distributed.LocalCluster") -> None:
    import threading
    import time

    rows, _bad = _people(24, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"

    def kill_a_worker() -> None:  # once a few letters exist, as a crashed machine would
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
            time.sleep(0.05)
        with distributed.Client(cluster.scheduler_address) as client:
            pids = client.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    result = run("batch", str(source), "-o", str(out), "--date", "2026-11-23",
                 "--scheduler", cluster.scheduler_address)
    killer.join()
    assert result.exit_code == 0, result.output
    assert len(_letters(out, "pdf")) == 24 and len(_manifest(out)) == 24


def test_no_scheduler_there_is_one_line_and_exit_2(run: Callable[..., Result],
                                                   tmp_path: Path) -> None:
    rows, _bad = _people(2, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    result = run("batch", str(source), "-o", str(tmp_path / "out"),
                 "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "no Dask scheduler answers there" in result.output
    assert len(result.output.strip().splitlines()) == 1
