"""User text stays text: nothing it contains makes the renderer read a file or a URL."""

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from objection.compose import compose
from objection.pdf import PackageOnlyFetcher, _stylesheet
from objection.render import render_html
from objection.request import make_request
from objection.resources import ASSETS_DIR
from tests.conftest import BASE_ARGS, assert_contains, pdf_text

HOSTILE_NAME = '<img src="file:hostname"> Jane'  # a name may not hold a '/'
HOSTILE_SITUATION = ('I object. <style>@import url(file:///etc/passwd);</style> '
                     'background: url("http://127.0.0.1:9/x.png") {{ 7*7 }}')


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the PDF renderer asks for during the test."""
    urls: list[str] = []
    original = PackageOnlyFetcher.fetch

    def spy(self: PackageOnlyFetcher, url: str, headers: object = None) -> object:
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(PackageOnlyFetcher, "fetch", spy)
    _stylesheet.cache_clear()  # fonts are fetched once per process; make this test see it
    return urls


def test_markup_and_css_in_user_text_appear_literally(run: Callable[..., Result], tmp_path: Path,
                                                      fetched: list[str]) -> None:
    args = ["letter", "--no-input", "--name", HOSTILE_NAME, "--email", "jane@example.org",
            "--country", "IE", "--situation", HOSTILE_SITUATION]
    for fmt in ("pdf", "txt"):
        out = tmp_path / f"x.{fmt}"
        result = run(*args, "-o", str(out))
        assert result.exit_code == 0, result.output
        text = pdf_text(out.read_bytes()) if fmt == "pdf" else out.read_text("utf-8")
        assert_contains(text, HOSTILE_NAME, "@import url(file:///etc/passwd);",
                        'url("http://127.0.0.1:9/x.png")', "{{ 7*7 }}")
        assert "49" not in text
    assert fetched, "the fonts should have been fetched through the fetcher"
    assert all(url.startswith("objection-asset:fonts/") for url in fetched), fetched


def test_html_escapes_user_values() -> None:
    request = make_request({"name": HOSTILE_NAME, "email": "jane@example.org", "country": "IE",
                            "situation": HOSTILE_SITUATION, "date": "2026-11-23"})
    html = render_html(compose(request))
    assert "<img" not in html and "<style>@import" not in html
    assert "&lt;img src=&#34;file:hostname&#34;&gt;" in html


@pytest.mark.parametrize("url", [
    "file:///etc/hostname", "http://127.0.0.1:9/x.css", "https://example.org/font.ttf",
    "objection-asset:../../../etc/passwd", "objection-asset:fonts/../../pdf.py",
    "objection-asset:fonts/nothing.ttf",
])
def test_fetcher_refuses_everything_the_package_did_not_ship(url: str) -> None:
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        PackageOnlyFetcher().fetch(url)


def test_fetcher_serves_data_urls_and_fonts() -> None:
    assert PackageOnlyFetcher().fetch("data:text/plain,hello").read() == b"hello"
    font = PackageOnlyFetcher().fetch("objection-asset:fonts/NotoSerif-Regular.ttf")
    assert font.read() == (ASSETS_DIR / "fonts" / "NotoSerif-Regular.ttf").read_bytes()


def test_nothing_in_the_pdf_comes_from_outside(run: Callable[..., Result], tmp_path: Path,
                                               fetched: list[str]) -> None:
    out = tmp_path / "x.pdf"
    result = run("letter", *BASE_ARGS, "--country", "GB", "--ground", "harassment",
                 "--situation", "See file:///etc/passwd", "-o", str(out))
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    assert list(PdfReader(out).attachments) == ["objection-request.json"]
    assert all(url.startswith("objection-asset:") for url in fetched)
