"""Loading and saving keeps comments and key order, backs up, and refuses to save invalid data."""
from __future__ import annotations

import pytest
from conftest import VALID_HEAD

from assessment.engagement import save
from assessment.errors import InvalidInput
from assessment.yamlio import read_yaml

TEXT = "# top comment\n" + VALID_HEAD + """\
checklist:
  # PEO-01 the question as a comment
  PEO-01: {as_is: 2, to_be: 4, notes: "Zoë said: ok"}   # trailing comment
  PEO-02: {as_is: 3, to_be: 3}
"""


def test_round_trip_preserves_comments_and_order(write, mini):
    path = write(TEXT)
    doc, _ = read_yaml(path)
    doc["checklist"]["PEO-02"]["as_is"] = 1
    kept = save(path, doc, validate_with=mini)
    new = path.read_text(encoding="utf-8")
    assert new == TEXT.replace("PEO-02: {as_is: 3,", "PEO-02: {as_is: 1,")
    assert kept is not None and kept.read_text(encoding="utf-8") == TEXT


def test_invalid_save_is_refused_and_file_untouched(write, mini):
    path = write(TEXT)
    doc, _ = read_yaml(path)
    doc["checklist"]["PEO-02"]["as_is"] = 9
    with pytest.raises(InvalidInput) as exc:
        save(path, doc, validate_with=mini)
    assert "checklist.PEO-02.as_is" in str(exc.value)
    assert path.read_text(encoding="utf-8") == TEXT
    assert not (path.parent / ".backups").exists()
