"""environment.yml (conda) and pyproject.toml (pip) name the same runtime dependencies."""
from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from ruamel.yaml import YAML


def _name(spec: str) -> set[str]:
    m = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[([^\]]+)\])?", spec)
    base = m.group(1).lower().replace("_", "-")
    extras = {e.strip().lower() for e in (m.group(3) or "").split(",") if e.strip()}
    # dask[distributed] on PyPI is dask + distributed on conda-forge
    return {base} | ({"distributed"} if base == "dask" and "distributed" in extras else set())


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = set().union(*(_name(d) for d in project["dependencies"]))
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text())
    conda, pip_section = set(), []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep.get("pip", [])
        else:
            conda |= _name(dep)
    conda -= {"python", "pip"}
    assert conda == pip_names
    assert "-e ." in pip_section


def test_committed_notebooks_have_no_outputs():
    import nbformat

    from assessment.report.notebooks import has_outputs

    notebooks = sorted((ROOT / "assessment" / "notebooks").glob("*.ipynb"))
    assert notebooks
    dirty = [nb.name for nb in notebooks if has_outputs(nbformat.read(nb, as_version=4))]
    assert dirty == [], f"run `make strip-notebooks`: {dirty}"


def test_parameters_cell_is_tagged_and_documented():
    import nbformat

    for path in sorted((ROOT / "assessment" / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        lines = [l for l in tagged[0].source.splitlines() if "=" in l and not l.startswith("#")]
        assert lines and all("#" in l for l in lines), f"{path.name}: every parameter needs a comment"
