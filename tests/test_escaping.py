"""Escaping in every context: no client or branding value reaches CSS (a ``style`` attribute or a ``<style>``
block) or a URL, and every fetch the PDF renderer refuses is logged.

A client name like ``Acme"; background-image: url(http://…)`` used to become a live CSS ``url()`` in the
scorecard's running header (``string-set`` in a ``style`` attribute).
"""
from __future__ import annotations

import html as htmllib
import logging
import re
import shutil

import nbformat
import pytest
from pypdf import PdfReader

from assessment.errors import InvalidInput
from assessment.report import markup
from assessment.report.branding import Branding, load_branding
from assessment.report.html import to_html
from assessment.report.pdf import write_pdf

from conftest import EXAMPLES

HOSTILE_NAME = 'Acme"; background-image: url(http://127.0.0.1:9/x); color: "x'
HOSTILE_YAML_NAME = "'" + HOSTILE_NAME + "'"   # a single-quoted YAML scalar


def styles(page: str) -> list[str]:
    """Every piece of CSS in an HTML page: style attributes (unescaped, as a browser reads them) and blocks."""
    attrs = re.findall(r"""\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", page, flags=re.I)
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.I | re.S)
    return [htmllib.unescape(a.strip("\"'")) for a in attrs] + blocks


def assert_no_input_in_css(page: str, *needles: str) -> None:
    for css in styles(page):
        assert "url(http" not in css.lower(), css[:200]
        for needle in needles:
            assert needle not in css, (needle, css[:200])


def hostile_engagement(tmp_path, name: str = HOSTILE_YAML_NAME):
    """A copy of the Kestrel example (KPIs, contacts) whose client has a hostile name."""
    folder = tmp_path / "hostile"
    shutil.copytree(EXAMPLES / "kestrel-insurance", folder)
    path = folder / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'client: \{name: "Kestrel Insurance"', "client: {name: " + name, text, count=1)
    assert HOSTILE_NAME in text or name != HOSTILE_YAML_NAME
    path.write_text(text, encoding="utf-8")
    return path


def render(fragments: list[str], extra_css: str = "") -> str:
    """Our template around some cell outputs, as the build does, without a kernel."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data={"text/html": f})])
                for f in fragments]
    return to_html(nb, extra_css=extra_css)


# --------------------------------------------------------------------------- the helpers
def test_css_string_escapes_every_non_alphanumeric_character():
    s = markup.css_string(HOSTILE_NAME)
    assert s.startswith('"') and s.endswith('"')
    inner = s[1:-1]
    assert re.fullmatch(r"(?:[A-Za-z0-9]|\\[0-9A-F]{6} )*", inner), inner
    assert "url(" not in inner and '"' not in inner and ";" not in inner
    assert markup.css_string("Zoë") == '"Zo\\0000EB "'
    assert markup.css_string("") == '""'


def test_running_client_carries_the_name_as_text_not_css():
    element = markup.running_client(HOSTILE_NAME)
    assert "style" not in element.lower()
    assert_no_input_in_css(element, "127.0.0.1")
    text = re.sub(r"<[^>]+>", "", element)
    assert htmllib.unescape(text) == HOSTILE_NAME
    assert "<script>" not in markup.running_client("<script>x</script>")


@pytest.mark.parametrize("value", ["#1F3A5F; background: url(http://127.0.0.1:9/x)", "#1F3A5F\n", "red",
                                   "#1F3A5", "#1F3A5F}</style><script>alert(1)</script>", "var(--x)"])
def test_css_colour_is_a_strict_hex_colour(value):
    with pytest.raises(ValueError):
        markup.css_colour(value)
    assert markup.css_colour("#1f3a5f") == "#1f3a5f"


def test_table_widths_must_be_plain_lengths():
    assert '<col style="width:20%">' in markup.table(["a"], [["1"]], ["20%"])
    with pytest.raises(ValueError):
        markup.table(["a"], [["1"]], ["20%;background:url(http://127.0.0.1:9/x)"])


# --------------------------------------------------------------------------- branding
@pytest.mark.parametrize("value", ['"#1F3A5F; background-image: url(http://127.0.0.1:9/x)"', '"#1F3A5F\\n"',
                                   '"#1F3A5F}</style><script>alert(1)</script>"', "red"])
def test_branding_rejects_a_colour_that_is_not_strict_hex(tmp_path, value):
    path = tmp_path / "branding.yaml"
    path.write_text(f'firm: "Northgate"\nprimary: {value}\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_branding(path)
    assert any(p.field == "primary" for p in exc.value.problems)


def test_branding_css_never_carries_an_unchecked_value():
    assert Branding().css() == ":root { --primary: #1F3A5F; --accent: #2A9D8F; }"
    with pytest.raises(ValueError):
        Branding(primary="#000000; background-image: url(http://127.0.0.1:9/x)").css()
    page = render(["<p>x</p>"], Branding(firm=HOSTILE_NAME).css())
    assert_no_input_in_css(page, "127.0.0.1")


def test_the_template_refuses_css_that_could_escape_its_style_block():
    with pytest.raises(ValueError):
        render(["<p>x</p>"], ":root{} </style><img src='http://127.0.0.1:9/x'>")
    with pytest.raises(ValueError):
        render(["<p>x</p>"], "body { background: url(http://127.0.0.1:9/x) }")


# --------------------------------------------------------------------------- the scorecard and the readout
def test_scorecard_header_puts_no_value_into_css(tmp_path):
    from assessment.report.scorecard import Scorecard

    sc = Scorecard.load(str(hostile_engagement(tmp_path)), as_of="2026-10-15")
    page = render([sc.header(), sc.summary()], sc.branding.css())
    assert_no_input_in_css(page, "127.0.0.1", "Acme")
    out, blocked = write_pdf(page, tmp_path / "sc.pdf")
    assert blocked == []
    first = re.sub(r"\s+", " ", PdfReader(str(out)).pages[0].extract_text())
    assert first.count(HOSTILE_NAME) >= 2, first   # the heading, and the running header and footer


def test_readout_sections_put_no_value_into_css(tmp_path):
    from assessment.report.readout import Readout

    r = Readout.load(str(hostile_engagement(tmp_path)))
    page = render([r.cover(), r.executive_summary(), r.model_overview(), r.dimension("people"), r.appendix()],
                  r.branding.css())
    assert_no_input_in_css(page, "127.0.0.1", "Acme")


# --------------------------------------------------------------------------- blocked fetches are logged
def test_a_blocked_fetch_is_logged(tmp_path, caplog):
    page = ('<html><body><p>x</p><img src="http://127.0.0.1:9/pixel.png">'
            '<div style="background-image: url(file:///etc/hostname)">y</div></body></html>')
    with caplog.at_level(logging.WARNING, logger="assessment.report.pdf"):
        _, blocked = write_pdf(page, tmp_path / "x.pdf")
    assert "http://127.0.0.1:9/pixel.png" in blocked and "file:///etc/hostname" in blocked
    messages = [r.getMessage() for r in caplog.records if r.name == "assessment.report.pdf"]
    assert any("blocked" in m and "http://127.0.0.1:9/pixel.png" in m for m in messages), messages
    assert any("file:///etc/hostname" in m for m in messages), messages
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "assessment.report.pdf")


# --------------------------------------------------------------------------- end to end, through the kernel
@pytest.mark.slow
def test_hostile_client_name_in_the_built_scorecard(tmp_path):
    from assessment.report.build import build

    b = build(hostile_engagement(tmp_path), tmp_path / "out", formats=("pdf", "html"), kind="scorecard",
              parameters={"month": "2026-09"})
    assert b.blocked_urls == []
    assert_no_input_in_css(b.outputs["html"].read_text(encoding="utf-8"), "127.0.0.1", "Acme")
    reader = PdfReader(str(b.outputs["pdf"]))
    for page in reader.pages:   # the running header and footer of every page show the literal name
        assert HOSTILE_NAME in re.sub(r"\s+", " ", page.extract_text())
