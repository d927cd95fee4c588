"""Commands that run notebooks (readout, scorecard, batch): kept apart so cli.py stays light."""
from __future__ import annotations

import sys

HANDLERS: dict = {}


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    sp = sub.add_parser("readout", help="run the readout notebook and render the client's PDF",
                        description="Execute the readout notebook for one engagement with papermill, export HTML "
                                    "through the readout template and render a branded PDF with WeasyPrint.\n"
                                    "Writes <out>/<slug>/<slug>-readout.pdf, .html and the executed .ipynb.",
                        epilog=example("""
                            assessment readout examples/engagements/alpenrose-telecom/engagement.yaml --out reports/
                            assessment readout engagements/acme-retail --format pdf --branding branding.yaml
                            assessment readout engagements/acme-retail --format pdf,xlsx   # and the action plan
                        """))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    sp.add_argument("--format", default="pdf,html,ipynb",
                    help="outputs to keep: pdf, html, ipynb, pptx (the editable deck, readouts only), xlsx (the "
                         "action plan <name>-action-plan.xlsx, readouts only: edit it, then `assessment actions "
                         "import`); the facts file <name>-readout.json is always written beside a readout "
                         "(default: %(default)s)")
    sp.add_argument("--branding", metavar="PATH", help="branding YAML: firm, logo, primary, accent")
    sp.add_argument("--timeout", type=positive_int, default=600,
                    help="seconds the whole build may take, PDF included (default: %(default)s)")
    sp.add_argument("--notebooks", metavar="DIR", help="use a firm's own copy of the notebooks (default: the built-in ones)")
    checklist_opt(sp)

    sp = sub.add_parser("scorecard", help="render the monthly service review PDF for the client-provider meeting",
                        description="The monthly service review: 2-4 pages for the monthly meeting between client "
                                    "and provider. The month's volume, cost per contact and service credits due "
                                    "(with commercials), KPIs against target with their trend, every deep dive with "
                                    "its owner, due date and status carried from month to month, the action plan's "
                                    "progress by workstream, the partner's commentary and the decisions taken "
                                    "(from reviews/YYYY-MM.yaml beside the engagement file), and the days to the "
                                    "renewal notice deadline.\n"
                                    "Writes <out>/<slug>/<slug>-service-review-YYYY-MM.pdf: one per month.",
                        epilog=example("""
                            assessment scorecard examples/engagements/kestrel-insurance --month 2026-10
                            assessment scorecard engagements/acme-retail --format pdf --out reports/
                        """))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--month", type=month, default="",
                    help="the month reviewed, YYYY-MM (default: the latest month of kpis.csv before the current "
                         "month, else last month)")
    sp.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    sp.add_argument("--format", default="pdf,html,ipynb",
                    help="outputs to keep: pdf, html, ipynb; the review's facts <name>-service-review-YYYY-MM.json "
                         "are always written beside them (default: %(default)s)")
    sp.add_argument("--branding", metavar="PATH", help="branding YAML: firm, logo, primary, accent")
    sp.add_argument("--timeout", type=positive_int, default=600,
                    help="seconds the whole build may take, PDF included (default: %(default)s)")
    sp.add_argument("--notebooks", metavar="DIR", help="use a firm's own copy of the notebooks (default: the built-in ones)")
    checklist_opt(sp)

    sp = sub.add_parser("batch", help="build every client's readout under a folder, in parallel",
                        description="Run every */engagement.yaml under DIR, each in its own process and kernel. "
                                    "A failed client does not stop the others; the exit code is 1 if any failed.",
                        epilog=example("""
                            assessment batch examples/engagements --jobs 2 --out reports/
                            assessment batch /shared/engagements --executor dask --scheduler tcp://10.0.0.5:8786
                        """))
    sp.add_argument("dir", metavar="DIR", help="folder whose subfolders hold engagement.yaml files")
    sp.add_argument("--jobs", type=positive_int, default=2, help="clients run at once (default: %(default)s)")
    sp.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    sp.add_argument("--kind", choices=("readout", "scorecard"), default="readout", help="what to build (default: %(default)s)")
    sp.add_argument("--format", default="pdf,html,ipynb",
                    help="outputs to keep: pdf, html, ipynb, pptx (the editable deck, readouts only), xlsx (the "
                         "action plan, readouts only); the facts file <name>-readout.json is always written "
                         "beside a readout (default: %(default)s)")
    sp.add_argument("--timeout", type=positive_int, default=300,
                    help="seconds one client's whole build may take (default: %(default)s)")
    sp.add_argument("--force", action="store_true", help="rebuild clients whose inputs have not changed")
    sp.add_argument("--executor", choices=("local", "dask"), default="local", help="local process pool or dask (default: %(default)s)")
    sp.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster)")
    sp.add_argument("--branding", metavar="PATH", help="branding YAML: firm, logo, primary, accent")
    sp.add_argument("--notebooks", metavar="DIR", help="use a firm's own copy of the notebooks (default: the built-in ones)")
    checklist_opt(sp)


def register_workshop(sub, checklist_opt, example) -> None:
    sp = sub.add_parser("workshop-pack", help="print the workshop pack of an engagement as a PDF",
                        description="Run the workshop notebook headless (papermill) once per dimension and print the "
                                    "facilitators' pack: a first page with the agenda (timed per dimension), attendees "
                                    "to fill in and a decision log; then each item's question, evidence to look for, "
                                    "the six levels 0-5 and boxes for as-is, to-be, confidence, evidence seen and notes.",
                        epilog=example("assessment workshop-pack examples/engagements/harbour-lane-bank --out reports/\n"
                                       "assessment workshop-pack examples/engagements/harbour-lane-bank --blank"))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    sp.add_argument("--dimension", action="append", choices=("people", "process", "product", "technology"),
                    help="only this dimension (repeatable; default: all four)")
    sp.add_argument("--blank", action="store_true",
                    help="print no current answers (printed scores anchor participants); writes ...-workshop-pack-blank.pdf")
    sp.add_argument("--branding", metavar="PATH", help="branding YAML: firm, logo, primary, accent")
    checklist_opt(sp)


def cmd_workshop_pack(args) -> int:
    from .report.build import build_workshop_pack

    built = build_workshop_pack(args.path, args.out, args.checklist, args.branding,
                                tuple(args.dimension) if args.dimension else None, blank=args.blank)
    print(f"  pdf: {built.outputs['pdf']}")
    print(f"{built.client}: workshop pack built in {built.seconds:.1f} s")
    return 0


def _report(kind: str):
    def handler(args) -> int:
        from .report.build import build, parse_formats

        params = {"month": args.month} if kind == "scorecard" else None
        built = build(args.path, args.out, parse_formats(args.format), args.checklist, args.branding, kind=kind,
                      parameters=params, timeout=args.timeout, notebooks=args.notebooks)
        for fmt_, path in built.outputs.items():
            print(f"{fmt_:>5}: {path}")
        for warning in built.warnings:
            print(f"assessment {kind}: warning: {warning}", file=sys.stderr)
        print(f"{built.client}: {kind} built in {built.seconds:.1f} s")
        return 0

    return handler


def cmd_batch(args) -> int:
    from .batch import run_batch

    return run_batch(args)


HANDLERS.update({"workshop-pack": cmd_workshop_pack, "readout": _report("readout"), "scorecard": _report("scorecard"), "batch": cmd_batch})
