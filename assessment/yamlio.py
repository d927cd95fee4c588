"""Reading and writing consultants' YAML: safe, round-trip, line-aware.

* Only plain data is constructed (ruamel's round-trip loader builds no Python objects).
* Comments and key order survive a load/save cycle.
* Every value's line number can be looked up, so problems point at the line.
* Files that are too large, alias bombs, duplicate keys and undecodable bytes are
  reported as :class:`~assessment.errors.Problem` s, never as tracebacks.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from .errors import InvalidInput, Problem

MAX_BYTES = 2 * 1024 * 1024  # an engagement file is a few hundred lines; 2 MB is generous
MAX_ALIASES = 100            # real files use none; a "billion laughs" file uses thousands
MAX_DEPTH = 20
MAX_NODES = 200_000          # a full engagement has a few thousand values

LineLookup = Callable[[tuple], "int | None"]


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps an impossible date (2026-02-30) as text.

    The model then reports it as a bad date on its line instead of the loader crashing.
    """

    def construct_yaml_timestamp(self, node, values=None):  # noqa: D401
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def yaml_rt() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a consultant's lines
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_duplicate_keys = False
    return y


def _fail(path: str, expected: str, found: str, line: int | None = None, field: str = "(file)") -> InvalidInput:
    return InvalidInput([Problem(path, field, expected, found, line)])


def parse_text(text: str, source: str) -> tuple[Any, LineLookup]:
    """Parse YAML text; return the round-trip document and a line lookup by key path."""
    y = yaml_rt()
    try:
        # an alias is written *name: without a '*' there is none, and no need for a first pass
        aliases = sum(1 for ev in y.parse(io.StringIO(text)) if isinstance(ev, AliasEvent)) if "*" in text else 0
    except MarkedYAMLError as exc:
        raise _yaml_problem(exc, source) from None
    except YAMLError as exc:
        raise _fail(source, "valid YAML", str(exc).splitlines()[0]) from None
    if aliases > MAX_ALIASES:
        raise _fail(source, f"at most {MAX_ALIASES} YAML aliases (*name)", f"{aliases}; refusing a possible alias bomb")
    try:
        data = y.load(text)
    except MarkedYAMLError as exc:
        raise _yaml_problem(exc, source) from None
    except (YAMLError, RecursionError) as exc:
        raise _fail(source, "valid YAML", type(exc).__name__) from None
    depth, nodes = _shape(data)
    if nodes > MAX_NODES:
        raise _fail(source, f"at most {MAX_NODES:,} values once aliases are expanded",
                    "more; refusing a possible alias bomb")
    if depth > MAX_DEPTH:
        raise _fail(source, f"nesting at most {MAX_DEPTH} levels deep", "deeper nesting")
    return data, _line_lookup(data)


def read_packaged_yaml(path: str | Path) -> tuple[Any, LineLookup]:
    """A data file that ships with the package (the built-in checklist, the KPI catalogue).

    These are ours and the tests check them, so they skip the guards and line tracking
    meant for consultants' files and go through libyaml's C loader: a thirtieth of the
    time, in every process that builds a readout. A firm's own file uses :func:`read_yaml`.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader), lambda _key: None


def read_yaml(path: str | Path) -> tuple[Any, LineLookup]:
    """Read a YAML file from disk with every guard of :func:`parse_text`."""
    data, lines, _ = read_yaml_bytes(path)
    return data, lines


def read_yaml_bytes(path: str | Path) -> tuple[Any, LineLookup, bytes]:
    """:func:`read_yaml`, also returning the very bytes parsed (read once: fingerprint these, not a re-read)."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _fail(source, "an existing file", "no such file") from None
    except OSError as exc:
        raise _fail(source, "a readable file", exc.strerror or str(exc)) from None
    if path.is_dir():
        raise _fail(source, "a YAML file", "a directory")
    if size > MAX_BYTES:
        raise _fail(source, f"a file of at most {MAX_BYTES // 1024 // 1024} MB", f"{size / 1024 / 1024:.1f} MB")
    raw = whole = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark from Notepad is harmless: drop it
    if b"\x00" in raw:
        raise _fail(source, "a UTF-8 text file", "binary data (NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(source, "UTF-8 text (save the file as UTF-8)", f"byte 0x{raw[exc.start]:02x} that is not UTF-8", line) from None
    if not text.strip():
        raise _fail(source, "an engagement (YAML mapping)", "an empty file")
    data, lines = parse_text(text, source)
    return data, lines, whole


def _yaml_problem(exc: MarkedYAMLError, source: str) -> InvalidInput:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    what = (exc.problem or exc.context or "a syntax error").strip()
    if "found character '\\t'" in what or "\\t" in what:
        what = "a tab character in the indentation (use spaces)"
    elif "duplicate key" in what:
        m = re.search(r'duplicate key "([^"]*)"', what)
        what = f"the key {m.group(1)!r} given twice" if m else "a key given twice"
    return _fail(source, "valid YAML", what, line)


def _shape(obj: Any) -> tuple[int, int]:
    """(depth, values counted with aliases expanded), both walks stopping early past their limits."""
    depth, nodes = 0, 0
    stack = [(obj, 0)]
    while stack:
        node, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return depth, nodes


def _line_lookup(data: Any) -> LineLookup:
    def lookup(path: tuple) -> int | None:
        node, line = data, None
        for key in path:
            try:
                if isinstance(node, CommentedMap):
                    if key not in node:
                        break
                    line = node.lc.key(key)[0] + 1
                    node = node[key]
                elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                    line = node.lc.item(key)[0] + 1
                    node = node[key]
                else:
                    break
            except (AttributeError, KeyError, TypeError, IndexError):
                break
        if line is None and isinstance(data, CommentedMap) and data.lc.line is not None:
            return data.lc.line + 1
        return line

    return lookup


def to_plain(obj: Any) -> Any:
    """Round-trip types -> plain Python (bool stays bool, ints and floats plain)."""
    from ruamel.yaml.scalarbool import ScalarBoolean

    if isinstance(obj, dict):
        return {to_plain(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_plain(v) for v in obj]
    if isinstance(obj, ScalarBoolean):
        return bool(obj)
    if isinstance(obj, bool) or obj is None:
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, dt.datetime):
        return obj
    if isinstance(obj, dt.date):
        return dt.date(obj.year, obj.month, obj.day)
    return obj


def dump_text(data: Any) -> str:
    buf = io.StringIO()
    yaml_rt().dump(data, buf)
    return buf.getvalue()
