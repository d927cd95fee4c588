"""HTML for the readout and the scorecard: one Jinja environment, autoescaping, over the section templates
in ``templates/readout/sections/``. Every piece of consultant text is escaped by Jinja, so notes render
literally and nothing in them runs; nothing becomes trusted by being added to trusted HTML.

Trusted fragments are :class:`Html` (a :class:`markupsafe.Markup`): what a template rendered, or a chart
of ours as a ``data:`` URI. Adding text to an :class:`Html` escapes the text.

HTML escaping is for HTML text and quoted attributes only. No value from an input ever goes into CSS (a
``style`` attribute or a ``<style>`` block) through escaping: a name reaches the running header as the
text of an element (:func:`running_client`, read by ``string-set: client content(text)`` in readout.css),
a colour must pass :func:`css_colour`, a length :func:`css_length`, and any other text that has to be a
CSS string goes through :func:`css_string`.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import re

from markupsafe import Markup

from ..resources import TEMPLATES

NOTE_LIMIT = 1500  # characters of a note shown in the body; the appendix shows up to APPENDIX_LIMIT
APPENDIX_LIMIT = 4000
SUMMARY_LIMIT = 280
SECTIONS_DIR = TEMPLATES / "readout" / "sections"


class Html(Markup):
    """Trusted HTML that Jupyter displays as HTML. Text added to it is escaped (markupsafe), never trusted."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


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


# --------------------------------------------------------------------------- text helpers (also Jinja filters)
def clip(value: object, limit: int = NOTE_LIMIT) -> str:
    """Free text, stripped, and cut with a visible marker when very long (Jinja escapes it)."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + f" … [truncated: {len(text):,} characters in the engagement file]"
    return text


def fmt(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_words(words) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def serial(words) -> str:
    """Titles with a serial comma ("A, B, and C"), since titles hold "and" themselves."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + ", and " + words[-1]


def _day(value: dt.date, style: str = "long") -> str:
    return value.strftime({"long": "%-d %B %Y", "short": "%-d %b %Y"}[style])


def _num(value, spec: str = ",") -> str:
    return format(value, spec)


def _capfirst(value: str) -> str:
    return value[:1].upper() + value[1:]


def _possessive(name: str) -> str:
    """"Kestrel Insurance's", "Apex Outsource Partners'"."""
    from ..analyses.sides import possessive

    return possessive(str(name))


def _money(value, currency: str | None, decimals: int = 0) -> str:
    from ..analyses.business_case import money

    return "–" if value is None else money(float(value), currency or "", decimals)


# --------------------------------------------------------------------------- the environment
@functools.lru_cache(maxsize=1)
def environment():
    """The Jinja environment of the section templates: autoescaping, strict undefined names, our filters."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SECTIONS_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)
    env.filters.update(score=fmt, clip=clip, plural=plural, join_words=join_words, serial=serial, day=_day,
                       num=_num, capfirst=_capfirst, css_colour=css_colour, css_length=css_length,
                       possessive=_possessive, money=_money)
    env.globals.update(plural=plural, NOTE_LIMIT=NOTE_LIMIT, APPENDIX_LIMIT=APPENDIX_LIMIT,
                       SUMMARY_LIMIT=SUMMARY_LIMIT)
    return env


def warm() -> None:
    """Compile every section template now (a fifth of a second): the kernel does it while it boots, since it
    preloads :mod:`assessment.report.readout`, which calls this."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render(template: str, **context) -> Html:
    """One section template rendered with ``context``: trusted HTML."""
    return Html(environment().get_template(template).render(**context))


def macros():
    """The shared macros (``macros.html.j2``), callable from Python."""
    return environment().get_template("macros.html.j2").module


def running_client(name: object) -> Html:
    """The element that sets the running header's client name (``string(client)`` in readout.css).

    The name is the element's escaped text, read by ``string-set: client content(text)``: it never
    enters CSS or an attribute, so a name such as ``Acme"; background: url(...)`` prints literally.
    """
    return Html(macros().running(name))


def table(headers: list[str], rows: list[list[str]], widths: list[str] | None = None, num=frozenset(),
          cls: str | None = None) -> Html:
    """A table of text cells (escaped; pass :class:`Html` for a trusted cell). ``num``: right-aligned columns."""
    return Html(macros().table(headers, rows, widths or [], set(num), cls))
