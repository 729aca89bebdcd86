"""The batch's state in SQLite (issue 11): what a rerun does with other formats, another
input, a second Ctrl-C during a commit; the state file itself."""

import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from objection.batch_state import STATE
from tests.test_batch import _letters, _manifest, _people, _write_csv


def _sheet(tmp_path: Path, name: str = "staff.csv", total: int = 4) -> Path:
    rows, _bad = _people(total, 0)
    return _write_csv(tmp_path / name, rows, "utf-8", ",")


def _batch(run: Callable[..., Result], source: Path, out: Path, *extra: str) -> Result:
    return run("batch", str(source), "-o", str(out), "--date", "2026-11-23", "--jobs", "1",
               *extra)


def test_a_rerun_with_more_formats_writes_them(run: Callable[..., Result],
                                               tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out, "--format", "txt").exit_code == 0
    result = _batch(run, source, out, "--format", "txt,pdf")
    assert result.exit_code == 0, result.output
    assert "4 written" in result.output
    assert len(_letters(out, "txt")) == len(_letters(out, "pdf")) == 4
    assert sorted(entry["file"].rsplit(".", 1)[1] for entry in _manifest(out)) == \
        ["pdf"] * 4 + ["txt"] * 4


def test_a_rerun_with_fewer_formats_removes_the_others(run: Callable[..., Result],
                                                       tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out, "--format", "txt,pdf").exit_code == 0
    fewer = _batch(run, source, out, "--format", "txt")
    assert fewer.exit_code == 0 and "Removed 4 files" in fewer.output
    assert len(_letters(out, "txt")) == 4 and _letters(out, "pdf") == []
    assert all(entry["file"].endswith(".txt") for entry in _manifest(out))


def test_another_input_into_the_same_folder_is_refused_without_replace(
        run: Callable[..., Result], tmp_path: Path) -> None:
    first, out = _sheet(tmp_path, "first.csv", 3), tmp_path / "out"
    assert _batch(run, first, out, "--format", "txt").exit_code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()
              if not path.name.startswith(STATE)}
    second = _sheet(tmp_path, "second.csv", 2)
    refused = _batch(run, second, out, "--format", "txt")
    assert refused.exit_code == 2
    assert "first.csv" in refused.output and "--replace" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert {path.name: path.read_bytes() for path in out.iterdir()
            if not path.name.startswith(STATE)} == before, "nothing changed"
    replaced = _batch(run, second, out, "--format", "txt", "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert len(_letters(out, "txt")) == 2 and len(_manifest(out)) == 2


def test_the_state_is_one_private_database_and_no_journal(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out, "--format", "txt").exit_code == 0
    state = out / STATE
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert not (out / ".manifest.journal.csv").exists()
    with sqlite3.connect(state) as db:
        rows = db.execute("SELECT COUNT(DISTINCT row) FROM done").fetchone()[0]
        source_recorded = db.execute("SELECT value FROM meta WHERE key = 'input'").fetchone()[0]
    assert rows == 4 and source_recorded == str(source.resolve())


def test_a_second_ctrl_c_during_a_commit_stops_cleanly_and_the_next_run_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The group being committed when the second Ctrl-C comes is not committed twice (that
    failed with exit 1); the run ends interrupted and the next one completes the folder."""
    from concurrent.futures import ThreadPoolExecutor

    import objection.batch_run as batch_run
    from objection.batch_run import BatchOptions, run_batch

    source, out = _sheet(tmp_path, total=5), tmp_path / "out"
    options = BatchOptions(source, out, ("txt",), jobs=1, date="2026-11-23")
    real_commit = batch_run._commit
    calls: list[int] = []

    def interrupted_commit(group, directory, state):  # type: ignore[no-untyped-def]
        calls.append(len(group))
        if len(calls) == 1:
            real_commit(group[:1], directory, state)  # part of the group, then Ctrl-C
            raise KeyboardInterrupt
        real_commit(group, directory, state)

    monkeypatch.setattr(batch_run, "_commit", interrupted_commit)
    monkeypatch.setattr(batch_run, "ROWS_PER_COMMIT", 2)
    with ThreadPoolExecutor(1) as pool:
        first = run_batch(options, warn=print, executor=pool)
        assert first.interrupted and calls[1] == 0, "the interrupted group is not re-committed"
        monkeypatch.setattr(batch_run, "_commit", real_commit)
        again = run_batch(options, warn=print, executor=pool)
    assert not again.interrupted and again.letters == 5
    assert len(_letters(out, "txt")) == 5 and len(_manifest(out)) == 5


def test_the_workers_follow_the_cpus_this_process_may_use(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    import os

    from objection.batch_run import BatchOptions, _workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3}, raising=False)
    assert _workers(BatchOptions(tmp_path / "x.csv", tmp_path)) == 2
    assert _workers(BatchOptions(tmp_path / "x.csv", tmp_path, jobs=5)) == 5


def test_a_large_batch_puts_its_letters_in_subfolders(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Above SUBFOLDER_ABOVE rows, ROWS_PER_SUBFOLDER rows a subfolder (here 5, not 1000),
    named in the manifest; the layout stays with the folder, and reruns and format changes
    find and remove the files in it."""
    from concurrent.futures import ThreadPoolExecutor

    import objection.batch_run as batch_run
    from objection.batch_run import BatchOptions, run_batch

    monkeypatch.setattr(batch_run, "SUBFOLDER_ABOVE", 5)
    monkeypatch.setattr(batch_run, "ROWS_PER_SUBFOLDER", 5)
    source, out = _sheet(tmp_path, total=12), tmp_path / "out"  # rows 2 to 13
    with ThreadPoolExecutor(1) as pool:
        first = run_batch(BatchOptions(source, out, ("txt", "pdf"), jobs=1,
                                       date="2026-11-23"), warn=print, executor=pool)
        assert first.written == 12
        names = sorted(entry["file"] for entry in _manifest(out))
        assert {name.split("/")[0] for name in names} == {"000", "001", "002"}
        assert all((out / name).is_file() for name in names)
        assert sorted(path.name for path in (out / "001").iterdir()) == \
            sorted(name.split("/")[1] for name in names if name.startswith("001/"))
        assert stat.S_IMODE((out / "001").stat().st_mode) == 0o700
        again = run_batch(BatchOptions(source, out, ("txt",), jobs=1, date="2026-11-23"),
                          warn=print, executor=pool)
    assert again.written == 12  # other formats: made again, the PDFs removed
    assert not list(out.glob("*/*.pdf")) and len(list(out.glob("*/*.txt"))) == 12


def test_rows_a_stopped_run_wrote_and_the_sheet_lost_leave_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run stopped after writing rows that a later, shorter sheet no longer has: the
    run that finishes removes their letters too (they are in no manifest)."""
    from concurrent.futures import ThreadPoolExecutor

    import objection.batch_run as batch_run
    from objection.batch_run import BatchOptions, run_batch

    out = tmp_path / "out"
    long_rows, _bad = _people(8, 0)
    source = _write_csv(tmp_path / "staff.csv", long_rows, "utf-8", ",")
    real_commit = batch_run._commit
    commits: list[int] = []

    def stop_after_all(group, directory, state):  # type: ignore[no-untyped-def]
        real_commit(group, directory, state)
        commits.append(len(group))
        if group and sum(commits) == 8:
            raise KeyboardInterrupt  # every letter written, the run not finished

    monkeypatch.setattr(batch_run, "_commit", stop_after_all)
    options = BatchOptions(source, out, ("txt",), jobs=1, date="2026-11-23")
    with ThreadPoolExecutor(1) as pool:
        assert run_batch(options, warn=print, executor=pool).interrupted
        assert len(_letters(out, "txt")) == 8
        monkeypatch.setattr(batch_run, "_commit", real_commit)
        _write_csv(source, long_rows[:5], "utf-8", ",")  # the same file, three rows fewer
        done = run_batch(options, warn=print, executor=pool)
    assert not done.interrupted and done.letters == 5
    assert len(_letters(out, "txt")) == 5 and len(_manifest(out)) == 5


def _id_sheet(path: Path, ids: list[str]) -> Path:
    lines = ["id,name,email,country,ground,lang"] + [
        f"{key},Person {key},{key.lower() or 'x'}@example.org,IE,old-content,en" for key in ids]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_with_an_id_column_an_inserted_row_makes_no_other_letter_again(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source, out = tmp_path / "staff.csv", tmp_path / "out"
    _id_sheet(source, ["E-1", "E-2", "E-3"])
    assert _batch(run, source, out, "--format", "txt").exit_code == 0
    before = {path.name: path.read_bytes() for path in out.glob("*.txt")}
    assert sorted(before) == ["e-1-person-e-1.txt", "e-2-person-e-2.txt", "e-3-person-e-3.txt"]
    _id_sheet(source, ["N-9", "E-1", "E-2", "E-3"])  # a new row at the top moves every row
    again = _batch(run, source, out, "--format", "txt")
    assert again.exit_code == 0, again.output
    assert "(1 written, 3 unchanged)" in again.output
    after = {path.name: path.read_bytes() for path in out.glob("*.txt")}
    assert {name: after[name] for name in before} == before and "n-9-person-n-9.txt" in after
    assert [(entry["row"], entry["file"]) for entry in _manifest(out)] == [
        ("2", "n-9-person-n-9.txt"), ("3", "e-1-person-e-1.txt"), ("4", "e-2-person-e-2.txt"),
        ("5", "e-3-person-e-3.txt")]


def test_a_missing_repeated_or_malformed_id_is_that_rows_problem(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source, out = tmp_path / "staff.csv", tmp_path / "out"
    _id_sheet(source, ["A-1", "", "a-1", "a/b", "B-2"])
    result = _batch(run, source, out, "--format", "txt")
    assert result.exit_code == 3, result.output
    report = (out / "report.csv").read_text("utf-8")
    assert "3,id," in report and "is required in a sheet with an id column" in report
    assert "4,id,id 'a-1': is the id of row 2 as well; each row needs its own" in report
    assert "5,id,\"id 'a/b': expected up to 40 letters, digits" in report
    assert sorted(path.name for path in out.glob("*.txt")) == ["a-1-person-a-1.txt",
                                                             "b-2-person-b-2.txt"]
    # the repeated id is the later row's problem only: the first row's letter stays listed
    assert [entry["file"] for entry in _manifest(out) if entry["file"]] == [
        "a-1-person-a-1.txt", "b-2-person-b-2.txt"]
    again = _batch(run, source, out, "--format", "txt")
    assert "(0 written, 2 unchanged)" in again.output


def test_a_shorter_sheet_says_how_many_files_it_removed(run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    rows, _bad = _people(5, 0)
    source, out = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ","), tmp_path / "out"
    assert _batch(run, source, out, "--format", "txt").exit_code == 0
    _write_csv(source, rows[:3], "utf-8", ",")
    shorter = _batch(run, source, out, "--format", "txt")
    assert shorter.exit_code == 0
    assert "(0 written, 3 unchanged)" in shorter.output
    assert "Removed 2 files of rows that are no longer in the input" in shorter.output
    assert len(_letters(out, "txt")) == 3
