"""Small, escaping HTML builders for the readout. Every piece of consultant text goes through
:func:`esc` (or :func:`prose`), so notes render literally and nothing in them runs.

HTML escaping is for HTML text and quoted attributes only. No value from an input ever goes into CSS (a
``style`` attribute or a ``<style>`` block) through :func:`esc`: a name reaches the running header as the
text of an element (:func:`running_client`, read by ``string-set: client content(text)`` in readout.css),
a colour must pass :func:`css_colour`, a length :func:`css_length`, and any other text that has to be a
CSS string goes through :func:`css_string`.
"""
from __future__ import annotations

import base64
import html
import re

NOTE_LIMIT = 1500  # characters of a note shown in the body; the appendix shows up to APPENDIX_LIMIT
APPENDIX_LIMIT = 4000


class Html(str):
    """A string of trusted, already-escaped HTML that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)

    def __add__(self, other: str) -> "Html":
        return Html(str(self) + str(other))


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_CSS_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_CSS_LENGTH = re.compile(r"\d{1,4}(?:\.\d{1,3})?(?:%|mm|cm|pt|px|em)")


def css_colour(value: object) -> str:
    """A colour for CSS, only ever as ``#RRGGBB``; anything else raises ValueError."""
    if not isinstance(value, str) or not _CSS_COLOUR.fullmatch(value):
        raise ValueError(f"not a #RRGGBB colour: {value!r}")
    return value


def css_length(value: object) -> str:
    """A length for CSS such as ``20%`` or ``12mm``; anything else raises ValueError."""
    if not isinstance(value, str) or not _CSS_LENGTH.fullmatch(value):
        raise ValueError(f"not a CSS length: {value!r}")
    return value


def css_string(value: object) -> str:
    """A quoted CSS string in which every character but A-Z, a-z and 0-9 is a ``\\HHHHHH `` hex escape,
    so no quote, semicolon, bracket, ``url(`` or ``</style>`` in the value can end the string."""
    text = "" if value is None else str(value)
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06X} " for c in text) + '"'


def running_client(name: object) -> Html:
    """The element that sets the running header's client name (``string(client)`` in readout.css).

    The name is the element's escaped text, read by ``string-set: client content(text)``: it never
    enters CSS or an attribute, so a name such as ``Acme"; background: url(...)`` prints literally.
    """
    return Html(f'<div class="running"><span class="client-name">{esc(name)}</span></div>')


def prose(value: object, limit: int = NOTE_LIMIT) -> str:
    """Escape free text, keep its line breaks, and cut very long text with a visible marker."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + f" … [truncated: {len(text):,} characters in the engagement file]"
    return esc(text)


def tag(name: str, body: str = "", cls: str | None = None, **attrs: str) -> str:
    """An element with escaped, quoted attributes. No ``style`` or event attribute: CSS takes no values."""
    if any(k.rstrip("_").lower() == "style" or k.lower().startswith("on") for k in attrs):
        raise ValueError(f"tag() takes no style or event attributes: {sorted(attrs)}")
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    c = f' class="{esc(cls)}"' if cls else ""
    return f"<{name}{c}{extra}>{body}</{name}>"


def table(headers: list[str], rows: list[list[str]], widths: list[str] | None = None, num: set[int] = frozenset(),
          cls: str | None = None) -> str:
    """Rows are already-escaped cell HTML. ``num`` are right-aligned column indexes."""
    cols = "".join(f'<col style="width:{css_length(w)}">' for w in widths) if widths else ""
    head = "".join(tag("th", esc(h), "num" if i in num else None) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(tag("td", c, "num" if i in num else None) for i, c in enumerate(r)) + "</tr>" for r in rows
    )
    return f'<table{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def pill(text: str, colour: str) -> str:
    return tag("span", esc(text), f"pill {colour}")


def figure(svg: str | None = None, png: bytes | None = None, caption: str = "", alt: str = "") -> str:
    if svg is not None:
        src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    else:
        src = "data:image/png;base64," + base64.b64encode(png or b"").decode("ascii")
    cap = tag("figcaption", esc(caption)) if caption else ""
    return f'<figure><img src="{src}" alt="{esc(alt or caption)}"/>{cap}</figure>'


def fmt(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_words(words: list[str]) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
