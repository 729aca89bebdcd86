"""A user who installs the built wheel, not the checkout, gets working letters."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys, pathlib, objection
from objection.cli import main
assert pathlib.Path(objection.__file__).is_relative_to(sys.argv[1]), objection.__file__
sys.argv = ["objection", "letter", "--no-input", "--name", "Ana", "--email", "ana@example.pt",
            "--country", "PT", "--ground", "old-content", "-o", sys.argv[2]]
main()
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from the checkout and install it (without dependencies) into a folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(work / "dist"), str(ROOT)], check=True, capture_output=True)
    [wheel] = (work / "dist").glob("objection-*.whl")
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    return target


@pytest.mark.parametrize("suffix", ["txt", "pdf"])
def test_installed_wheel_writes_letters(installed: Path, tmp_path: Path, suffix: str) -> None:
    assert (installed / "objection" / "templates" / "kinds" / "objection.html.j2").is_file()
    assert (installed / "objection" / "locales").is_dir()
    out = tmp_path / f"letter.{suffix}"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    subprocess.run([sys.executable, "-c", SCRIPT, str(installed), str(out)], check=True,
                   cwd=tmp_path, env=env, capture_output=True)
    data = out.read_bytes()
    if suffix == "pdf":
        assert data.startswith(b"%PDF-")
    else:  # Portuguese by default for PT: the catalogs and legal terms came with the wheel
        text = data.decode("utf-8")
        assert "RGPD" in text and "Exmos. Senhores," in text
