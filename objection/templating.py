"""The Jinja environment: i18n on, autoescape on for every HTML template, strict undefined."""

from functools import cache
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from objection.i18n import translations
from objection.plaintext import wrap
from objection.resources import templates_dir

if TYPE_CHECKING:
    from objection.fit import Head
    from objection.model import Letter

# Escape everything but the text letter. With its defaults select_autoescape() would not
# escape "letter.html.j2" (it matches only names ending in .html, .htm or .xml).
_AUTOESCAPE = select_autoescape(enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",),
                                default_for_string=True, default=True)


def verbatim(value: str) -> Markup:
    """Mark an address or e-mail that the PDF must never hyphenate (escaped as usual)."""
    return Markup('<span class="verbatim">%s</span>') % escape(value)


def page_head(letter: "Letter") -> "Head":
    """How the PDF's head fits its values (objection/fit.py; the text letter needs none)."""
    from objection.fit import head

    return head(letter)


@cache
def environment(lang: str) -> Environment:
    """One environment per letter language, with that language's catalog installed."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=_AUTOESCAPE,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        auto_reload=False,  # the templates ship with the package and do not change in a run
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters["verbatim"] = verbatim
    env.filters["wrap"] = wrap
    env.filters["page_head"] = page_head
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env
