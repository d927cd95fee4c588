"""Small, escaping HTML builders for the readout. Every piece of consultant text goes through
:func:`esc` (or :func:`prose`), so notes render literally and nothing in them runs."""
from __future__ import annotations

import base64
import html

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


def prose(value: object, limit: int = NOTE_LIMIT) -> str:
    """Escape free text, keep its line breaks, and cut very long text with a visible marker."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + f" … [truncated: {len(text):,} characters in the engagement file]"
    return esc(text)


def tag(name: str, body: str = "", cls: str | None = None, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    c = f' class="{esc(cls)}"' if cls else ""
    return f"<{name}{c}{extra}>{body}</{name}>"


def table(headers: list[str], rows: list[list[str]], widths: list[str] | None = None, num: set[int] = frozenset(),
          cls: str | None = None) -> str:
    """Rows are already-escaped cell HTML. ``num`` are right-aligned column indexes."""
    cols = "".join(f'<col style="width:{w}">' for w in widths) if widths else ""
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
