"""The ``claimdesk`` command.

Every subcommand works on the core without Qt, except ``gui``. Every error ends
in one line on stderr and a non-zero exit status, never a traceback: the
problems a user can cause (a bad file, a project that will not open, an unknown
claim, a mistyped option) with their own message, anything else (a damaged
install, a bug) named by its type; ``CLAIMDESK_DEBUG=1`` shows the traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import math
import os
import sys
import tempfile
from pathlib import Path

from claimdesk import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(msg: str) -> None:
    print(f"claimdesk: {' '.join(str(msg).split())}", file=sys.stderr)


def describe_error(exc: BaseException) -> str:
    """One line for an exception that reached the top of a command."""
    try:
        from claimdesk.core.importer import ImportProblem
        from claimdesk.services.merge import MergeError
        from claimdesk.services.review import ReviewError
        from claimdesk.export import ExportError
        from claimdesk.core.ports import ProjectError

        for_people: tuple[type[BaseException], ...] = (
            ProjectError, ReviewError, MergeError, ExportError, ImportProblem)
    except Exception:  # noqa: BLE001 - a damaged install: the error may be this very import
        for_people = ()
    if isinstance(exc, for_people):
        return str(exc)
    if isinstance(exc, ImportError):
        return f"Claimdesk is incomplete or damaged ({exc}); reinstall it"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return f"unexpected error ({type(exc).__name__}: {exc}); CLAIMDESK_DEBUG=1 shows where it happened"


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (its usage text is for --help)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


# -- helpers ------------------------------------------------------------------------


def _open_project(path: str, *, create: bool = False):
    from claimdesk.services.projects import open_project

    return open_project(path, create=create)


def ensure_default_project() -> Path:
    """The sample project in the user's data folder, created with the sample story on first start."""
    from claimdesk.services.pipeline import import_paths
    from claimdesk.paths import default_project_path, sample_articles
    from claimdesk.services.projects import open_project

    path = default_project_path()
    if not path.exists():
        tmp = path.with_name(path.name + ".part")
        tmp.unlink(missing_ok=True)
        with open_project(tmp) as project:
            project.set_setting("story", "Microsoft's 2024 deal with Mistral AI (sample)")
            import_paths(project, sample_articles())
        os.replace(tmp, path)
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path


def _progress_bar(total: int, desc: str):
    """A tqdm bar on a terminal, nothing when output is piped."""
    if not sys.stderr.isatty() or total < 2:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file", file=sys.stderr, leave=False)


# -- commands -----------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from claimdesk.services.projects import ProjectError

    db = args.db
    try:
        if db is None:
            db = str(ensure_default_project())
    except ProjectError as exc:
        _err(str(exc))
        return EXIT_FAILED
    from claimdesk.gui import run

    return run(db)


def cmd_import(args: argparse.Namespace) -> int:
    from claimdesk.services.pipeline import import_paths
    from claimdesk.services.projects import ProjectError, StorageError

    try:
        project = _open_project(args.db, create=True)
    except ProjectError as exc:
        _err(str(exc))
        return EXIT_FAILED
    bars: dict[str, object] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None and stage not in bars:
            bar = bars[stage] = _progress_bar(total, {"import": "importing", "model": "loading the language model",
                                                      "align": "comparing articles"}.get(stage, "suggesting"))
        if bar is not None:
            bar.n = done
            bar.refresh()

    try:
        with project:
            results = import_paths(project, args.files, progress=progress)
    except ProjectError as exc:  # a full disk, a file held by another program: what was committed stays
        _err(f"{exc} (articles imported before this one are kept; run the import again)")
        return EXIT_FAILED
    except StorageError as exc:
        _err(f"{args.db}: the import stopped ({exc}); articles imported before are kept")
        return EXIT_FAILED
    for bar in bars.values():
        if bar is not None:
            bar.close()
    failed = 0
    for r in results:
        if r.error:
            failed += 1
            _err(f"{r.path}: {r.error}")
        elif not args.quiet:
            state = "imported" if r.created else "already in the project"
            print(f"{r.path}: {state} (article {r.article_id})")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from claimdesk.services.pipeline import import_paths
    from claimdesk.services.report import analysis_report
    from claimdesk.services.projects import STORAGE_ERRORS, open_project

    try:
        with tempfile.TemporaryDirectory(prefix="claimdesk-analyze-") as tmp:
            with open_project(Path(tmp) / "analyze.claimdesk") as project:
                results = import_paths(project, args.files)
                paths = {r.article_id: r.path for r in results if r.article_id is not None}
                report = analysis_report(project, paths)
    except (*STORAGE_ERRORS, OSError) as exc:  # e.g. no room left in the temporary folder
        _err(f"the analysis could not be done: {exc}")
        return EXIT_FAILED
    failed = [r for r in results if r.error]
    for r in failed:
        _err(f"{r.path}: {r.error}")
    if args.json:
        from claimdesk.export.jsonsafe import html_safe

        sys.stdout.write(html_safe(json.dumps(report, ensure_ascii=False, indent=1 if args.pretty else None)))
        sys.stdout.write("\n")
    else:
        for fact in report["facts"]:
            if fact["status"] == "single":
                continue
            sources = {}
            for m in fact["mentions"]:
                sources.setdefault(m["version"], set()).add(m["article"])
            n = {v["k"]: len(sources.get(v["k"], ())) for v in fact["versions"]}
            versions = "; ".join(f"{v['text']} ({n[v['k']]} source{'' if n[v['k']] == 1 else 's'})"
                                 for v in fact["versions"])
            print(f"{fact['status']:>11}  {fact['label']}: {versions}")
        print(f"{len(report['articles'])} articles, {len(report['claims'])} claims, "
              f"{len(report['facts'])} facts ({sum(f['status'] == 'conflicting' for f in report['facts'])} "
              f"conflicting), {len(report['links'])} links")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_checkworthy(args: argparse.Namespace) -> int:
    from claimdesk.nlp.checkworthy import load_default

    from claimdesk.core.importer import ImportProblem, read_file_bytes

    try:
        lines = read_file_bytes(args.file).decode("utf-8").splitlines()
    except ImportProblem as exc:  # a device, FIFO, folder, missing or too large file
        _err(f"{args.file}: {exc}")
        return EXIT_FAILED
    except UnicodeDecodeError:
        _err(f"{args.file}: not UTF-8 text")
        return EXIT_FAILED
    model = load_default()
    if not model.available:
        _err("the check-worthiness model is not installed")
        return EXIT_FAILED
    from claimdesk.core.nlptext import nlp_view

    results = model.classify([nlp_view(line) for line in lines])  # a line of 10,000 '€' would take minutes
    out = [{"score": round(r.score, 6), "checkworthy": r.checkworthy} for r in results]
    if args.json:
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        for line, r in zip(lines, out):
            print(f"{r['score']:.3f} {'*' if r['checkworthy'] else ' '} {line}")
    return EXIT_OK


def _parse_value(spec: str):
    """``--value "2e9 USD at_least"`` or ``--value "2000000000 EUR"``."""
    from claimdesk.core.model import BOUNDS, EXACT, Value

    parts = spec.split()
    if not parts:
        raise ValueError("empty --value")
    try:
        amount = float(parts[0].replace(",", ""))
    except ValueError:
        raise ValueError(f"--value: '{parts[0]}' is not a number") from None
    if not math.isfinite(amount):
        raise ValueError(f"--value: the amount must be a finite number, not '{parts[0]}'")
    unit = parts[1] if len(parts) > 1 else None
    bound = parts[2] if len(parts) > 2 else EXACT
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {', '.join(BOUNDS)}")
    vtype = "money" if unit and len(unit) == 3 and unit.isupper() else ("percent" if unit == "%" else "count")
    return Value(start=0, end=0, text=spec, type=vtype, amount=amount, unit=unit, bound=bound, rule="reviewer")


def _pair(text: str) -> tuple[int, int]:
    """``--pair 4,12``: two claim ids."""
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise argparse.ArgumentTypeError("give two claim ids, like 4,12")
    return int(parts[0]), int(parts[1])


def cmd_review(args: argparse.Namespace) -> int:
    from claimdesk.services.review import ReviewError, ReviewService
    from claimdesk.services.projects import ProjectError

    try:
        project = _open_project(args.db)
    except ProjectError as exc:
        _err(str(exc))
        return EXIT_FAILED
    with project:
        service = ReviewService(project, actor=args.reviewer or user_reviewer())
        try:
            action = args.action
            if args.link is not None and args.claim is not None:
                _err("give either --claim or --link, not both")
                return EXIT_USAGE
            if action == "undo":
                # --reviewer NAME takes back NAME's own last decision, never someone else's
                service.undo(own=args.reviewer is not None)
                if not args.quiet:
                    print(f"undone: {service.describe_op(service.last_undone)}")
                return EXIT_OK
            if action == "redo":
                service.redo()
            elif args.link is not None:
                if action == "confirm":
                    service.confirm_link(args.link, expect=args.pair)
                elif action == "reject":
                    service.reject_link(args.link, expect=args.pair)
                elif action == "resolve":
                    service.resolve_link(args.link, args.prefer, args.note or "", expect=args.pair)
                elif action == "note":
                    service.note(args.note or args.text or "", link_id=args.link)
                else:
                    _err(f"'{action}' does not apply to a link (use confirm, reject, resolve or note)")
                    return EXIT_USAGE
            elif args.claim is None:
                _err("say which claim (--claim ID) or link (--link ID)")
                return EXIT_USAGE
            elif action == "confirm":
                service.confirm(args.claim)
            elif action == "reject":
                service.reject(args.claim)
            elif action == "reset":
                service.reset(args.claim)
            elif action == "edit":
                values = [_parse_value(v) for v in args.value] if args.value else None
                span = (args.start, args.end) if args.start is not None and args.end is not None else None
                service.edit(args.claim, text=args.text, span=span, values=values)
            elif action == "conflict":
                if args.with_claim is None:
                    _err("conflict needs --with ID, the claim it conflicts with")
                    return EXIT_USAGE
                service.mark_conflict(args.claim, args.with_claim, args.note)
            elif action == "note":
                service.note(args.note or args.text or "", claim_id=args.claim)
            else:  # argparse restricts choices; kept for safety
                _err(f"unknown action {action}")
                return EXIT_USAGE
        except (ReviewError, ValueError) as exc:
            _err(str(exc))
            return EXIT_FAILED
        except ProjectError as exc:
            _err(str(exc))
            return EXIT_FAILED
    if not args.quiet:
        print("ok")
    return EXIT_OK


def user_reviewer() -> str | None:
    """The reviewer name this user gave the window (its settings), if any; None without Qt."""
    try:
        from claimdesk.gui.settings import reviewer_name
    except ImportError:
        return None
    try:
        return reviewer_name()
    except Exception:  # unreadable settings: fall back to the environment and the login name
        return None


def cmd_merge(args: argparse.Namespace) -> int:
    from claimdesk.services.merge import MergeError, merge_into
    from claimdesk.services.review import resolve_actor
    from claimdesk.services.projects import ProjectError, open_project

    try:
        project = open_project(args.db, create=False)
    except ProjectError as exc:
        _err(str(exc))
        return EXIT_FAILED
    with project:
        actor = resolve_actor(project, args.reviewer or user_reviewer())
        for other in args.others:
            try:
                report = merge_into(project, other, actor=actor)
            except (MergeError, ProjectError) as exc:
                _err(f"{other}: {exc}")
                return EXIT_FAILED
            if not args.quiet:
                print(f"{other}: {report.summary()}")
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    from claimdesk.services.agreement import agreement, describe
    from claimdesk.services.projects import ProjectError, open_project

    try:
        project = open_project(args.db, create=False, readonly=True)
    except ProjectError as exc:
        _err(str(exc))
        return EXIT_FAILED
    with project:
        report = agreement(project)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else describe(report))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from claimdesk.export import FORMATS, ExportError, export_project
    from claimdesk.services.projects import ProjectError, open_project

    if args.format not in FORMATS:
        _err(f"unknown format {args.format} (one of: {', '.join(FORMATS)})")
        return EXIT_USAGE
    try:
        # read-only: an export works on a read-only file, folder or mount, and changes nothing
        with open_project(args.db, create=False, readonly=True) as project:
            export_project(project, args.format, Path(args.output))
    except (ProjectError, ExportError) as exc:
        _err(str(exc))
        return EXIT_FAILED
    if not args.quiet:
        print(f"wrote {args.output}")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from claimdesk.selftest import run_selftest

    return run_selftest(verbose=not args.quiet)


# -- parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="claimdesk",
        description="Check a story against its sources: suggest claims, compare articles, review, export.",
    )
    parser.add_argument("--version", action="version", version=f"claimdesk {__version__}")
    parser.add_argument("--selftest", action="store_true",
                        help="import the samples into a temporary project, suggest, align and export; "
                             "exit 0 only if every step worked")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    # -q after the subcommand too; SUPPRESS as its default, so that a subcommand without it keeps the
    # top-level one (a subparser's defaults overwrite what was parsed before it)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only problems")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_parser = functools.partial(sub.add_parser, parents=[common])

    p = add_parser("gui", help="open the review window (the default)")
    p.add_argument("--db", metavar="PATH", help="project file (default: the sample project)")
    p.set_defaults(func=cmd_gui)

    p = add_parser("import", help="import article files into a project")
    p.add_argument("--db", metavar="PATH", required=True, help="project file (created if missing)")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt, .md, .html or .docx files")
    p.set_defaults(func=cmd_import)

    p = add_parser("analyze", help="suggest claims and links for files, in a temporary project")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_analyze)

    p = add_parser("checkworthy", help="score sentences (one per line) for check-worthiness")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per line")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_checkworthy)

    p = add_parser("review", help="record a reviewer decision")
    p.add_argument("--db", metavar="PATH", required=True)
    p.add_argument("--claim", type=int, metavar="ID")
    p.add_argument("--link", type=int, metavar="ID", help="act on a link instead of a claim")
    p.add_argument("--pair", type=_pair, metavar="A,B",
                   help="with --link: the two claims you saw the link join; refused if it joins others now")
    p.add_argument("action", choices=["confirm", "reject", "edit", "conflict", "note", "reset", "resolve",
                                      "undo", "redo"])
    p.add_argument("--text", help="edit: the new claim text; note: the note")
    p.add_argument("--start", type=int, help="edit: new start offset")
    p.add_argument("--end", type=int, help="edit: new end offset")
    p.add_argument("--value", action="append", metavar="'AMOUNT UNIT [BOUND]'",
                   help="edit: replace the claim's values (repeatable)")
    p.add_argument("--with", dest="with_claim", type=int, metavar="ID", help="conflict: the other claim")
    p.add_argument("--note", help="conflict/resolve/note: the note")
    p.add_argument("--prefer", type=int, metavar="ID", help="resolve: the claim that is right")
    p.add_argument("--reviewer", help="name recorded with the decision (default: the name given in the window, "
                   "then CLAIMDESK_REVIEWER, then the login name)")
    p.set_defaults(func=cmd_review)

    p = add_parser("merge", help="bring other reviewers' project files of the same story into this one")
    p.add_argument("--db", metavar="MINE", required=True, help="the project file that receives the merge")
    p.add_argument("others", nargs="+", metavar="THEIRS", help="project files to merge in (only read)")
    p.add_argument("--reviewer", help="name recorded with the merge")
    p.set_defaults(func=cmd_merge)

    p = add_parser("agreement", help="how far the reviewers of a project agree (percent, Cohen's kappa)")
    p.add_argument("--db", metavar="PATH", required=True)
    p.add_argument("--json", action="store_true", help='print {"pairs": [...]} as JSON')
    p.set_defaults(func=cmd_agreement)

    p = add_parser("export", help="export the verified fact sheet")
    p.add_argument("--db", metavar="PATH", required=True)
    p.add_argument("--format", required=True, metavar="FORMAT",
                   help="md, html, pdf, json, csv, claimreview or annotations")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="claimdesk: %(message)s")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"gui", "import", "analyze", "checkworthy", "review", "export", "merge", "agreement"}
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in commands:
        argv = ["gui", "--db", argv[0]]  # "claimdesk story.claimdesk", as a file manager calls it
    args = parser.parse_args(argv)  # a usage error exits here with status 2 and one line
    if args.command is None and not args.selftest:
        args = parser.parse_args(["gui"] + argv)
    try:
        return cmd_selftest(args) if args.selftest else args.func(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("CLAIMDESK_DEBUG"):
            raise
        _err(describe_error(exc))
        return EXIT_FAILED


def gui_main() -> int:
    return main(["gui"])


if __name__ == "__main__":
    raise SystemExit(main())
