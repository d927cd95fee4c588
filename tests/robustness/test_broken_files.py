"""A corpus of broken engagement and checklist files: each gets clear one-line problems, exit 1, no traceback,
and every file is left exactly as it was."""
from __future__ import annotations

import hashlib
import resource
import time

import pytest

from assessment.cli import main

HEAD = (b'client: {name: "Acme"}\nassessment: {date: 2026-11-02}\noutsourcer: {name: "Contoso"}\n')


def alias_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def nested(depth: int) -> bytes:
    return HEAD + b"extra: " + b"[" * depth + b"1" + b"]" * depth + b"\n"


# name -> (bytes, substrings the output must contain)
CORPUS = {
    "empty": (b"", ["empty"]),
    "binary-garbage": (bytes(range(256)) * 4, ["binary data"]),
    "latin-1": (HEAD.replace(b"Acme", "Crème".encode("latin-1")), ["UTF-8"]),
    "tabs-in-indentation": (HEAD + b"checklist:\n\tPEO-01: {as_is: 1}\n", ["tab"]),
    "duplicate-keys": (HEAD + b"client: {name: Other}\n", ["given twice", "'client'", ":4:"]),
    "top-level-list": (b"- client\n- assessment\n", ["a mapping"]),
    "alias-bomb": (alias_bomb(), ["alias"]),
    "deeply-nested": (nested(200), ["nesting"]),
    "unclosed-bracket": (HEAD + b"checklist: {PEO-01: {as_is: 1}\n", ["expected valid YAML"]),
    "bom-and-missing-name": (b"\xef\xbb\xbf" + HEAD.replace(b'"Acme"', b'""'), ["client.name", ":1:"]),
    "scores": (HEAD + b'checklist:\n  PEO-01: {as_is: "3", to_be: 3.5}\n  PEO-02: {as_is: true, to_be: -1}\n'
               b'  PEO-03: {as_is: 1e9, to_be: 4}\n  PEO-04: {as_is: 6, to_be: 5}\n',
               ["PEO-01.as_is", "PEO-01.to_be", "PEO-02.as_is", "PEO-02.to_be", "PEO-03.as_is", "PEO-04.as_is",
                'found \'3\'', "found 3.5", "found True", "found -1"]),
    "null-score-is-unscored-not-an-error": None,  # documented below
    "bad-dates": (HEAD.replace(b"2026-11-02", b"2026-02-30") +
                  b'contract: {start_date: "next week", renewal_date: 2026-13-01}\n',
                  ["assessment.date", "contract.start_date", "contract.renewal_date", "next week", "2026-02-30"]),
    "renewal-before-start": (HEAD + b"contract: {start_date: 2026-01-01, renewal_date: 2025-01-01}\n",
                             ["contract.renewal_date"]),
    "unknown-item": (HEAD + b"checklist: {XYZ-99: {as_is: 1, to_be: 2}}\n", ["XYZ-99"]),
    "wrong-types": (HEAD + b"contract: {notice_days: ninety}\ncoverage: {mon: '9 to 5'}\n",
                    ["contract.notice_days", "coverage.mon"]),
}
CORPUS = {k: v for k, v in CORPUS.items() if v is not None}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", list(CORPUS))
def test_broken_engagement(name, tmp_path, capsys):
    data, needles = CORPUS[name]
    path = tmp_path / "engagement.yaml"
    path.write_bytes(data)
    before = digest(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1, text
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, (needle, text)
    problems = [ln for ln in text.splitlines() if ": error: " in ln]
    assert problems and all(ln.startswith(str(path)) for ln in problems), text
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == listing


def test_ten_mistakes_all_reported_at_once(tmp_path, capsys):
    path = tmp_path / "engagement.yaml"
    path.write_text(
        'client: {name: ""}\n'                                      # 1 missing client name
        "assessment: {date: 2026-02-30, consultants: oops}\n"        # 2 bad date, 3 wrong type
        "outsourcer: {name: Contoso}\n"
        "contract: {start_date: 2026-05-01, renewal_date: 2026-01-01, notice_days: -5}\n"  # 4 renewal<start, 5
        "checklist:\n"
        "  PEO-01: {as_is: 7, to_be: 4}\n"                           # 6 out of range
        "  PEO-02: {as_is: 2, to_be: high}\n"                        # 7 wrong type
        "  NOPE-01: {as_is: 1, to_be: 2}\n"                          # 8 unknown id
        "  PRC-01: {as_is: 1, to_be: 2, confidence: sure}\n"         # 9 bad confidence
        "coverage: {tue: 25:00-26:00}\n",                            # 10 bad hours
        encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = "".join(capsys.readouterr())
    errors = [ln for ln in err.splitlines() if ": error: " in ln]
    assert len(errors) == 10, err
    for field in ("client.name", "assessment.date", "assessment.consultants", "contract.renewal_date",
                  "contract.notice_days", "PEO-01.as_is", "PEO-02.to_be", "NOPE-01", "PRC-01.confidence",
                  "coverage.tue"):
        assert field in err, field


def test_fifty_megabytes_rejected_quickly(tmp_path, capsys):
    path = tmp_path / "engagement.yaml"
    with path.open("wb") as fh:
        fh.write(HEAD)
        fh.write(b"# padding\n" * 5_000_000)
    t = time.perf_counter()
    assert main(["validate", str(path)]) == 1
    assert time.perf_counter() - t < 5
    err = "".join(capsys.readouterr())
    assert "at most 2 MB" in err or "2097152" in err or "MB" in err, err


def test_alias_bomb_bounded_memory(tmp_path, capsys):
    path = tmp_path / "engagement.yaml"
    path.write_bytes(alias_bomb())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert main(["validate", str(path)]) == 1
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, grown_mb


BAD_CHECKLISTS = {
    "unknown-dimension": (b"dimensions: {people: {title: P}, finance: {title: F}}\nthemes: {a: A}\nitems:\n"
                          b"  - {id: FIN-01, dimension: finance, title: t, question: q?, evidence: e, weight: 1,"
                          b" effort: low, theme: a, levels: {0: a, 1: b, 3: c, 5: d}}\n", ["dimensions.finance"]),
    "duplicate-ids": (b"dimensions: {people: {title: P}}\nthemes: {a: A}\nitems:\n" +
                      b"  - {id: PEO-01, dimension: people, title: t, question: q?, evidence: e, weight: 1,"
                      b" effort: low, theme: a, levels: {0: a, 1: b, 3: c, 5: d}}\n" * 2, ["PEO-01.id"]),
}


@pytest.mark.parametrize("name", list(BAD_CHECKLISTS))
def test_broken_custom_checklist(name, tmp_path, capsys):
    data, needles = BAD_CHECKLISTS[name]
    cl = tmp_path / "checklist.yaml"
    cl.write_bytes(data)
    eng = tmp_path / "engagement.yaml"
    eng.write_bytes(HEAD)
    before = digest(cl), digest(eng)
    assert main(["validate", str(eng), "--checklist", str(cl)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    for needle in needles:
        assert needle in out.out + out.err, out.out + out.err
    assert (digest(cl), digest(eng)) == before
