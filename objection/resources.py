"""Where the package's templates, catalogs, data and fonts are.

In a built wheel, templates/ and locales/ are copied into the package
(see pyproject.toml); in a checkout they sit beside it at the top level.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
ASSETS_DIR = PACKAGE_DIR / "assets"


def _shipped_dir(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    beside = PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"the package's {name}/ directory is missing; reinstall objection")


def templates_dir() -> Path:
    return _shipped_dir("templates")


def locales_dir() -> Path:
    return _shipped_dir("locales")
