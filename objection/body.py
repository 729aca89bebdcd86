"""The body of a letter, from salutation to signature: rendered once per distinct context.

A batch's letters mostly differ only in who sends them. The body is therefore rendered
from an explicit `BodyContext`, the only values its templates can read (StrictUndefined
rejects any other name), with stand-ins for the sender's name, e-mail and profile
address, which are replaced afterwards. The context is the cache's key, so the key is
complete by construction: two letters share a body only if everything it reads is equal.
Personal values may only be printed by the templates (a test renders with and without
stand-ins and compares).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from markupsafe import escape

from objection.laws import list_markers
from objection.model import Letter
from objection.plaintext import close_chinese_spaces, fill_block, prewrapped
from objection.templating import environment

LAYOUT = "body.html.j2"  # the frame every kind's wording is set in
PERSONAL = ("name", "email", "profile_url")
_STAND_IN = {field: f"\x00{field}\x00" for field in PERSONAL}
_CACHE: dict["BodyContext", str] = {}
_CACHE_SIZE = 256


@dataclass(frozen=True)
class BodyContext:
    """Everything the body templates may read, as (name, value) pairs."""

    lang: str  # the catalog the templates are rendered with (de, de_CH ...)
    values: tuple[tuple[str, Hashable], ...]

    def __post_init__(self) -> None:
        # An unhashable value (a list, say) fails here, not as a wrong cache hit; the hash
        # is kept, as every letter's context is looked up once.
        object.__setattr__(self, "_hash", hash((self.lang, self.values)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]


def body_context(letter: Letter, stand_ins: bool = True) -> BodyContext:
    """The shared values (who writes, under which law, to whom they can complain, the
    translation notes) and the kind's own, which may not replace a shared one."""
    request = letter.request
    values: dict[str, Hashable] = {
        "wording": letter.kind.wording_for(letter.law.key),
        "name": request.name,
        "email": request.email,
        "profile_url": request.profile_url,
        "law": letter.law,
        "markers": tuple(list_markers(letter.lang)),
        "authority": letter.authority,
        "authority_url": letter.authority_url,
        # the country's authority beside the region's (Quebec: the Privacy Commissioner of
        # Canada), else ""
        "national_authority": letter.jurisdiction.national_authority(letter.lang),
        "national_authority_url": letter.jurisdiction.national_authority_url,
        "original_language": letter.original_language,
        "has_translation": letter.translation is not None,
        "signature_image": request.signature_image,
        "to_authority": letter.kind.to_authority,
    }
    own = letter.kind.context(letter)
    if clash := values.keys() & own.keys():
        raise ValueError(f"kind {letter.kind.key} redefines shared body values: {sorted(clash)}")
    values.update(own)
    if stand_ins:
        values.update({field: _STAND_IN[field] for field in PERSONAL if values[field]})
    return BodyContext(letter.catalog, tuple(values.items()))  # in the order built above


def render_context(context: BodyContext) -> str:
    """The body's HTML for exactly these values (no cache)."""
    template = environment(context.lang).get_template(LAYOUT)
    markup = template.render(dict(context.values))
    return close_chinese_spaces(markup) if context.lang.startswith("zh") else markup


def _cached_body(letter: Letter) -> str:
    context = body_context(letter)
    if context not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[context] = render_context(context)
    return _CACHE[context]


def _personalise(text: str, letter: Letter, quote: Callable[[str], str]) -> str:
    for field in PERSONAL:
        text = text.replace(_STAND_IN[field], str(quote(getattr(letter.request, field))))
    return text


def body_html(letter: Letter) -> str:
    """The body as the small HTML subset the PDF lays out (see objection/plaintext.py)."""
    return _personalise(_cached_body(letter), letter, escape)


def body_text(letter: Letter) -> str:
    """The body as text: runs of blocks without a stand-in are wrapped once per context;
    only the blocks naming the sender are wrapped anew for each letter."""
    return "\n\n".join(
        piece if isinstance(piece, str)
        else fill_block(piece._replace(text=_personalise(piece.text, letter, str)))
        for piece in prewrapped(_cached_body(letter), "\x00"))
