"""Commands for both sides and over time: consensus, workshop app, waves."""
from __future__ import annotations

HANDLERS: dict = {}


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    """Add this module's sub-commands to the parser."""
    register_consensus(sub, checklist_opt, example)
    register_wave(sub, checklist_opt, example)
    register_workshop_app(sub, checklist_opt, example)


# --------------------------------------------------------------------------- assessment consensus
def register_consensus(sub, checklist_opt, example) -> None:
    sp = sub.add_parser(
        "consensus", help="propose scores for unscored items from the respondents' answers",
        description="For every item the engagement file leaves unscored, propose as-is and to-be from the\n"
                    "respondents' files in responses/: the median of each side, then the middle of the two sides,\n"
                    "rounded half up. The proposals are written into engagement.yaml (the previous version is\n"
                    "backed up in .backups/) and marked `derived: consensus`, so the readout says which scores\n"
                    "were derived. Items the consultants scored, or marked n/a, are never changed; derived ones\n"
                    "are derived again from today's responses.",
        epilog=example("""
            assessment consensus engagements/acme-retail            # write the proposals
            assessment consensus engagements/acme-retail --dry-run  # only list them
        """))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--dry-run", action="store_true", help="list the proposals, write nothing")
    checklist_opt(sp)
    HANDLERS["consensus"] = cmd_consensus


def cmd_consensus(args) -> int:
    from ruamel.yaml.comments import CommentedMap

    from .analyses.perception import proposed_consensus
    from .checklist import load_checklist
    import hashlib

    from .engagement import engagement_file, save
    from .errors import InvalidInput
    from .responses import load_responses
    from .validate import check_file
    from .yamlio import read_yaml_bytes

    checklist = load_checklist(getattr(args, "checklist", None))
    path = engagement_file(args.path)
    report = check_file(path, checklist)
    responses, problems = load_responses(path, checklist)
    errors = report.errors + [p for p in problems if p.is_error]
    if errors:
        raise InvalidInput(errors)
    if not responses:
        print(f"{path}: no respondents' files in {path.parent / 'responses'}; nothing to propose.")
        return 0
    current = report.engagement.checklist
    proposals = {iid: ab for iid, ab in proposed_consensus(checklist, responses, current).items()
                 if iid not in current or (current[iid].as_is, current[iid].to_be) != ab}   # only what changes
    if not proposals:
        print(f"{path}: every item the respondents scored is already scored, n/a or derived as now; nothing changed.")
        return 0
    for iid, (a, b) in proposals.items():
        print(f"{iid}: as-is {a}, to-be {b}  ({checklist[iid].title})")
    if args.dry_run:
        print(f"{len(proposals)} item(s) proposed; nothing written (--dry-run).")
        return 0
    document, _, raw = read_yaml_bytes(path)     # one read: the fingerprint is of the bytes parsed
    expected = hashlib.sha256(raw).hexdigest()
    items = document.get("checklist")
    if not isinstance(items, CommentedMap):
        items = CommentedMap()
        document["checklist"] = items
    for iid, (a, b) in proposals.items():
        entry = items.get(iid)
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
            entry.fa.set_flow_style()
            items[iid] = entry
        entry["as_is"], entry["to_be"], entry["derived"] = a, b, "consensus"
    kept = save(path, document, validate_with=checklist, expected=expected)
    print(f"Wrote {len(proposals)} derived score(s) into {path}"
          + (f"; the previous version is kept at {kept}." if kept else "."))
    print("Review them in the workshop; a score you confirm or change is yours: remove its `derived` key.")
    return 0


# --------------------------------------------------------------------------- assessment wave close
def register_wave(sub, checklist_opt, example) -> None:
    sp = sub.add_parser(
        "wave", help="close a re-assessment wave (freeze today's inputs for the next comparison)",
        description="Waves let the next readout show progress: closing a wave copies the engagement file\n"
                    "(scores and action plan), the respondents' files, the monthly reviews and the CSVs into\n"
                    "waves/<label>/, "
                    "read-only, and records it in waves/index.yaml. Work then continues on the live files.",
        epilog=example("""
            assessment wave close engagements/acme-retail --label 2026-H2
        """))
    wsub = sp.add_subparsers(dest="wave_command", metavar="ACTION", required=True)
    cp = wsub.add_parser("close", help="freeze the engagement's inputs under waves/<label>/",
                         description="Freeze engagement.yaml, responses/, reviews/ and the CSVs into waves/<label>/\n"
                                     "(read-only).\n"
                                     "An existing label is refused; an engagement that does not validate is refused.",
                         epilog=example("assessment wave close engagements/acme-retail --label 2026-H2"))
    cp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    cp.add_argument("--label", required=True, help="the wave's name, e.g. 2026-H2 (letters, digits, . _ -)")
    checklist_opt(cp)
    HANDLERS["wave"] = cmd_wave


def cmd_wave(args) -> int:
    from .checklist import load_checklist
    from .waves import close_wave, wave_summary

    checklist = load_checklist(getattr(args, "checklist", None))
    folder = close_wave(args.path, args.label, checklist)
    info = wave_summary(folder)
    print(f"Closed wave {args.label}: {info['files']} file(s) frozen read-only in {folder} "
          f"({info['responses']} respondent file(s)). The next readout shows progress since {args.label}.")
    return 0


# --------------------------------------------------------------------------- assessment workshop
def register_workshop_app(sub, checklist_opt, example) -> None:
    sp = sub.add_parser(
        "workshop", help="open the workshop form as a web app (Voilà): the form and its charts, no code",
        description="Serve the workshop notebook with Voilà on this computer (127.0.0.1, with a private token)\n"
                    "and open it in the browser: choose whose answers you record (the agreed consensus in\n"
                    "engagement.yaml, or one respondent's file in responses/) and the dimension, score, press Save.\n"
                    "A save validates, keeps a backup in .backups/ and refuses when the file changed on disk.\n"
                    "Ctrl-C stops the app.\n\n"
                    "With --export or --import no app is started: a respondent's worksheet (.xlsx or .csv) is\n"
                    "written for them to pre-fill by e-mail, or their filled sheet is merged into their file.",
        epilog=example("""
            assessment workshop engagements/acme-retail
            assessment workshop engagements/acme-retail --respondent client-ops.yaml --dimension process
            assessment workshop engagements/acme-retail --respondent client-ops.yaml --export client-ops.xlsx
            assessment workshop engagements/acme-retail --respondent client-ops.yaml --import client-ops.xlsx
        """))
    sp.add_argument("path", metavar="PATH", help="an engagement.yaml (or its folder)")
    sp.add_argument("--respondent", metavar="FILE",
                    help="open this respondent's file in responses/ first (a path, or its name there)")
    sp.add_argument("--dimension", choices=("people", "process", "product", "technology"),
                    help="the dimension shown first (default: people); with --export, only this one (default: all)")
    sp.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    sp.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    sp.add_argument("--export", metavar="SHEET", help="write the respondent's worksheet (.xlsx or .csv) and stop")
    sp.add_argument("--import", dest="import_", metavar="SHEET",
                    help="merge the respondent's filled worksheet into their file and stop")
    checklist_opt(sp)
    HANDLERS["workshop"] = cmd_workshop_app


def cmd_workshop_app(args) -> int:
    from .checklist import load_checklist
    from .engagement import engagement_file, load
    from .errors import InvalidInput, Problem
    from .workshop import export_respondent_sheet, merge_respondent_sheet, respondent_file

    checklist = getattr(args, "checklist", None)
    path = engagement_file(args.path)
    load(path, load_checklist(checklist))                   # a broken file is reported here, not in the browser
    who = respondent_file(path, args.respondent) if args.respondent else None
    if args.export or args.import_:
        if who is None:
            raise InvalidInput([Problem("--respondent", "--respondent",
                                        "a respondent's file with --export or --import", "none given")])
        if args.export:
            out = export_respondent_sheet(path, who, args.export, checklist, args.dimension)
            print(f"Wrote {out}: {who.name}'s worksheet. Send it; import it back with --import.")
        else:
            print(merge_respondent_sheet(path, who, args.import_, checklist))
        return 0
    from .voila_app import prepare, serve

    app = prepare(path, args.dimension or "people", who, checklist, args.port or None)

    def ready(app) -> None:
        print(f"Workshop for {path.parent.name}: {app.url}", flush=True)
        print("Ctrl-C stops the app.", flush=True)

    return serve(app, open_browser=not args.no_browser, ready=ready)
