"""The output folder of a batch (issue 12, item 3 and 8): never chmodded if it existed,
refused if it holds other files, locked against a second batch, its own files never symbolic
links, and the state never trusted for paths."""

import fcntl
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from objection.batch_state import LOCK, STATE
from tests.test_batch import _letters, _manifest, _people, _write_csv


def _sheet(tmp_path: Path, total: int = 3) -> Path:
    rows, _bad = _people(total, 0)
    return _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")


def _batch(run: Callable[..., Result], source: Path, out: Path, *extra: str) -> Result:
    return run("batch", str(source), "-o", str(out), "--format", "txt", "--date", "2026-11-23",
               "--jobs", "1", *extra)


def _refused(result: Result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert words in result.output and len(result.output.strip().splitlines()) == 1


def test_an_existing_empty_folder_keeps_its_mode(run: Callable[..., Result],
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    assert _batch(run, _sheet(tmp_path), out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o755, "a folder we did not make is not chmodded"
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in out.glob("*.txt"))


def test_a_folder_with_other_files_is_refused_and_left_alone(run: Callable[..., Result],
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    (out / "notes.txt").write_text("mine")
    (out / ".objection-abc.part").write_text("not a batch's")
    _refused(_batch(run, _sheet(tmp_path), out), "holds other files")
    assert sorted(path.name for path in out.iterdir()) == [".objection-abc.part", "notes.txt"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_a_second_batch_into_a_locked_folder_is_refused(run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out).exit_code == 0
    fd = os.open(out / LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running batch holds it
        _refused(_batch(run, source, out), "another batch is writing into this folder")
    finally:
        os.close(fd)
    assert _batch(run, source, out).exit_code == 0


def test_a_planted_symbolic_link_for_the_state_is_refused(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out).exit_code == 0
    outside = tmp_path / "outside.db"
    outside.write_bytes(b"keep")
    (out / STATE).unlink()
    (out / STATE).symlink_to(outside)
    _refused(_batch(run, source, out), "is a symbolic link")
    assert outside.read_bytes() == b"keep"


def test_temporary_files_in_subfolders_of_a_killed_run_are_removed(
        run: Callable[..., Result], tmp_path: Path) -> None:
    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out).exit_code == 0
    (out / "001").mkdir()
    (out / "001" / ".objection-x1.part").write_text("personal data of a killed run")
    assert _batch(run, source, out).exit_code == 0
    assert not (out / "001" / ".objection-x1.part").exists()


def test_a_manifest_naming_a_path_outside_is_not_trusted(run: Callable[..., Result],
                                                         tmp_path: Path) -> None:
    """An earlier version's manifest, edited to name ../secret.txt for a row: the row is made
    again, and the outside file goes into no zip."""
    import hashlib

    source, out = _sheet(tmp_path), tmp_path / "out"
    assert _batch(run, source, out).exit_code == 0
    entries = _manifest(out)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    lines = (out / "manifest.csv").read_text("utf-8").splitlines()
    first = entries[0]
    lines[1] = ",".join([first["row"], "ok", "../secret.txt", digest, first["country"],
                         first["language"], first["reference"], ""])
    for path in out.iterdir():  # as an earlier version left it: no state, the edited manifest
        if path.name.startswith(STATE):
            path.unlink()
    (out / "manifest.csv").write_text("\r\n".join(lines) + "\r\n", "utf-8")
    again = _batch(run, source, out, "--zip")
    assert again.exit_code == 0, again.output
    assert "(1 written, 2 unchanged)" in again.output
    assert secret.read_text() == "secret"
    names = zipfile.ZipFile(out / "letters.zip").namelist()
    assert not any(".." in name for name in names) and len(_letters(out, "txt")) == 3


def test_workers_end_when_the_batch_process_alone_is_killed(tmp_path: Path) -> None:
    """SIGKILL of the batch process only (not its group): the fork server and the workers end
    too, instead of going on with the rows they hold (issue 12, item 4)."""
    import signal
    import subprocess
    import sys
    import time

    rows, _bad = _people(60, 0)
    source = _write_csv(tmp_path / "staff.csv", rows, "utf-8", ",")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "objection", "batch", str(source), "-o",
                                str(out), "--jobs", "2", "--quiet"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    def group() -> list[int]:
        pids = []
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == process.pid:  # the process group the batch led
                pids.append(int(stat_file.parent.name))
        return pids

    deadline = time.monotonic() + 10
    while group() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert group() == [], "processes of the killed batch are still running"
    parts = sorted(out.glob(".objection-*.part"))
    time.sleep(1)
    assert sorted(out.glob(".objection-*.part")) == parts, "nothing writes after the batch"
    done = subprocess.run([sys.executable, "-m", "objection", "batch", str(source), "-o",
                           str(out), "--jobs", "2", "--quiet"], capture_output=True, timeout=300)
    assert done.returncode == 0 and not list(out.glob(".objection-*.part"))
