"""Safe save under fire: an editor keeps changing the file while the workshop form saves, reloads and saves.

The editor is a cooperating writer (another notebook, the CLI, a sheet import: it takes the same
lock ``save`` takes). Every one of its edits must survive: each form save either lands on top of the
editor's latest edit or is refused with "changed on disk" (or "in progress" while the editor holds
the lock), and the form then reloads. Before each edit the editor checks that its previous edit is
still in the file; the old code (fingerprinting a second read in ``reload``, and the file again
after ``save`` released its lock) lost edits within a few hundred rounds.
"""
from __future__ import annotations

import random
import re
import shutil
import threading
import time

from assessment import workshop
from assessment.engagement import _locked
from assessment.errors import SaveConflict
from assessment.fileio import atomic_write_text
from conftest import EXAMPLES

SRC = EXAMPLES / "harbour-lane-bank" / "engagement.yaml"
MARK = re.compile(r"^# editor edit (\d+)$", re.M)


def _editor(path, stop, seen: dict):
    """Append/replace '# editor edit N' under the save lock, checking edit N-1 is still there first."""
    n = 0
    while not stop.is_set():
        try:
            with _locked(path):
                text = path.read_text(encoding="utf-8")
                found = [int(m) for m in MARK.findall(text)]
                if n and found != [n]:
                    seen["lost"].append((n, found))
                    return
                n += 1
                text = MARK.sub(f"# editor edit {n}", text) if found else text + f"# editor edit {n}\n"
                atomic_write_text(path, text)
                seen["edits"] = n
        except SaveConflict:          # the form is saving: try again
            pass
        time.sleep(random.uniform(0.005, 0.8))    # a save takes ~0.2 s: edits land inside it, in its gaps, or between saves


def test_no_edit_is_lost_when_an_editor_races_the_form(tmp_path):
    path = tmp_path / "engagement.yaml"
    shutil.copy(SRC, path)
    form = workshop.Form(path, "people")
    form._draw = lambda _vals: None            # the chart is not under test; keep rounds fast
    stop = threading.Event()
    seen = {"lost": [], "edits": 0}
    editor = threading.Thread(target=_editor, args=(path, stop, seen), daemon=True)
    editor.start()
    landed = refused = 0
    deadline = time.monotonic() + 45
    try:
        for i in range(400):
            if seen["lost"] or time.monotonic() > deadline or (landed >= 8 and refused >= 8 and i >= 40):
                break
            form.rows["PEO-07"]["notes"].value = f"typed live {i}"
            if form.save():
                landed += 1
            else:
                refused += 1
                assert "changed on disk" in form.status.value or "in progress" in form.status.value, form.status.value
                form.reload()
    finally:
        stop.set()
        editor.join(5)
    assert not seen["lost"], f"editor's edit overwritten: {seen['lost'][:3]} ({landed} saves landed, {refused} refused)"
    final = path.read_text(encoding="utf-8")
    assert MARK.findall(final) == [str(seen["edits"])]          # the editor's last edit is in the file
    assert landed >= 3 and refused >= 3 and seen["edits"] >= 10, (landed, refused, seen["edits"])


def test_a_form_that_loaded_before_an_edit_never_saves_over_it(tmp_path):
    """The reload gap on its own: an edit landing while the file is parsed makes the next save refuse."""
    path = tmp_path / "engagement.yaml"
    shutil.copy(SRC, path)
    real = workshop.read_yaml_bytes

    def parse_then_edit(p):
        out = real(p)                                           # the form has parsed the old bytes...
        atomic_write_text(path, path.read_text(encoding="utf-8") + "# edited meanwhile\n")   # ...then an edit lands
        return out

    workshop.read_yaml_bytes = parse_then_edit
    try:
        form = workshop.Form(path, "people")
    finally:
        workshop.read_yaml_bytes = real
    form._draw = lambda _vals: None
    form.rows["PEO-07"]["notes"].value = "typed live"
    assert form.save() is False and "changed on disk" in form.status.value
    assert path.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_after_a_save_the_form_knows_only_what_it_wrote(tmp_path):
    """The post-save gap on its own: an edit right after the lock is released refuses the next save."""
    path = tmp_path / "engagement.yaml"
    shutil.copy(SRC, path)
    form = workshop.Form(path, "people")
    form._draw = lambda _vals: None
    real = workshop.save

    def save_then_edit(*args, **kwargs):
        kept = real(*args, **kwargs)                            # the lock is released here...
        atomic_write_text(path, path.read_text(encoding="utf-8") + "# edited meanwhile\n")   # ...an edit lands
        return kept

    workshop.save = save_then_edit
    try:
        form.rows["PEO-07"]["notes"].value = "first"
        assert form.save() is True
    finally:
        workshop.save = real
    form.rows["PEO-07"]["notes"].value = "second"
    assert form.save() is False and "changed on disk" in form.status.value
    assert path.read_text(encoding="utf-8").endswith("# edited meanwhile\n")
