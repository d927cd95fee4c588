# outsourcing-readout: `make demo` writes sample readouts, `make test` runs the tests.
# Both create .venv when it is missing and install the project into it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLES := examples/engagements
REPORTS ?= reports
JOBS ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup demo test test-fast validate-examples lab bench clean strip-notebooks system-deps

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

system-deps: ## install fonts and PDF tools from Debian when missing (needs root; skipped otherwise)
	@bash scripts/system-deps.sh

setup: $(STAMP) system-deps ## create .venv and install the project (runs automatically)

demo: setup ## validate and score the examples, then write readouts (PDF, deck, facts), Kestrel's monthly service reviews (Sep, Oct) and a workshop pack to reports/
	$(BIN)/assessment validate $(EXAMPLES)/*/engagement.yaml
	@for f in $(EXAMPLES)/*/engagement.yaml; do echo; $(BIN)/assessment score $$f | head -6; done
	$(BIN)/assessment batch $(EXAMPLES) --jobs $(JOBS) --out $(REPORTS) --format pdf,html,ipynb,pptx
	@for m in 2026-09 2026-10; do $(BIN)/assessment scorecard $(EXAMPLES)/kestrel-insurance --month $$m --out $(REPORTS) --format pdf || exit 1; done
	$(BIN)/assessment workshop-pack $(EXAMPLES)/harbour-lane-bank --out $(REPORTS)
	@for e in kestrel-insurance harbour-lane-bank; do $(BIN)/assessment options $(EXAMPLES)/$$e --out $(REPORTS) || exit 1; done
	@echo; echo "Written:"; ls -1 $(REPORTS)/*/*.pdf $(REPORTS)/*/*.pptx $(REPORTS)/*/*.json

test: setup ## run the whole test suite (runs real notebooks through papermill)
	$(BIN)/python -m pytest -q

test-fast: setup ## run the tests that need no kernel
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lab: setup ## open JupyterLab on the notebooks (workshop.ipynb: the workshop form; `assessment workshop PATH` serves it as an app)
	$(BIN)/jupyter lab assessment/notebooks/

bench: setup ## run the benchmarks in benchmarks/
	$(BIN)/python benchmarks/bench_batch.py

strip-notebooks: setup ## remove outputs from the notebooks before committing
	$(BIN)/python -m assessment.report.notebooks strip assessment/notebooks/*.ipynb

clean: ## remove generated reports and caches (keeps .venv)
	rm -rf $(REPORTS) .pytest_cache **/__pycache__
