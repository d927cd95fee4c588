"""Commands for the action plan: `assessment actions import` (the roadmap's spreadsheet, read back)."""
from __future__ import annotations


def register(sub, checklist_opt, example, positive_int=int, month=str) -> None:
    """Add `assessment actions import ENGAGEMENT FILE`."""
    sp = sub.add_parser("actions", help="the action plan: read the edited spreadsheet back into the engagement",
                        description="The action plan is written beside a readout with --format xlsx "
                                    "(<name>-action-plan.xlsx): one row per action of the roadmap, with owner, "
                                    "dates, status, success measure and notes. The client edits it; "
                                    "`assessment actions import` reads it back into the actions: block of "
                                    "engagement.yaml, and the next readout uses its owners, dates and status.",
                        epilog=example("""
                            assessment readout examples/engagements/kestrel-insurance --format pdf,xlsx --out reports/
                            assessment actions import examples/engagements/kestrel-insurance reports/kestrel-insurance/kestrel-insurance-action-plan.xlsx
                        """))
    actions = sp.add_subparsers(dest="actions_command", metavar="COMMAND", required=True)
    imp = actions.add_parser("import", help="read an edited action-plan workbook into engagement.yaml",
                             description="Read the 'Action plan' sheet of the workbook into the actions: block of "
                                         "the engagement file. Every problem (sheet, row, column, expected, found) "
                                         "is listed before anything is written. A blank cell keeps the value the "
                                         "file holds; actions the sheet leaves out are kept. The whole file is "
                                         "validated, the previous version kept in .backups/, and the file written "
                                         "atomically. Prints how many actions changed.",
                             epilog=example("""
                                 assessment actions import engagements/acme-retail acme-retail-action-plan.xlsx
                             """))
    imp.add_argument("path", metavar="ENGAGEMENT", help="an engagement.yaml (or its folder)")
    imp.add_argument("file", metavar="FILE", help="the edited <name>-action-plan.xlsx")
    checklist_opt(imp)


def cmd_actions(args) -> int:
    from .action_plan import merge_actions

    if args.actions_command == "import":
        print(merge_actions(args.path, args.file, args.checklist))
    return 0


HANDLERS: dict = {"actions": cmd_actions}
