"""Workshop forms: fill in one dimension of the checklist live, in JupyterLab, without ever losing a keystroke.

* :class:`Form` shows each item's question, evidence to look for and level descriptors,
  with widgets for as-is, to-be, confidence, notes and evidence, pre-filled from the file.
  A completeness bar and a chart update as scores change.
* **Save** validates, refuses when the file changed on disk since it was loaded (showing
  what differs, with a Reload button), keeps a timestamped backup and writes atomically,
  preserving comments and key order.
* :func:`pack` renders the same content as a printable workshop pack (used when the
  notebook runs headless under papermill, and by ``assessment workshop-pack``).
* :func:`export_sheet` / :func:`import_sheet` exchange a dimension as Excel or CSV with a
  client who wants to pre-fill it; an imported sheet goes through the same validation.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .checklist import DIMENSIONS, Checklist, load_checklist
from .engagement import fingerprint, save
from .errors import InvalidInput, Problem, SaveConflict
from .model import CONFIDENCE_LEVELS, NA
from .report.markup import Html, esc
from .yamlio import read_yaml

SCORE_OPTIONS = [("–", None), *[(str(n), n) for n in range(6)], ("n/a", NA)]
CONF_OPTIONS = [("–", None), *[(c, c) for c in CONFIDENCE_LEVELS]]
SHEET_COLUMNS = ["id", "title", "question", "as_is", "to_be", "confidence", "notes", "evidence"]


def _answers(document, item_id: str) -> dict:
    checklist = document.get("checklist") if isinstance(document, dict) else None
    entry = checklist.get(item_id) if isinstance(checklist, dict) else None
    return entry if isinstance(entry, dict) else {}


# --------------------------------------------------------------------------- the printable pack
def pack(engagement: str | Path, dimension: str, checklist: str | Path | None = None) -> Html:
    """The dimension as a printable worksheet: questions, level descriptors, current answers, room for notes."""
    cl = load_checklist(checklist)
    doc, _ = read_yaml(engagement)
    client = (doc.get("client") or {}).get("name", "") if isinstance(doc, dict) else ""
    out = [f'<h2 class="section" id="workshop-{esc(dimension)}">{esc(cl.title_of(dimension))}</h2>',
           f"<p class='lead'>{esc(cl.dimensions.get(dimension, {}).get('summary', ''))}</p>",
           f"<p class='muted'>Workshop worksheet for {esc(client)}. Circle a level for today (as-is) and for the "
           "agreed target (to-be); levels 2 and 4 sit between the descriptions.</p>"]
    for item in cl.in_dimension(dimension):
        a = _answers(doc, item.id)
        levels = "".join(f"<tr><th>{lvl}</th><td>{esc(text)}</td></tr>" for lvl, text in sorted(item.levels.items()))
        current = (f"as-is <strong>{esc(_show(a.get('as_is')))}</strong> · to-be <strong>{esc(_show(a.get('to_be')))}"
                   f"</strong> · confidence {esc(_show(a.get('confidence')))}")
        notes = f"<div class='quote'>{esc(a.get('notes') or '')}</div>" if a.get("notes") else ""
        out.append(f'<div class="worksheet"><h3><span class="id">{esc(item.id)}</span> {esc(item.title)}</h3>'
                   f"<p class='question'>{esc(item.question)}</p>"
                   f"<p class='muted'>Evidence to look for: {esc(item.evidence)}</p>"
                   f"<table class='levels'>{levels}</table>"
                   f"<p>Current answer: {current}</p>{notes}"
                   "<div class='write-in'>As-is ☐0 ☐1 ☐2 ☐3 ☐4 ☐5 ☐n/a &nbsp;&nbsp; To-be ☐0 ☐1 ☐2 ☐3 ☐4 ☐5 ☐n/a"
                   "<br>Notes:</div></div>")
    return Html("".join(out))


def _show(v) -> str:
    return "–" if v is None or v == "" else str(v)


# --------------------------------------------------------------------------- Excel / CSV exchange
def sheet_rows(engagement: str | Path, dimension: str, checklist: str | Path | None = None) -> list[dict]:
    cl = load_checklist(checklist)
    doc, _ = read_yaml(engagement)
    rows = []
    for item in cl.in_dimension(dimension):
        a = _answers(doc, item.id)
        rows.append({"id": item.id, "title": item.title, "question": item.question,
                     "as_is": _cell(a.get("as_is")), "to_be": _cell(a.get("to_be")),
                     "confidence": a.get("confidence") or "", "notes": a.get("notes") or "",
                     "evidence": a.get("evidence") or ""})
    return rows


def _cell(v):
    return "" if v is None else v


def export_sheet(engagement: str | Path, dimension: str, target: str | Path,
                 checklist: str | Path | None = None) -> Path:
    """Write the dimension's worksheet to .xlsx or .csv (atomically)."""
    from .fileio import atomic_write_bytes, atomic_write_text

    target = Path(target)
    rows = sheet_rows(engagement, dimension, checklist)
    if target.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = dimension
        ws.append(SHEET_COLUMNS)
        for r in rows:
            ws.append([r[c] for c in SHEET_COLUMNS])
        for col, width in zip("ABCDEFGH", (9, 32, 60, 8, 8, 12, 50, 40)):
            ws.column_dimensions[col].width = width
        buf = io.BytesIO()
        wb.save(buf)
        return atomic_write_bytes(target, buf.getvalue())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SHEET_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return atomic_write_text(target, buf.getvalue())


def _read_sheet(path: Path) -> list[tuple[int, dict]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True, data_only=True).active
        values = list(ws.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0]]
        return [(n, dict(zip(header, row))) for n, row in enumerate(values[1:], start=2)]
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [(n, row) for n, row in enumerate(csv.DictReader(fh), start=2)]


def _score_cell(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, str):
        v = v.strip()
        if v.lower() == NA:
            return NA
        if v.isdigit():
            return int(v)
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def import_sheet(engagement: str | Path, sheet: str | Path, checklist: str | Path | None = None) -> Path | None:
    """Merge a filled worksheet into the engagement: validated first, backed up, written atomically."""
    engagement, sheet = Path(engagement), Path(sheet)
    cl = load_checklist(checklist)
    expected = fingerprint(engagement)
    doc, _ = read_yaml(engagement)
    problems = []
    rows = _read_sheet(sheet)
    if not rows:
        raise InvalidInput([Problem(str(sheet), "(file)", "a header row and one row per item", "no rows")])
    missing = [c for c in ("id", "as_is", "to_be") if c not in rows[0][1]]
    if missing:
        raise InvalidInput([Problem(str(sheet), ", ".join(missing), "columns " + ", ".join(SHEET_COLUMNS),
                                    "missing")])
    target = doc.setdefault("checklist", {})
    for line, row in rows:
        item_id = str(row.get("id") or "").strip()
        if item_id not in cl:
            problems.append(Problem(str(sheet), "id", "an item id of the checklist", item_id or "(empty)", line))
            continue
        entry = target.get(item_id)
        if not isinstance(entry, dict):
            from ruamel.yaml.comments import CommentedMap

            entry = CommentedMap()
            target[item_id] = entry
        for key in ("as_is", "to_be"):
            entry[key] = _score_cell(row.get(key))
        entry["confidence"] = (str(row.get("confidence") or "").strip() or None)
        for key in ("notes", "evidence"):
            entry[key] = str(row.get(key) or "")
    if problems:
        raise InvalidInput(problems)
    return save(engagement, doc, cl, expected=expected)   # validates the merged file before writing


# --------------------------------------------------------------------------- the live form
class Form:
    """ipywidgets form for one dimension of one engagement file."""

    def __init__(self, engagement: str | Path, dimension: str, checklist: str | Path | None = None):
        if dimension not in DIMENSIONS:
            raise InvalidInput([Problem("dimension", "dimension", " | ".join(DIMENSIONS), dimension)])
        self.path = Path(engagement).resolve()
        self.dimension = dimension
        self.checklist: Checklist = load_checklist(checklist)
        self._checklist_arg = checklist
        self.items = self.checklist.in_dimension(dimension)
        self.rows: dict[str, dict] = {}
        self._build()
        self.reload()

    # ---------------------------------------------------------------- loading
    def reload(self, *_):
        self.document, _ = read_yaml(self.path)
        self.loaded_fingerprint = fingerprint(self.path)
        self._filling = True
        try:
            for item in self.items:
                a = _answers(self.document, item.id)
                w = self.rows[item.id]
                w["as_is"].value = a.get("as_is") if a.get("as_is") in dict(SCORE_OPTIONS).values() else None
                w["to_be"].value = a.get("to_be") if a.get("to_be") in dict(SCORE_OPTIONS).values() else None
                w["confidence"].value = a.get("confidence") if a.get("confidence") in CONFIDENCE_LEVELS else None
                w["notes"].value = str(a.get("notes") or "")
                w["evidence"].value = str(a.get("evidence") or "")
        finally:
            self._filling = False
        self.reload_button.layout.display = "none"
        self._set_status(f"Loaded {self.path.name}.", "info")
        self._refresh()

    # ---------------------------------------------------------------- widgets
    def _build(self):
        import ipywidgets as w

        self.widgets = w
        header = w.HTML(f"<h2 style='margin:0'>{esc(self.checklist.title_of(self.dimension))}</h2>"
                        f"<div style='color:#616e7c'>{esc(self.checklist.dimensions[self.dimension].get('summary', ''))}"
                        "</div>")
        self.progress = w.IntProgress(min=0, max=len(self.items), description="Answered", bar_style="info")
        self.progress_label = w.Label()
        self.chart = w.Output(layout=w.Layout(min_height="200px"))
        self.status = w.HTML()
        self.save_button = w.Button(description="Save", button_style="primary", icon="save",
                                    tooltip="Validate, back up the previous version and save")
        self.reload_button = w.Button(description="Reload from disk", button_style="warning", icon="refresh")
        self.save_button.on_click(self.save)
        self.reload_button.on_click(self.reload)
        self.diff = w.Output()
        cards = []
        for item in self.items:
            levels = "".join(f"<li><b>{lvl}</b> {esc(t)}</li>" for lvl, t in sorted(item.levels.items()))
            info = w.HTML(f"<div class='wk-item'><b>{esc(item.id)} · {esc(item.title)}</b>"
                          f"<div style='margin:2px 0'>{esc(item.question)}</div>"
                          f"<div style='color:#616e7c;font-size:90%'>Evidence: {esc(item.evidence)}</div>"
                          f"<ul style='margin:4px 0 0 0;padding-left:18px;font-size:90%'>{levels}</ul></div>")
            row = {
                "as_is": w.Dropdown(options=SCORE_OPTIONS, description="As-is", layout=w.Layout(width="150px")),
                "to_be": w.Dropdown(options=SCORE_OPTIONS, description="To-be", layout=w.Layout(width="150px")),
                "confidence": w.Dropdown(options=CONF_OPTIONS, description="Confidence",
                                         layout=w.Layout(width="230px")),
                "notes": w.Textarea(placeholder="Notes from the workshop", layout=w.Layout(width="98%", height="56px")),
                "evidence": w.Text(placeholder="Evidence seen (document, system, visit)", layout=w.Layout(width="98%")),
            }
            for name, widget in row.items():
                widget.observe(self._changed, names="value")
                widget.add_class(f"wk-{item.id}-{name}")
            self.rows[item.id] = row
            cards.append(w.VBox([info, w.HBox([row["as_is"], row["to_be"], row["confidence"]]), row["notes"],
                                 row["evidence"]], layout=w.Layout(border="1px solid #e4e7eb", padding="6px",
                                                                   margin="4px 0")))
        self.box = w.VBox([header, w.HBox([self.progress, self.progress_label]), self.chart,
                           w.HBox([self.save_button, self.reload_button]), self.status, self.diff, *cards,
                           w.HBox([self.save_button])])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)

    # ---------------------------------------------------------------- state
    def values(self) -> dict[str, dict]:
        return {iid: {k: wdg.value for k, wdg in row.items()} for iid, row in self.rows.items()}

    def _changed(self, _change):
        if not self._filling:
            self._set_status("Unsaved changes.", "warn")
            self._refresh()

    def _refresh(self):
        vals = self.values()
        done = sum(1 for v in vals.values() if v["as_is"] == NA or (isinstance(v["as_is"], int)
                                                                      and isinstance(v["to_be"], int)))
        self.progress.value = done
        self.progress.bar_style = "success" if done == len(self.items) else "info"
        self.progress_label.value = f"{done} of {len(self.items)} items answered"
        self._draw(vals)

    def _draw(self, vals):
        from IPython.display import SVG, display

        from .report.charts import AS_IS, TO_BE, _figure, to_svg

        fig = _figure(6.4, 1.8)
        ax = fig.add_subplot()
        ids = list(vals)
        xs = range(len(ids))
        a = [v["as_is"] if isinstance(v["as_is"], int) else 0 for v in vals.values()]
        b = [v["to_be"] if isinstance(v["to_be"], int) else 0 for v in vals.values()]
        ax.bar([x - 0.2 for x in xs], a, width=0.4, color=AS_IS, label="As-is")
        ax.bar([x + 0.2 for x in xs], b, width=0.4, color=TO_BE, label="To-be")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(ids, fontsize=7)
        ax.set_ylim(0, 5)
        ax.legend(fontsize=7, frameon=False, ncol=2, loc="upper left")
        self.chart.clear_output(wait=True)
        with self.chart:
            display(SVG(to_svg(fig)))

    def _set_status(self, text: str, kind: str):
        colour = {"ok": "#2f855a", "warn": "#b7791f", "error": "#c53030", "info": "#616e7c"}[kind]
        self.status.value = f"<span style='color:{colour}'>{esc(text)}</span>"

    # ---------------------------------------------------------------- saving
    def apply(self):
        """Copy the widget values into the round-trip document (comments and key order kept)."""
        from ruamel.yaml.comments import CommentedMap

        target = self.document.setdefault("checklist", CommentedMap())
        for iid, v in self.values().items():
            entry = target.get(iid)
            if not isinstance(entry, dict):
                entry = CommentedMap()
                target[iid] = entry
            for key in ("as_is", "to_be", "confidence", "notes", "evidence"):
                old = entry.get(key)
                new = v[key]
                if key in ("notes", "evidence") and not new and old in (None, ""):
                    continue
                if old != new:
                    entry[key] = new

    def save(self, *_):
        self.apply()
        self.diff.clear_output()
        try:
            kept = save(self.path, self.document, self.checklist, expected=self.loaded_fingerprint)
        except SaveConflict as exc:
            self._set_status(str(exc), "error")
            self.reload_button.layout.display = None
            with self.diff:
                print(exc.diff or "(no textual difference)")
            return False
        except InvalidInput as exc:
            self._set_status("Not saved: " + "; ".join(str(p) for p in exc.errors[:5]), "error")
            return False
        self.loaded_fingerprint = fingerprint(self.path)
        where = f" Previous version kept in {kept.parent.name}/{kept.name}." if kept else ""
        self._set_status(f"Saved {self.path.name}.{where}", "ok")
        return True


def export_all(engagement: str | Path, folder: str | Path, fmt: str = "xlsx") -> list[Path]:
    return [export_sheet(engagement, d, Path(folder) / f"{d}.{fmt}") for d in DIMENSIONS]
