"""The ``sitegen`` command line: thin wrappers around build, serve, check and scaffolding."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import inspect
import sys
import zoneinfo
from pathlib import Path

import click

from . import __version__
from .build import BuildOptions, BuildResult, build
from .dates import site_now
from .errors import BuildFailed, Diagnostics, Problem
from .messages import LANGUAGES, N_, _, choose, join, language
from .walk import REASONS

LEFT_OUT_NAMES = {
    "draft": N_("{n} drafts"),
    "future": N_("{n} future-dated"),
    "expired": N_("{n} expired"),
}
# The summary line, whole sentences: with or without reports, and files, left out.
SUMMARY = {
    (False, False): N_(
        "built {pages} pages: {written} files written, {unchanged} unchanged, {removed} removed, "
        "0 reports left out in {seconds} s"
    ),
    (True, False): N_(
        "built {pages} pages: {written} files written, {unchanged} unchanged, {removed} removed, "
        "{reports} reports left out ({which}; see --drafts/--future/--expired) in {seconds} s"
    ),
    (False, True): N_(
        "built {pages} pages: {written} files written, {unchanged} unchanged, {removed} removed, "
        "0 reports left out, {files} files left out ({why}) in {seconds} s"
    ),
    (True, True): N_(
        "built {pages} pages: {written} files written, {unchanged} unchanged, {removed} removed, "
        "{reports} reports left out ({which}; see --drafts/--future/--expired), "
        "{files} files left out ({why}) in {seconds} s"
    ),
}


def print_problems(problems: list[Problem], kind: str) -> None:
    colour = "red" if kind == "error" else "yellow"
    for problem in problems:
        line = (
            _("error: {problem}", problem=problem)
            if kind == "error"
            else _("warning: {problem}", problem=problem)
        )
        click.secho(line, fg=colour, err=True)


def summary_line(result: BuildResult) -> str:
    """One line: pages, files written/unchanged/removed, reports and files left out, time."""
    reports = {k: n for k, n in sorted(result.left_out.items()) if n}
    files = {k: n for k, n in sorted(result.files_left_out.items()) if n}
    return _(
        SUMMARY[bool(reports), bool(files)],
        pages=result.pages,
        written=result.written,
        unchanged=result.unchanged,
        removed=result.removed,
        reports=sum(reports.values()),
        which=join(_(LEFT_OUT_NAMES.get(k, k), n=n) for k, n in reports.items()),
        files=sum(files.values()),
        why=join(_(REASONS.get(k, k), n=n) for k, n in files.items()),
        seconds=f"{result.seconds:.2f}",
    )


def _progress(label: str):
    """A progress bar on a terminal, for builds with many pages to render."""

    def wrap(items, count: int):
        if not sys.stderr.isatty() or count < 200:
            return items
        return _bar(items, count, label)

    return wrap


def _bar(items, count: int, label: str):
    with click.progressbar(items, length=count, label=label, file=sys.stderr) as bar:
        yield from bar


def announce_removals(output: Path) -> None:
    """--force: say which files not written by sitegen the build will replace or remove."""
    from .writer import foreign_files

    files = foreign_files(output)
    if not files:
        return
    click.secho(
        _(
            "--force: {count} file(s) in {output} were not written by sitegen; "
            "a successful build replaces or removes them:",
            count=len(files),
            output=output,
        ),
        fg="yellow",
        err=True,
    )
    for rel in files:
        click.echo(_("  remove {file}", file=rel), err=True)


def _option_value(args: list[str], *names: str) -> str | None:
    """The value an option has in ``args`` (``--lang en``, ``--lang=en``, ``-s DIR``,
    ``-sDIR``), read before click parses them; the last one wins, as in click."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        for name in names:
            if arg == name and index + 1 < len(args):
                found = args[index + 1]
            elif arg.startswith(name + "=") and name.startswith("--"):
                found = arg[len(name) + 1 :]
            elif arg.startswith(name) and len(arg) > len(name) and not name.startswith("--"):
                found = arg[len(name) :]
    return found


def site_language(source: Path) -> str | None:
    """The ``language`` of ``source/sitegen.yaml``, read first of all (messages follow it);
    ``None`` when there is none or the file cannot be read (the command says why later)."""
    from .yamlsource import YamlError, parse_yaml

    try:
        data = parse_yaml((source / "sitegen.yaml").read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        return None
    value = data.get("language") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def translate_help(command: click.Command) -> None:
    """The help texts of ``command``, its options and its subcommands in the chosen
    language. Click makes them at import time: the English texts (the ids) are kept aside
    the first time, and every call translates them again."""
    items: list[click.Command | click.Parameter] = [command, *command.params]
    for item in items:
        english = item.__dict__.setdefault("english_help", getattr(item, "help", None))
        if english:
            item.help = _(inspect.cleandoc(english))  # type: ignore[union-attr]
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


# click's own words on every help page (it translates them with gettext, for which sitegen
# installs no catalogue: they go through sitegen's).
HELP_WORDS = {
    "Usage: ": N_("Usage: "),
    "Options": N_("Options"),
    "Commands": N_("Commands"),
    "Show this message and exit.": N_("Show this message and exit."),
}


class SitegenFormatter(click.HelpFormatter):
    """click's help layout with its headings in the language of messages."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or _(HELP_WORDS["Usage: "]))

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:', heading=heading)}\n")

    def section(self, name: str):  # type: ignore[no-untyped-def]
        return super().section(_(HELP_WORDS.get(name, name)))


class SitegenContext(click.Context):
    formatter_class = SitegenFormatter


class SitegenCommand(click.Command):
    """A command whose help page is in the language of messages, --help included."""

    context_class = SitegenContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _(HELP_WORDS["Show this message and exit."])
        return option


class SitegenGroup(SitegenCommand, click.Group):
    """The ``sitegen`` group: chooses the language of messages before click reads the
    arguments (help texts included): ``--lang``, ``SITEGEN_LANG``, the site's ``language``."""

    command_class = SitegenCommand

    def main(self, args=None, *more, **options):  # type: ignore[no-untyped-def,override]
        argv = list(sys.argv[1:] if args is None else args)
        source = Path(_option_value(argv, "--source", "-s") or ".")
        with language(choose(_option_value(argv, "--lang"), lambda: site_language(source))):
            translate_help(self)
            return super().main(argv, *more, **options)


@click.group(cls=SitegenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    default=None,
    expose_value=False,
    help=N_("Language of messages: zh-CN or en (default: SITEGEN_LANG, else the site's language)."),
)
def main() -> None:
    """sitegen: build the report site of a public body from Markdown files.

    \b
    Example:
      sitegen init mysite && cd mysite && sitegen build && sitegen serve
    """


def source_option(f=None, *, help: str = N_("The site folder (with sitegen.yaml).")):
    """The --source option every command shares (usable bare or with its own help)."""
    option = click.option(
        "--source",
        "-s",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default=True,
        help=help,
    )
    return option(f) if f is not None else option


def build_options(f):
    f = source_option(f)
    f = click.option("--drafts", is_flag=True, help=N_("Include reports marked draft: true."))(f)
    f = click.option("--future", is_flag=True, help=N_("Include reports dated in the future."))(f)
    f = click.option(
        "--expired", is_flag=True, help=N_("Include reports past their expires date.")
    )(f)
    return f


@main.command("build")
@build_options
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_("Where to write the site (default: <source>/output)."),
)
@click.option(
    "--base-url", default=None, help=N_("Override base_url, e.g. https://www.example.gov.cn/xxgk/.")
)
@click.option(
    "--relative",
    is_flag=True,
    help=N_("Links end in index.html so that the output can be browsed from the file system."),
)
@click.option("--no-cache", is_flag=True, help=N_("Render every page (ignore .sitegen-cache/)."))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help=N_("Processes that render pages (default: one per CPU core)."),
)
@click.option(
    "--force",
    is_flag=True,
    help=N_(
        "Build into an output folder that holds files sitegen did not write: they are "
        "listed, then replaced or removed."
    ),
)
@click.option("--quiet", "-q", is_flag=True, help=N_("Print errors only."))
@click.option("--verbose", "-v", is_flag=True, help=N_("Also list every file written."))
def build_command(
    source: Path,
    output: Path | None,
    base_url: str | None,
    drafts: bool,
    future: bool,
    expired: bool,
    relative: bool,
    no_cache: bool,
    jobs: int | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site into the output folder.

    \b
    Example:
      sitegen build --source . --output output --base-url https://www.example.gov.cn/xxgk/
    """
    options = BuildOptions(
        source=source,
        output=output,
        base_url=base_url,
        drafts=drafts,
        future=future,
        expired=expired,
        relative=relative,
        cache=not no_cache,
        force=force,
    )
    if jobs is not None:
        options.jobs = jobs
    if force:
        announce_removals(options.output_dir)
    # The process ends with the build: its objects need no last collection at exit (for
    # a large site that walk takes longer than an unchanged rebuild's own checks).
    atexit.register(gc.freeze)
    try:
        result = build(options, progress=None if quiet else _progress("rendering"))
    except BuildFailed as exc:
        print_problems(exc.problems, "error")
        click.secho(
            _(
                "build failed with {count} error(s); output/ was left as it was",
                count=len(exc.problems),
            ),
            fg="red",
            err=True,
        )
        sys.exit(1)
    if not quiet:
        print_problems(result.warnings, "warning")
        if verbose:
            for rel in result.files:
                click.echo(_("wrote {file}", file=rel))
        click.echo(summary_line(result))


@main.command("serve")
@source_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=N_("Address to listen on; 0.0.0.0 exposes the preview to your network."),
)
@click.option(
    "--port", "-p", default=8000, show_default=True, help=N_("Port (the next free one if taken).")
)
@click.option("--open", "open_browser", is_flag=True, help=N_("Open the site in a browser."))
@click.option("--drafts", is_flag=True, help=N_("Also show drafts and future-dated reports."))
def serve_command(source: Path, host: str, port: int, open_browser: bool, drafts: bool) -> None:
    """Preview the site with live reload while you edit.

    Builds into a scratch folder (output/ is not touched), serves it, and rebuilds and
    reloads the browser when content, templates, static files, the config or the theme
    change. A broken edit shows its errors in the terminal and over the page.

    \b
    Example:
      sitegen serve --port 8000 --open
    """
    from .serve import serve

    serve(source, host, port, open_browser, drafts)


@main.command("check")
@click.argument(
    "output", type=click.Path(exists=True, file_okay=False, path_type=Path), default="output"
)
@source_option(help=N_("The site folder; its base_url gives the sub-path."))
@click.option(
    "--base-path", default=None, help=N_("Sub-path the site is served under, e.g. /xxgk/.")
)
@click.option("--external", is_flag=True, help=N_("Also check outbound links (needs the network)."))
@click.option("--timeout", default=10.0, show_default=True, help=N_("Seconds per outbound link."))
def check_command(
    output: Path, source: Path, base_path: str | None, external: bool, timeout: float
) -> None:
    """Check a built site: internal links, #fragments, assets, titles, lang, origins.

    \b
    Example:
      sitegen build && sitegen check output
    """
    from .check import check_site
    from .config import load_config

    if base_path is None:
        config = load_config(source, Diagnostics()) if (source / "sitegen.yaml").exists() else None
        base_path = config.base_path if config else "/"
    result = check_site(
        output, base_path if base_path.endswith("/") else base_path + "/", external, timeout
    )
    for line in result.problems + result.external:
        click.echo(line)
    for note in result.notes:
        click.echo(_("note: {note}", note=note), err=True)
    bad = len(result.problems) + len(result.external)
    click.echo(
        _("checked {pages} pages: {count} problem(s)", pages=result.pages, count=bad), err=True
    )
    if bad:
        sys.exit(1)


@main.command("audit")
@source_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=N_("Check the site as of this day, YYYY-MM-DD (default: today in the site's time zone)."),
)
@click.option(
    "--built",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=N_("Check the links of this built site instead of building one into a scratch folder."),
)
@click.option("--external", is_flag=True, help=N_("Also fetch outbound links (needs the network)."))
@click.option("--a11y", is_flag=True, help=N_("Run axe-core in Chromium on one page of each kind."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "json"]),
    default="text",
    show_default=True,
    help=N_("How to write the findings."),
)
@click.option(
    "--output",
    "-o",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write the findings to this file instead of the terminal."),
)
@click.option("--timeout", default=10.0, show_default=True, help=N_("Seconds per outbound link."))
def audit_command(
    source: Path,
    day: dt.datetime | None,
    built: Path | None,
    external: bool,
    a11y: bool,
    fmt: str,
    out: Path | None,
    timeout: float,
) -> None:
    """Check the site against the government website inspection rules (国办秘函〔2019〕19号).

    Exit status: 2 when a finding fails the inspection (单项否决), 1 when one loses points
    (扣分), 0 otherwise; notes (提示) never change it.

    \b
    Example:
      sitegen audit --date 2026-12-01 --format html --output audit.html
    """
    from .audit.axe import A11yUnavailable
    from .audit.findings import exit_status, summary_line
    from .audit.report import FORMATS
    from .audit.run import AuditOptions, run_audit

    options = AuditOptions(
        source=source,
        date=day.date() if day else None,
        built=built,
        external=external,
        a11y=a11y,
        timeout=timeout,
    )
    try:
        result = run_audit(options)
    except A11yUnavailable as exc:
        click.secho(_("error: {problem}", problem=exc), fg="red", err=True)
        sys.exit(1)
    except BuildFailed as exc:  # e.g. a SITEGEN_NOW that cannot be read
        print_problems(exc.problems, "error")
        sys.exit(1)
    text = FORMATS[fmt](result)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        click.echo(summary_line(result.date.isoformat(), result.findings), err=True)
    else:
        click.echo(text, nl=False)
    sys.exit(exit_status(result.findings))


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="某某县人民政府", show_default=True, help=N_("The site's title."))
def init_command(directory: Path, title: str) -> None:
    """Create a new site: a commented sitegen.yaml, one column and one example report.

    In a folder that is not empty only missing files are written; existing files are
    kept as they are (and listed). A folder with a sitegen.yaml is refused.

    \b
    Example:
      sitegen init mysite --title 灌南县司法局 && cd mysite && sitegen build
    """
    from .scaffold import init_site

    try:
        result = init_site(directory, title)
    except BuildFailed as exc:
        print_problems(exc.problems, "error")
        sys.exit(1)
    for file in result.created:
        click.echo(_("created {file}", file=file))
    for file in result.kept:
        click.secho(
            _("kept {file} (it exists already; not overwritten)", file=file), fg="yellow", err=True
        )
    click.echo(_("next: cd {folder} && sitegen build && sitegen serve", folder=directory))


@main.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", default=None, help=N_("The report's title (default: the file name)."))
@source_option
def new_command(path: Path, title: str | None, source: Path) -> None:
    """Create a report from the archetype, dated today, in the column of its folder.

    PATH is relative to content/ (or starts with content/).

    \b
    Example:
      sitegen new xwzx/gsgg/2024-fzzf-report.md --title 2024年度法治政府建设工作报告
    """
    from .scaffold import new_report

    try:
        target, created = new_report(source, path, title)
    except BuildFailed as exc:
        print_problems(exc.problems, "error")
        sys.exit(1)
    for file in created:
        click.echo(_("created column {file}", file=file))
    click.echo(_("created {file}", file=target))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to", "column", required=True, help=N_("The column folder under content/, e.g. xwzx/gsgg.")
)
@source_option
@click.option("--force", is_flag=True, help=N_("Replace a report (and its images) that exists."))
@click.option(
    "--date",
    "date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help=N_("Publication date (default: the document's 成文日期, else today)."),
)
def import_command(
    files: tuple[Path, ...], column: str, source: Path, force: bool, date: dt.datetime | None
) -> None:
    """Turn Word (.docx) documents into reports of a column, with their images.

    FILES are .docx files or folders of them. Each becomes content/COLUMN/<name>.md;
    what was recognised (title, 文号, 主送机关, headings, 附件, signature, 成文日期, 版记,
    tables, images) and what could not be carried over is printed for each.

    \b
    Example:
      sitegen import 关于印发工作要点的通知.docx --to zwgk/zcwj
    """
    from .importer.command import ImportProblem, column_folder, expand, import_file

    try:
        folder = column_folder(source, column)
    except ImportProblem as exc:
        click.secho(
            _("error: {message} ({hint})", message=exc.message, hint=exc.hint), fg="red", err=True
        )
        sys.exit(1)
    failed = 0
    paths = expand(list(files))
    if not paths:
        click.secho(_("error: no Word files found in the folders given"), fg="red", err=True)
        sys.exit(1)
    # "Today" in the site's time zone, as `sitegen new` dates a report.
    from .config import load_config

    config = load_config(source, Diagnostics())
    today = site_now(config.zone if config else zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    for path in paths:
        outcome = import_file(path, folder, force, date.date() if date else None, today)
        if outcome.error:
            failed += 1
            click.secho(
                _(
                    "error: {path}: {message} ({hint})",
                    path=path,
                    message=outcome.error,
                    hint=outcome.hint,
                ),
                fg="red",
                err=True,
            )
            continue
        click.echo(_("imported {path} → {report}", path=path, report=outcome.report))
        for line in outcome.lines:
            click.echo(f"  {line}")
        for line in outcome.unmapped:
            click.secho(_("  not mapped: {item}", item=line), fg="yellow")
    done = len(paths) - failed
    if failed:
        click.echo(
            _(
                "imported {done} of {count} file(s); {failed} failed",
                done=done,
                count=len(paths),
                failed=failed,
            )
        )
    else:
        click.echo(_("imported {done} of {count} file(s)", done=done, count=len(paths)))
    if failed:
        sys.exit(1)
