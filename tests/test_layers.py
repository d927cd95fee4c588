"""Layers run one way: no import cycles (function-local imports included), and nothing imports the CLI.

The package reads engagement folder -> model -> analyses -> facts -> notebook -> HTML/PDF,
deck, workbook; the CLI only parses arguments, calls, and prints.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "assessment"
ENTRY_POINTS = {"assessment.__main__"}   # `python -m assessment` runs the CLI: that is its job


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module ``name`` imports, anywhere in the file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        for target in targets:
            while target and target not in known:      # `from x import func` -> module x
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("assessment"):
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    edges = {name: imports_of(name, path, known) for name, path in mods.items()}
    # a package's __init__ is imported on the way to any of its modules: that is not a layer edge
    return {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in edges.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_checker_finds_a_cycle_and_a_cli_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    found = cycles(graph())
    assert found == [], "import cycles (function-local imports count): " + "; ".join(" <-> ".join(c) for c in found)


def test_nothing_imports_the_cli():
    offenders = sorted(name for name, targets in graph().items()
                       if "assessment.cli" in targets and name not in ENTRY_POINTS)
    assert offenders == [], f"modules importing assessment.cli: {offenders}"


def test_analyses_touch_no_files_kernels_or_renderers():
    """The core is pure: analyses import nothing from the report layer, the CLI, batch or builds."""
    edges = graph()
    outward = {"assessment.report", "assessment.cli", "assessment.commands", "assessment.batch",
               "assessment.workshop"}
    bad = {name: sorted(t for t in targets if any(t == o or t.startswith(o + ".") for o in outward))
           for name, targets in edges.items() if name.startswith("assessment.analyses")}
    assert {k: v for k, v in bad.items() if v} == {}
