"""A page-quality gate: no near-empty pages, stranded headings, lone table rows or captions away
from their figures in the readouts, the monthly scorecard and the workshop pack.

The measuring lives in ``pagecheck.py`` (pdfplumber). Its rules are tested first, fast, on tiny
PDFs that WeasyPrint renders with the readout's own stylesheet (plus a few overrides that force the
bad layout); the gate itself (slow) builds the examples for real and checks every page.
"""
from __future__ import annotations

import pytest

pytest.importorskip("pdfplumber")

import pagecheck as pc  # noqa: E402
from assessment.resources import TEMPLATES  # noqa: E402
from conftest import EXAMPLES  # noqa: E402

CSS = (TEMPLATES / "readout" / "readout.css").read_text(encoding="utf-8")
MARGINS = pc.margins_from_css(CSS)
LOREM = ("The partner's team leaders meet the client's operations managers every week; actions are tracked "
         "in a shared log and reviewed at the monthly service review. ")


def render(tmp_path, body: str, extra_css: str = "", name: str = "doc.pdf"):
    """A PDF of ``body`` styled by readout.css (then ``extra_css``); its pages, read by the checker."""
    from weasyprint import HTML

    html = f"<html><head><style>{CSS}\n{extra_css}</style></head><body class='readout'><main>{body}</main></body></html>"
    path = tmp_path / name
    HTML(string=html).write_pdf(str(path))
    return pc.read_pages(path, MARGINS)


def paragraphs(n: int) -> str:
    return "".join(f"<p>{LOREM * 3}</p>" for _ in range(n))


def rules(pages, cover=False):
    return {(o.page, o.rule) for o in pc.check_pages(pages, "doc.pdf", cover=cover)}


def table(rows: int, row_height_mm: float = 18) -> str:
    body = "".join(f"<tr><td style='height:{row_height_mm}mm'>Row {i}</td><td>{LOREM[:60]}</td></tr>"
                   for i in range(1, rows + 1))
    return f"<table><thead><tr><th>Item</th><th>Detail</th></tr></thead><tbody>{body}</tbody></table>"


# ---- the checker on synthetic PDFs ---------------------------------------------------------------

def test_margins_come_from_the_stylesheet():
    assert MARGINS == pytest.approx((22 * pc.MM, 18 * pc.MM, 20 * pc.MM, 18 * pc.MM))
    assert pc.margins_from_css("@page { size: A4; margin: 10mm 20mm }") == pytest.approx(
        (10 * pc.MM, 20 * pc.MM, 10 * pc.MM, 20 * pc.MM))
    assert pc.margins_from_css("p { color: red }") == pc.DEFAULT_MARGINS


def test_a_well_laid_out_document_passes(tmp_path):
    body = ("<h2 class='section' id='executive-summary'>Executive summary</h2>" + paragraphs(4)
            + "<h3>What is working well</h3>" + paragraphs(6)
            + "<h3>The roadmap in brief</h3>" + table(6, 10) + paragraphs(8)
            + "<figure><div style='height:60mm;background:#1F3A5F'></div>"
              "<figcaption>Figure 1. As-is against to-be by dimension (0-5).</figcaption></figure>" + paragraphs(3))
    pages = render(tmp_path, body)
    assert len(pages) >= 2
    assert pc.check_pages(pages, "doc.pdf", cover=False) == []


def test_a_page_whose_content_ends_in_its_top_third_is_near_empty(tmp_path):
    body = (paragraphs(12) + "<h2 class='section'>Scope</h2><p>One short paragraph.</p>"
            + "<h2 class='section' style='break-before: page'>Method</h2>" + paragraphs(12))
    pages = render(tmp_path, body)
    short = [p.number for p in pages if pc.near_empty(p)]
    assert short and ("a" in {r for n, r in rules(pages) if n == short[0]})
    assert pc.fill(pages[short[0] - 1]) < 1 / 3
    assert not pc.near_empty(pages[0])


def test_the_last_page_may_be_short_and_a_blank_page_is_near_empty():
    page = pc.Page(2, 595, 842, 62, 785, 51, 544)
    assert pc.near_empty(page) and pc.fill(page) == 0
    page.lines.append(pc.Line(62, 72, 51, 200, "End.", 9, False))
    cover = pc.Page(1, 595, 842, 62, 785, 51, 544)   # a blank first page stands in for the cover
    assert pc.check_pages([cover, page], "x.pdf", cover=True) == []
    assert [(o.page, o.rule) for o in pc.check_pages([cover, page], "x.pdf", cover=False)] == [(1, "a")]


def test_a_heading_at_the_foot_of_a_page_fails_and_kept_with_its_chart_passes(tmp_path):
    stranded = ("<div style='height:236mm'></div><h3>Hours of coverage</h3>"
                "<figure><div style='height:80mm;background:#2A9D8F'></div><figcaption>Contacts per hour.</figcaption>"
                "</figure>" + paragraphs(2))
    pages = render(tmp_path, stranded, "h3 { break-after: auto !important }", "bad.pdf")
    assert (1, "b") in rules(pages)
    assert pc.stranded_heading(pages[0]).text == "Hours of coverage"
    kept = render(tmp_path, stranded, name="good.pdf")   # readout.css: h3 { break-after: avoid }
    assert "b" not in {r for _, r in rules(kept)}


def test_a_heading_followed_by_a_line_or_two_at_the_foot_of_a_page_is_stranded(tmp_path):
    body = ("<div style='height:218mm'></div><h2 class='section'>As-is and to-be</h2><p>The model side by side.</p>"
            "<figure><div style='height:80mm;background:#2A9D8F'></div><figcaption>Figure 1.</figcaption></figure>")
    bad = render(tmp_path, body, "h2, h2 + p { break-after: auto !important }", "bad.pdf")
    assert pc.stranded_heading(bad[0]) is not None and (1, "b") in rules(bad)
    assert pc.stranded_heading(bad[0], lines_after=0) is None   # strictly, the paragraph comes last
    good = render(tmp_path, body, name="good.pdf")
    assert "b" not in {r for _, r in rules(good)}


def test_a_score_tile_or_bold_body_text_is_not_a_heading():
    assert pc.is_heading(pc.Line(0, 10, 0, 50, "Opportunities for improvement", 11.5, True))
    assert pc.is_heading(pc.Line(0, 10, 0, 50, "Extend the window", 9.5, True))
    assert not pc.is_heading(pc.Line(0, 10, 0, 50, "2.8 4.2 1.4 11", 15, True))          # tiles
    assert not pc.is_heading(pc.Line(0, 10, 0, 50, "Telecom and data lines", 9, True))   # a finding's title
    assert not pc.is_heading(pc.Line(0, 10, 0, 50, "a vendor, not yet a partner", 10.5, False))


def test_a_caption_that_opens_a_page_is_away_from_its_figure(tmp_path):
    body = ("<figure><div style='height:250mm;background:#1F3A5F'></div>"
            "<figcaption>Figure 5. Roadmap by dimension.</figcaption></figure>" + paragraphs(10))
    bad = render(tmp_path, body, "figure { break-inside: auto !important }", "bad.pdf")
    assert (2, "d") in rules(bad)
    assert pc.separated_caption(bad[1]).text.startswith("Figure 5.")
    good = render(tmp_path, paragraphs(2) + body, name="good.pdf")   # readout.css: figure { break-inside: avoid }
    assert "d" not in {r for _, r in rules(good)}


def test_a_table_row_carried_over_alone_fails(tmp_path):
    # eleven 18 mm rows fill the first page; the last of 12 goes over, then the text resumes
    body = table(12) + paragraphs(6)
    loose = "tbody tr { break-before: auto !important; break-after: auto !important }"
    bad = render(tmp_path, body, loose, "bad.pdf")
    runs = pc.table_runs(bad[1])
    assert runs and runs[0].at_top and runs[0].header and runs[0].rows == 1
    assert (2, "c") in rules(bad)
    good = render(tmp_path, body, name="good.pdf")   # readout.css: the last row keeps the one before
    assert "c" not in {r for _, r in rules(good)}
    assert pc.table_runs(good[1])[0].rows == 2


def test_a_table_row_left_behind_alone_fails(tmp_path):
    body = "<div style='height:215mm'></div>" + table(6) + paragraphs(4)
    loose = "tbody tr { break-before: auto !important; break-after: auto !important }"
    bad = render(tmp_path, body, loose, "bad.pdf")
    assert pc.table_runs(bad[0])[-1].rows == 1 and pc.table_runs(bad[0])[-1].at_bottom
    assert (1, "c") in rules(bad)
    good = render(tmp_path, body, name="good.pdf")   # readout.css: the first row keeps the second
    assert "c" not in {r for _, r in rules(good)}


def test_the_message_names_file_page_rule_and_hint():
    pages = [pc.Page(n, 595, 842, 62, 785, 51, 544) for n in (1, 2, 3)]
    pages[1].lines.append(pc.Line(62, 75, 51, 300, "Roadmap", 17, True))
    text = pc.report(pc.check_pages(pages, "acme-readout.pdf"))
    assert "acme-readout.pdf p.2: (a) near-empty page" in text
    assert "acme-readout.pdf p.2: (b) heading stranded" in text and "'Roadmap'" in text
    assert "Hint: " in text and "break-before: page" in text and "break-after: avoid" in text
    assert "p.1" not in text and "p.3" not in text   # the cover; the last page may be short


# ---- the gate: the example documents, built for real ----------------------------------------------

DOCUMENTS = {
    "alpenrose-telecom readout": ("alpenrose-telecom", "readout"),
    "harbour-lane-bank readout": ("harbour-lane-bank", "readout"),
    "kestrel-insurance readout": ("kestrel-insurance", "readout"),
    "kestrel-insurance scorecard 2026-10": ("kestrel-insurance", "scorecard"),
    "harbour-lane-bank workshop pack": ("harbour-lane-bank", "workshop-pack"),
}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    """Build each example document once per module, on first use (a failed build fails its own test only)."""
    from assessment.report.build import build, build_workshop_pack

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            slug, kind = DOCUMENTS[name]
            out = tmp_path_factory.mktemp(kind)
            if kind == "workshop-pack":
                built = build_workshop_pack(EXAMPLES / slug, out)
            elif kind == "scorecard":
                built = build(EXAMPLES / slug, out, formats=("pdf",), kind="scorecard",
                              parameters={"month": "2026-10"})
            else:
                built = build(EXAMPLES / slug, out, formats=("pdf",))
            cache[name] = built.outputs["pdf"]
        return cache[name]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_page_would_be_signed(document, name):
    pdf = document(name)
    has_cover = DOCUMENTS[name][1] == "readout"   # the scorecard and the pack open straight on content
    offences = pc.check_pdf(pdf, MARGINS, cover=has_cover)
    assert not offences, f"{len(offences)} page-quality problem(s) in {name}:\n" + pc.report(offences)
