"""Commands for the sourcing options evaluation: `assessment options`.

``assessment options PATH`` builds the options report from an options.yaml (or the folder holding
one); ``assessment options new "Client"`` starts an options.yaml (the first positional ``new`` is
the sub-action, as in the issue; a folder literally named ``new`` is reached as ``./new``).
"""
from __future__ import annotations

import sys

EXIT_OK, EXIT_USAGE = 0, 2

DESCRIPTION = """\
Should the client outsource, and to whom? Compare the status quo with one or more sourcing options
over a few years: staffing (Erlang C per interval when contacts.csv sits beside options.yaml,
occupancy otherwise), cost per year, NPV, savings, payback month and break-even price per paid hour;
a ±20 % sensitivity with a tornado chart; weighted criteria; and a verdict: outsource to the best
option only when it beats the status quo by more than the uncertainty band (0.3 points) and still
saves money at the pessimistic end of the sensitivity, otherwise "not convinced: don't outsource yet".

Writes <out>/<folder>/<folder>-options.pdf (and .json: options[] and the recommendation) into the
client's output folder, beside its readout.

  assessment options new "CLIENT" [--root DIR]   start DIR/<client>/options.yaml with suggested defaults
  assessment options PATH [--out DIR]            build the report (PATH: options.yaml or its folder)"""


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    """Add ``assessment options`` to the parser."""
    sp = sub.add_parser(
        "options", help="evaluate sourcing options: should the client outsource? (PDF + JSON)",
        description=DESCRIPTION,
        epilog=example("""
            assessment options new "Acme Retail"                           # engagements/acme-retail/options.yaml
            assessment options engagements/acme-retail --out reports/      # reports/acme-retail/acme-retail-options.pdf
            assessment options examples/engagements/harbour-lane-bank/options.yaml --format pdf,json
            assessment options engagements/acme-retail --check             # every problem, one per line
        """))
    sp.add_argument("path", metavar="PATH|new", help="options.yaml or the folder holding it; or the word new")
    sp.add_argument("client", nargs="?", help="with new: the client's name")
    sp.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    sp.add_argument("--root", default="engagements", help="with new: the folder that holds engagements "
                                                          "(default: %(default)s)")
    sp.add_argument("--slug", help="with new: the engagement folder's name (default: from the client's name)")
    sp.add_argument("--format", default="pdf,json", metavar="LIST",
                    help="comma-separated: pdf, html, json, ipynb (default: %(default)s)")
    sp.add_argument("--branding", metavar="PATH", help="branding YAML (firm name, logo, colours)")
    sp.add_argument("--check", action="store_true", help="only check options.yaml (and contacts.csv beside it): "
                                                        "list every problem, build nothing")
    sp.add_argument("--timeout", type=positive_int, default=600, help="seconds for the whole build "
                                                                     "(default: %(default)s)")


def cmd_options(args) -> int:
    if args.path == "new":
        return _new(args)
    if args.client is not None:
        print(f"assessment options: unexpected argument {args.client!r} (only `assessment options new "
              "\"Client\"` takes a client's name)", file=sys.stderr)
        return EXIT_USAGE
    if args.check:
        return _check(args.path)
    from .report.build_options import build_options, parse_formats

    built = build_options(args.path, args.out, parse_formats(args.format), args.branding, args.timeout)
    for w in built.warnings:
        print(w, file=sys.stderr)
    for fmt_, path in built.outputs.items():
        print(f"Wrote {path}")
    return EXIT_OK


def _check(arg: str) -> int:
    """Check options.yaml (and contacts.csv beside it) as a build would; print warnings; build nothing."""
    from .options import load, profile_for

    f = load(arg)                                  # raises InvalidInput with every error (cli prints them)
    _, csv_warnings = profile_for(f.path) if f.interval_profile else (None, [])
    for w in f.warnings + csv_warnings:
        print(w)
    print(f"{f.path}: ok: {len(f.inputs.options)} options, {len(f.warnings) + len(csv_warnings)} warning(s)")
    return EXIT_OK


def _new(args) -> int:
    from .options import create

    if not args.client:
        print('assessment options new: expected the client\'s name, e.g. assessment options new "Acme Retail"',
              file=sys.stderr)
        return EXIT_USAGE
    path = create(args.root, args.client, args.slug)
    print(f"Started {path} with suggested defaults (their sources are in its comments).")
    print(f"Next: fill in the figures and scores with {args.client}, then run: assessment options {path.parent}")
    return EXIT_OK


HANDLERS: dict = {"options": cmd_options}
