"""Hostile signature images (issue 12, item 1): each is its own row's problem (or, for one
letter, exit 2 with one line), and none can stop, hang or leak into a batch."""

import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from tests.conftest import BASE_ARGS, pdf_text

ARGS = [*BASE_ARGS, "--country", "IE", "--ground", "old-content"]
SVG = '<svg xmlns="http://www.w3.org/2000/svg" {size}>{body}</svg>'


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge image (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def _use_bomb(levels: int = 12) -> str:
    """Each level uses the one below ten times: 10**12 elements drawn from 2 KiB."""
    defs = ['<path id="l0" d="M0 0 L1 1"/>'] + [
        f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>"
        for i in range(1, levels + 1)]
    return SVG.format(size='width="300" height="80"',
                      body="<defs>" + "".join(defs) + f'</defs><use href="#l{levels}"/>')


HOSTILE = {
    "bomb.png": (_png_claiming(20000, 20000), "is not a valid PNG image"),
    "width.svg": (SVG.format(size='width="1.2.3" height="80"', body=""),
                  "is not a number of pixels"),
    "viewbox.svg": (SVG.format(size='viewBox="0 0 abc 80"', body=""),
                    "is not a number of pixels"),
    "nan.svg": (SVG.format(size='viewBox="0 0 nan 80"', body=""), "is not a number of pixels"),
    "use-bomb.svg": (_use_bomb(), "draws more than"),
    "cycle.svg": (SVG.format(size='width="30" height="8"',
                             body='<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
                  "cycle"),
    "deep.svg": (SVG.format(size='width="30" height="8"', body="<g>" * 5000 + "</g>" * 5000),
                 "nested too deeply"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_image_is_refused_with_one_line(run: Callable[..., Result], tmp_path: Path,
                                                  name: str) -> None:
    content, expected = HOSTILE[name]
    image = tmp_path / name
    image.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out"
    out.mkdir()
    result = run("letter", *ARGS, "--signature-image", str(image), "-o", str(out / "x.pdf"))
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "directory"])
def test_only_a_regular_file_is_read_as_an_image(run: Callable[..., Result], tmp_path: Path,
                                                 special: str) -> None:
    """/dev/zero reports size 0 and never ends; a FIFO blocks until someone writes."""
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "sig.png"
        os.mkfifo(path)
    elif special == "directory":
        path = tmp_path / "sig"
        path.mkdir()
    result = run("letter", *ARGS, "--signature-image", str(path), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2, result.output
    assert "expected a file" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_one_hostile_image_costs_only_its_own_row(run: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    sheet_dir = tmp_path / "sheet"
    sheet_dir.mkdir()
    Image.new("RGB", (120, 40), "white").save(sheet_dir / "good.png")
    names = ["good.png", *sorted(HOSTILE), "fifo.png"]
    for name in HOSTILE:
        content = HOSTILE[name][0]
        (sheet_dir / name).write_bytes(content if isinstance(content, bytes) else
                                       content.encode())
    os.mkfifo(sheet_dir / "fifo.png")
    rows = "".join(f"Person {i},p{i}@example.org,IE,old-content,en,{name}\n"
                   for i, name in enumerate(names))
    source = sheet_dir / "staff.csv"
    source.write_text("name,email,country,ground,lang,signature_image\n" + rows, "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--jobs", "1", "--date", "2026-11-23")
    assert result.exit_code == 3, result.output
    report = (out / "report.csv").read_text("utf-8").splitlines()[1:]
    assert [int(line.split(",")[0]) for line in report] == list(range(3, 3 + len(names) - 1))
    assert all(",signature_image," in line for line in report)
    assert [p.name for p in out.glob("*.pdf")] == ["000002-person-0.pdf"]
    assert (out / "manifest.csv").is_file() and not list(out.rglob("*.part"))


def _with_comment(kind: str) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    image = Image.new("RGB", (120, 40), "white")
    if kind == "JPEG":
        image.save(buffer, "JPEG", comment=b"SECRET-COMMENT-42")
    else:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", "SECRET-COMMENT-42")
        image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_an_images_metadata_does_not_reach_the_pdf(run: Callable[..., Result], tmp_path: Path,
                                                   kind: str) -> None:
    """A JPEG's comment segment used to be copied into the PDF as it was (issue 12, 19)."""
    image = tmp_path / f"sig.{kind.lower()}"
    image.write_bytes(_with_comment(kind))
    assert b"SECRET-COMMENT-42" in image.read_bytes()
    out = tmp_path / "x.pdf"
    result = run("letter", *ARGS, "--signature-image", str(image), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert b"SECRET-COMMENT-42" not in data and b"/DCTDecode" not in data
    assert "Jane Doe" in pdf_text(data)


JOB_VALUES: dict[str, str | list[str]] = {
    "name": "Ann A", "email": "a@example.org", "country": "IE", "lang": "en",
    "ground": ["old-content"]}


def test_a_row_that_runs_too_long_is_stopped_and_reported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever makes a row slow (a drawing WeasyPrint takes hours over), the row ends
    within the limit as its own failure and the worker goes on with the next."""
    import time

    from objection import batch, render

    monkeypatch.setattr(batch, "ROW_SECONDS", 0.2)
    monkeypatch.setattr(render, "render_files", lambda *_args: time.sleep(30))
    started = time.monotonic()
    outcome = batch.produce(batch.Job(7, JOB_VALUES, ("pdf",), False, "2026-11-23", "."))
    assert time.monotonic() - started < 5
    assert outcome.status == batch.FAILED and not outcome.files
    assert "took longer than 0.2 s" in outcome.reason


def test_any_failure_while_reading_a_row_is_that_rows_problem(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from objection import batch, request

    def broken(_values: object) -> None:
        raise MemoryError("Ann A's image")

    monkeypatch.setattr(request, "make_request", broken)
    outcome = batch.produce(batch.Job(7, JOB_VALUES, ("txt",), False, "2026-11-23", "."))
    assert outcome.status == batch.FAILED
    assert outcome.reason == "unexpected failure (MemoryError)"  # no personal data


def test_a_row_that_ends_its_worker_costs_only_itself(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """A worker killed while making a row's letter (out of memory, a crash in a library)
    used to break the pool and end the batch with exit 1; the batch now makes the lost rows
    again and reports only the row that ends its worker again."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from objection import batch, batch_run

    real = batch.produce

    def produce(job: batch.Job) -> batch.Outcome:
        if job.values["name"] == "Person 3":
            os._exit(9)  # as if the kernel had killed the worker
        return real(job)

    # Forked workers inherit this process's patched `produce`.
    monkeypatch.setattr(batch, "produce", produce)
    monkeypatch.setattr(batch_run, "default_executor", lambda options: ProcessPoolExecutor(
        2, mp_context=multiprocessing.get_context("fork")))
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang\n" + "".join(
        f"Person {i},p{i}@example.org,IE,old-content,en\n" for i in range(8)), "utf-8")
    out = tmp_path / "out"
    summary = batch_run.run_batch(batch_run.BatchOptions(
        source, out, formats=("txt",), jobs=2, date="2026-11-23"), warn=lambda _m: None)
    assert summary.written == 7 and summary.problem_count == 1
    assert summary.problems[0][0] == 5 and "worker process ended" in summary.problems[0][2]
    assert len(list(out.glob("*.txt"))) == 7 and not list(out.rglob("*.part"))


@pytest.mark.parametrize(("email", "shown"), [
    ("jörg@example.org", "jörg@example.org"), ("ann@bücher.de", "ann@xn--bcher-kva.de")])
def test_an_email_draft_takes_international_addresses(tmp_path: Path, email: str,
                                                      shown: str) -> None:
    """A non-ASCII local part failed the row (losing its PDF and text); an IDN domain gave
    an invalid From header (issue 12, item 7)."""
    from email import message_from_string, policy

    from objection.batch import OK, Job, produce

    outcome = produce(Job(2, {"name": "Jörg Ä", "email": email, "country": "DE",
                              "lang": "de", "ground": ["old-content"]},
                          ("pdf", "txt"), True, "2026-11-23", str(tmp_path)))
    assert outcome.status == OK, outcome.reason
    assert sorted(outcome.files) == ["eml", "pdf", "txt"]
    # RFC 6532: headers in UTF-8 (Python's byte parser would leave them undecoded)
    draft = message_from_string(outcome.files["eml"].decode("utf-8"), policy=policy.default)
    assert draft["To"].addresses[0].addr_spec == shown  # the draft goes to the person
    assert draft["To"].addresses[0].display_name == "Jörg Ä"
    # no encoded word inside the address (what made the IDN domain's header invalid)
    to_line = next(line for line in outcome.files["eml"].split(b"\r\n")
                   if line.startswith(b"To:"))
    assert b"=?" not in to_line.split(b"<", 1)[1]


def test_a_full_output_folder_is_said_as_such(monkeypatch: pytest.MonkeyPatch,
                                              run: Callable[..., Result],
                                              tmp_path: Path) -> None:
    """A full disk while letters are written used to end the batch with exit 1 and
    "unexpected failure (OSError)" (issue 12, item 18)."""
    import errno
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from objection import batch_run, output

    written = iter(range(1_000_000))
    real = output.stage_private

    def stage_private(path: Path, data: bytes) -> str:
        if next(written) >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    monkeypatch.setattr(output, "stage_private", stage_private)  # forked workers see it
    monkeypatch.setattr(batch_run, "default_executor", lambda options: ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork")))
    source = tmp_path / "staff.csv"
    source.write_text("name,email,country,ground,lang\n" + "".join(
        f"Person {i},p{i}@example.org,IE,old-content,en\n" for i in range(200)), "utf-8")
    out = tmp_path / "out"
    result = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "1",
                 "--date", "2026-11-23")
    assert result.exit_code == 2, result.output
    assert "Error: output '" in result.output
    assert "': cannot be written (No space left on device)" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setattr(output, "stage_private", real)  # room again: the batch goes on
    again = run("batch", str(source), "-o", str(out), "--format", "txt", "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert len(list(out.glob("*.txt"))) == 200
