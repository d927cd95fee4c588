"""The firm's look: name, logo and colours, from a small YAML file.

```yaml
firm: "Northgate Advisory"        # shown on the cover and in the running header
logo: logo.png                    # PNG, JPEG or SVG, relative to this file; embedded, never fetched
primary: "#1F3A5F"                # headings, cover background
accent: "#2A9D8F"                 # rules and highlights
pptx_template: firm.pptx          # optional: the deck uses this file's slide master, layouts and theme
```
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, Problem, show
from ..yamlio import read_yaml, to_plain
from .markup import css_colour

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")   # whole value only (fullmatch): "#1F3A5F\n" or "#1F3A5F; ..." is refused
_LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 1024 * 1024
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Branding:
    firm: str = "Outsourcing readout"
    primary: str = "#1F3A5F"
    accent: str = "#2A9D8F"
    logo_data_uri: str | None = None
    pptx_template: str | None = None     # absolute path of the firm's .pptx (see assessment.deck)

    def css(self) -> str:
        """CSS variables that override the template's defaults: only ``#RRGGBB`` colours, checked again here
        (a Branding built in code skips load_branding). The firm's name is never put into CSS."""
        return f":root {{ --primary: {css_colour(self.primary)}; --accent: {css_colour(self.accent)}; }}"


def load_branding(path: str | Path | None) -> Branding:
    if not path:
        return Branding()
    path = Path(path)
    data, lines = read_yaml(path)
    data = to_plain(data)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput([Problem(str(path), "(top level)", "a mapping with firm, logo, primary, accent", show(data))])
    firm = data.get("firm", Branding.firm)
    if not isinstance(firm, str) or not firm.strip():
        problems.append(Problem(str(path), "firm", "the firm's name as text", show(firm), lines(("firm",))))
    colours = {}
    for key in ("primary", "accent"):
        value = data.get(key, getattr(Branding, key))
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            problems.append(Problem(str(path), key, "a colour like \"#1F3A5F\"", show(value), lines((key,))))
        colours[key] = value
    logo_uri = None
    if data.get("logo"):
        logo = (path.parent / str(data["logo"])).resolve()
        kind = _LOGO_TYPES.get(logo.suffix.lower())
        if kind is None:
            problems.append(Problem(str(path), "logo", "a .png, .jpg or .svg file", show(data["logo"]), lines(("logo",))))
        elif not logo.is_file():
            problems.append(Problem(str(path), "logo", "an existing image file", f"no file at {logo}", lines(("logo",))))
        elif logo.stat().st_size > MAX_LOGO_BYTES:
            problems.append(Problem(str(path), "logo", "an image of at most 1 MB", f"{logo.stat().st_size:,} bytes", lines(("logo",))))
        else:
            logo_uri = f"data:{kind};base64," + base64.b64encode(logo.read_bytes()).decode("ascii")
    template = None
    if data.get("pptx_template"):
        tpl = (path.parent / str(data["pptx_template"])).resolve()
        where = lines(("pptx_template",))
        if tpl.suffix.lower() != ".pptx":
            problems.append(Problem(str(path), "pptx_template", "a .pptx file (save a .potx as a presentation)",
                                    show(data["pptx_template"]), where))
        elif not tpl.is_file():
            problems.append(Problem(str(path), "pptx_template", "an existing .pptx file", f"no file at {tpl}", where))
        elif tpl.stat().st_size > MAX_TEMPLATE_BYTES:
            problems.append(Problem(str(path), "pptx_template", "a template of at most 50 MB",
                                    f"{tpl.stat().st_size / 1024 / 1024:.1f} MB", where))
        else:
            with open(tpl, "rb") as fh:
                magic = fh.read(4)
            if magic != b"PK\x03\x04":
                problems.append(Problem(str(path), "pptx_template", "a PowerPoint file (.pptx, a zip package)",
                                        "a file that is not a .pptx package", where))
            else:
                template = str(tpl)
    if problems:
        raise InvalidInput(problems)
    return Branding(firm=str(firm).strip(), primary=colours["primary"], accent=colours["accent"], logo_data_uri=logo_uri,
                    pptx_template=template)
