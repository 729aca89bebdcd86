"""Shared helpers: run the CLI in-process and read back what it wrote."""

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from objection.cli import cli
from objection.verify import page_text, squeeze
from tests.certificates import PASSWORD, ThrowawayPki, make_pki

# English letters unless a test asks for another language (a later --lang wins).
BASE_ARGS = ["--no-input", "--name", "Jane Doe", "--email", "jane@example.org",
             "--date", "2026-11-23", "--lang", "en"]


@pytest.fixture
def run() -> Callable[..., Result]:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=True)
    return invoke


@pytest.fixture
def letter(run: Callable[..., Result], tmp_path: Path) -> Callable[..., str]:
    """Write a letter with the base arguments plus extra ones; return its text content."""

    made = iter(range(1_000_000))

    def make(*extra: str, fmt: str = "txt") -> str:
        out = tmp_path / f"letter-{next(made)}.{fmt}"  # a new file each time (no --force)
        result = run("letter", *BASE_ARGS, *extra, "-o", str(out))
        assert result.exit_code == 0, result.output
        return pdf_text(out.read_bytes()) if fmt == "pdf" else out.read_text("utf-8")

    return make


# Throwaway certificates (a CA, a signer, a timestamp authority), made once per test module.
@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> ThrowawayPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def password_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pw") / "password.txt"
    path.write_bytes(PASSWORD + b"\n")
    return path


# The tests read a PDF, and compare text, the way `objection verify` does.
pdf_text = page_text


def assert_contains(text: str, *phrases: str) -> None:
    body = squeeze(text)
    missing = [phrase for phrase in phrases if squeeze(phrase) not in body]
    assert not missing, f"missing from the letter: {missing}"
