"""The ``sitegen`` command line: thin wrappers around build, serve, check and scaffolding."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import sys
import zoneinfo
from pathlib import Path

import click

from . import __version__
from .build import BuildOptions, BuildResult, build
from .dates import site_now
from .errors import BuildFailed, Diagnostics, Problem
from .walk import REASONS

LEFT_OUT_NAMES = {"draft": "drafts", "future": "future-dated", "expired": "expired"}


def print_problems(problems: list[Problem], kind: str) -> None:
    colour = "red" if kind == "error" else "yellow"
    for problem in problems:
        click.secho(f"{kind}: {problem}", fg=colour, err=True)


def summary_line(result: BuildResult) -> str:
    """One line: pages, files written/unchanged/removed, reports and files left out, time."""
    left = ", ".join(
        f"{n} {LEFT_OUT_NAMES.get(k, k)}" for k, n in sorted(result.left_out.items()) if n
    )
    left_text = (
        f"{sum(result.left_out.values())} reports left out "
        f"({left}; see --drafts/--future/--expired)"
        if left
        else "0 reports left out"
    )
    files = result.files_left_out
    if any(files.values()):
        why = ", ".join(f"{n} {REASONS.get(k, k)}" for k, n in sorted(files.items()) if n)
        left_text += f", {sum(files.values())} files left out ({why})"
    return (
        f"built {result.pages} pages: {result.written} files written, {result.unchanged} unchanged, "
        f"{result.removed} removed, {left_text} in {result.seconds:.2f} s"
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
        f"--force: {len(files)} file(s) in {output} were not written by sitegen; "
        "a successful build replaces or removes them:",
        fg="yellow",
        err=True,
    )
    for rel in files:
        click.echo(f"  remove {rel}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen: build the report site of a public body from Markdown files.

    \b
    Example:
      sitegen init mysite && cd mysite && sitegen build && sitegen serve
    """


def source_option(f=None, *, help: str = "The site folder (with sitegen.yaml)."):
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
    f = click.option("--drafts", is_flag=True, help="Include reports marked draft: true.")(f)
    f = click.option("--future", is_flag=True, help="Include reports dated in the future.")(f)
    f = click.option("--expired", is_flag=True, help="Include reports past their expires date.")(f)
    return f


@main.command("build")
@build_options
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: <source>/output).",
)
@click.option(
    "--base-url", default=None, help="Override base_url, e.g. https://www.example.gov.cn/xxgk/."
)
@click.option(
    "--relative",
    is_flag=True,
    help="Links end in index.html so that the output can be browsed from the file system.",
)
@click.option("--no-cache", is_flag=True, help="Render every page (ignore .sitegen-cache/).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes that render pages (default: one per CPU core).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build into an output folder that holds files sitegen did not write: they are "
    "listed, then replaced or removed.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
@click.option("--verbose", "-v", is_flag=True, help="Also list every file written.")
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
            f"build failed with {len(exc.problems)} error(s); output/ was left as it was",
            fg="red",
            err=True,
        )
        sys.exit(1)
    if not quiet:
        print_problems(result.warnings, "warning")
        if verbose:
            for rel in result.files:
                click.echo(f"wrote {rel}")
        click.echo(summary_line(result))


@main.command("serve")
@source_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 exposes the preview to your network.",
)
@click.option(
    "--port", "-p", default=8000, show_default=True, help="Port (the next free one if taken)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--drafts", is_flag=True, help="Also show drafts and future-dated reports.")
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
@source_option(help="The site folder; its base_url gives the sub-path.")
@click.option("--base-path", default=None, help="Sub-path the site is served under, e.g. /xxgk/.")
@click.option("--external", is_flag=True, help="Also check outbound links (needs the network).")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per outbound link.")
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
        click.echo(f"note: {note}", err=True)
    bad = len(result.problems) + len(result.external)
    click.echo(f"checked {result.pages} pages: {bad} problem(s)", err=True)
    if bad:
        sys.exit(1)


@main.command("audit")
@source_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check the site as of this day, YYYY-MM-DD (default: today in the site's time zone).",
)
@click.option(
    "--built",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Check the links of this built site instead of building one into a scratch folder.",
)
@click.option("--external", is_flag=True, help="Also fetch outbound links (needs the network).")
@click.option("--a11y", is_flag=True, help="Run axe-core in Chromium on one page of each kind.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "json"]),
    default="text",
    show_default=True,
    help="How to write the findings.",
)
@click.option(
    "--output",
    "-o",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the findings to this file instead of the terminal.",
)
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per outbound link.")
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
        click.secho(f"error: {exc}", fg="red", err=True)
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
@click.option("--title", default="某某县人民政府", show_default=True, help="The site's title.")
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
        click.echo(f"created {file}")
    for file in result.kept:
        click.secho(f"kept {file} (it exists already; not overwritten)", fg="yellow", err=True)
    click.echo(f"next: cd {directory} && sitegen build && sitegen serve")


@main.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The report's title (default: the file name).")
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
        click.echo(f"created column {file}")
    click.echo(f"created {target}")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to", "column", required=True, help="The column folder under content/, e.g. xwzx/gsgg."
)
@source_option
@click.option("--force", is_flag=True, help="Replace a report (and its images) that exists.")
@click.option(
    "--date",
    "date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Publication date (default: the document's 成文日期, else today).",
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
        click.secho(f"error: {exc.message} ({exc.hint})", fg="red", err=True)
        sys.exit(1)
    failed = 0
    paths = expand(list(files))
    if not paths:
        click.secho("error: no Word files found in the folders given", fg="red", err=True)
        sys.exit(1)
    # "Today" in the site's time zone, as `sitegen new` dates a report.
    from .config import load_config

    config = load_config(source, Diagnostics())
    today = site_now(config.zone if config else zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    for path in paths:
        outcome = import_file(path, folder, force, date.date() if date else None, today)
        if outcome.error:
            failed += 1
            click.secho(f"error: {path}: {outcome.error} ({outcome.hint})", fg="red", err=True)
            continue
        click.echo(f"imported {path} → {outcome.report}")
        for line in outcome.lines:
            click.echo(f"  {line}")
        for line in outcome.unmapped:
            click.secho(f"  not mapped: {line}", fg="yellow")
    done = len(paths) - failed
    click.echo(
        f"imported {done} of {len(paths)} file(s)" + (f"; {failed} failed" if failed else "")
    )
    if failed:
        sys.exit(1)
