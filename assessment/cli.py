"""The ``assessment`` command: new, validate, score, readout, scorecard, batch.

Exit codes: 0 success, 1 invalid input or a failed run, 2 a usage error.
Bad input is reported one problem per line, never as a Python traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from . import __version__
from .errors import AssessmentError, InvalidInput
from .process import finish

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {value}")
    return value


def month(text: str) -> str:
    """An argparse type: a month YYYY-MM (a usage error otherwise); '' means the default month."""
    import re

    from .model import YEAR_MAX, YEAR_MIN   # the date range every input is held to

    if text == "":
        return text
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12 or not YEAR_MIN <= int(m[1]) <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"expected a month YYYY-MM between {YEAR_MIN}-01 and {YEAR_MAX}-12, "
                                         f"found {text!r}")
    return text.strip()


def _example(text: str) -> str:
    return "example:\n" + textwrap.indent(textwrap.dedent(text).strip(), "  ")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="assessment",
        description="Assess how well a client integrates its outsourcing partner, and write the readout.",
        epilog=_example("""
            assessment new "Acme Retail"                  # start engagements/acme-retail/engagement.yaml
            assessment validate engagements/acme-retail/engagement.yaml
            assessment score engagements/acme-retail/engagement.yaml
            assessment readout engagements/acme-retail/engagement.yaml --out reports/
        """),
    )
    p.add_argument("--version", action="version", version=f"outsourcing-readout {__version__}")
    p.add_argument("--debug", action="store_true", help="show full Python tracebacks (for developers)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def checklist_opt(sp):
        sp.add_argument("--checklist", metavar="PATH", help="use this checklist YAML instead of the built-in one")

    sp = sub.add_parser("new", help="start an engagement file for a client",
                        description="Write engagements/<slug>/engagement.yaml listing every checklist item, unscored.",
                        epilog=_example('assessment new "Acme Retail" --consultant "A. Consultant" --root engagements'))
    sp.add_argument("client", help="the client's name, as it should appear in the readout")
    sp.add_argument("--root", default="engagements", help="folder that holds engagements (default: %(default)s)")
    sp.add_argument("--consultant", action="append", default=[], help="a consultant's name (repeatable)")
    sp.add_argument("--slug", help="the engagement's folder name, which also names its output folder "
                                   "(default: the client's name, transliterated: \"Северный ветер\" -> severnyi-veter)")
    checklist_opt(sp)

    sp = sub.add_parser("validate", help="check engagement files and list every problem",
                        description="Check one or more engagement files. Every problem is listed, one per line:\n"
                                    "file:line: severity: field: expected ..., found ...",
                        epilog=_example("assessment validate engagements/*/engagement.yaml"))
    sp.add_argument("paths", nargs="+", metavar="PATH", help="engagement.yaml files (or their folders)")
    sp.add_argument("--strict", action="store_true", help="treat warnings as errors")
    checklist_opt(sp)

    sp = sub.add_parser("score", help="print as-is, to-be and gap per dimension and item",
                        description="Score one engagement: per item, per dimension (weighted mean, n/a excluded) and overall.",
                        epilog=_example("assessment score engagements/acme-retail/engagement.yaml --json"))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--json", action="store_true", help="print JSON instead of a table")
    checklist_opt(sp)

    from . import commands  # the heavier commands register themselves

    commands.register(sub, checklist_opt, _example, positive_int, month)
    commands.register_workshop(sub, checklist_opt, _example)
    for module in _command_modules():
        module.register(sub, checklist_opt, _example, positive_int, month)
    return p


# Each later command group lives in a module of its own with register(...) and HANDLERS.
COMMAND_MODULES = ("commands_plan", "commands_sides", "commands_options")


def _command_modules():
    import importlib

    return [importlib.import_module(f".{name}", __package__) for name in COMMAND_MODULES]


def _engagement_path(arg: str) -> Path:
    from .engagement import engagement_file

    return engagement_file(arg)


def _load_checklist(args):
    from .checklist import load_checklist

    return load_checklist(getattr(args, "checklist", None))


def cmd_new(args) -> int:
    from .engagement import create

    checklist = _load_checklist(args)
    path = create(args.root, args.client, checklist, consultants=args.consultant, slug=args.slug)
    print(f"Started {path} ({len(checklist)} items, all unscored).")
    print(f"Next: fill it in (JupyterLab notebooks or any editor), then run: assessment validate {path}")
    return EXIT_OK


def cmd_validate(args) -> int:
    from .inputs import check_inputs
    from .validate import check_file

    checklist = _load_checklist(args)
    worst = EXIT_OK
    for arg in args.paths:
        path = _engagement_path(arg)
        report = check_file(path, checklist)
        csv_problems = check_inputs(path, checklist)
        for problem in report.problems + csv_problems:
            print(problem)
        csv_errors = [p for p in csv_problems if p.is_error]
        csv_warnings = [p for p in csv_problems if not p.is_error]
        failed = report.errors or csv_errors or (args.strict and (report.warnings or csv_problems))
        status = "INVALID" if failed else "ok"
        counts = (f"{len(report.errors) + len(csv_errors)} error(s), "
                  f"{len(report.warnings) + len(csv_warnings)} warning(s)")
        print(f"{report.path}: {status}: {counts}; {report.completeness.summary()}")
        if failed:
            worst = EXIT_INVALID
    return worst


def _fmt(v) -> str:
    return "  -  " if v is None else f"{v:5.2f}"


def score_table(scores) -> str:
    from .analyses.scoring import NOT_APPLICABLE

    lines = [f"{'dimension':<22}{'as-is':>7}{'to-be':>7}{'gap':>7}{'scored':>10}"]
    for d in scores.dimensions.values():
        lines.append(f"{d.title:<22}{_fmt(d.as_is):>7}{_fmt(d.to_be):>7}{_fmt(d.gap):>7}"
                     f"{f'{d.items_scored}/{d.items_total}':>10}")
    o = scores.overall
    lines.append(f"{'Overall':<22}{_fmt(o['as_is']):>7}{_fmt(o['to_be']):>7}{_fmt(o['gap']):>7}"
                 f"{f'{scores.items_scored}/{scores.items_total}':>10}")
    lines += ["", f"{'item':<8}{'title':<46}{'as-is':>6}{'to-be':>6}{'gap':>5}{'priority':>9}  class"]
    for i in scores.items:
        a = "n/a" if i.classification == NOT_APPLICABLE else ("-" if i.as_is is None else str(i.as_is))
        b = "n/a" if i.classification == NOT_APPLICABLE else ("-" if i.to_be is None else str(i.to_be))
        g = "-" if i.gap is None else f"{i.gap:+d}"
        pr = "-" if i.priority is None else f"{i.priority:g}"
        title = i.title if len(i.title) <= 44 else i.title[:43] + "…"
        lines.append(f"{i.id:<8}{title:<46}{a:>6}{b:>6}{g:>5}{pr:>9}  {i.classification}")
    return "\n".join(lines)


def cmd_score(args) -> int:
    from .analyses.scoring import score
    from .validate import check_file

    checklist = _load_checklist(args)
    report = check_file(_engagement_path(args.path), checklist)
    if not report.ok:
        raise InvalidInput(report.problems)
    for w in report.warnings:
        print(w, file=sys.stderr)
    scores = score(checklist, report.engagement.checklist)
    if args.json:
        print(json.dumps(scores.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"{report.engagement.client.name}: {report.scored}/{report.total} items scored\n")
        print(score_table(scores))
    return EXIT_OK


HANDLERS = {"new": cmd_new, "validate": cmd_validate, "score": cmd_score}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    from . import commands

    handlers = {**commands.HANDLERS}
    for module in _command_modules():
        handlers.update(module.HANDLERS)
    handler = HANDLERS.get(args.command) or handlers[args.command]
    try:
        return handler(args)
    except InvalidInput as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"assessment {args.command}: {exc.summary()}; nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    except AssessmentError as exc:
        if args.debug:
            raise
        print(f"assessment {args.command}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print(f"assessment {args.command}: interrupted; finished outputs are kept, nothing half-written.", file=sys.stderr)
        return 130
    except OSError as exc:  # the disk, not the data: full, read-only, missing folder
        if args.debug:
            raise
        where = f" {exc.filename}:" if exc.filename else ""
        print(f"assessment {args.command}: could not read or write{where} {exc.strerror or exc}; "
              "finished outputs are kept, nothing half-written.", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # a bug of ours, not bad input: one line, details behind --debug
        if args.debug:
            raise
        print(f"assessment {args.command}: internal error: {type(exc).__name__}: {exc} "
              "(run again with --debug for details)", file=sys.stderr)
        return EXIT_INVALID


def run() -> None:
    """The console entry point: run a command, then leave without the interpreter's teardown."""
    finish(main())
