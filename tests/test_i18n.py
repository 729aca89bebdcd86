"""The translation template matches the sources, and the i18n wiring fails loudly."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from objection.i18n import available_languages, translations

ROOT = Path(__file__).resolve().parent.parent


def _msgids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {str(message.id) for message in read_po(fh) if message.id}


def test_messages_pot_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "--no-wrap", "--omit-header", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    assert _msgids(fresh) == _msgids(ROOT / "locales" / "messages.pot"), \
        "run ./scripts/i18n and commit locales/"


def test_letter_strings_are_extracted() -> None:
    ids = _msgids(ROOT / "locales" / "messages.pot")
    assert "Yours faithfully," in ids
    assert "For the attention of the Data Protection Officer" in ids
    assert any(i.startswith("I hereby object, under %(objection)s") for i in ids)


def test_english_is_always_available() -> None:
    assert "en" in available_languages()


def test_a_missing_catalog_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        translations("tlh")
