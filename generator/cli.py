"""The ``sitegen`` command line: thin wrappers around build, serve, check and scaffolding."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .build import BuildOptions, BuildResult, build
from .errors import BuildFailed, Problem

LEFT_OUT_NAMES = {"draft": "drafts", "future": "future-dated", "expired": "expired"}


def print_problems(problems: list[Problem], kind: str) -> None:
    colour = "red" if kind == "error" else "yellow"
    for problem in problems:
        click.secho(f"{kind}: {problem}", fg=colour, err=True)


def summary_line(result: BuildResult) -> str:
    left = ", ".join(
        f"{n} {LEFT_OUT_NAMES.get(k, k)}" for k, n in sorted(result.left_out.items()) if n
    )
    left_text = (
        f"{sum(result.left_out.values())} left out ({left}; see --drafts/--future/--expired)"
        if left
        else "0 left out"
    )
    return (
        f"built {result.pages} pages: {result.written} files written, {result.unchanged} unchanged, "
        f"{result.removed} removed, {left_text} in {result.seconds:.2f} s"
    )


def _progress(label: str):
    def wrap(items):
        items = list(items)
        if not sys.stderr.isatty() or len(items) < 200:
            return items
        return _bar(items, label)

    return wrap


def _bar(items, label):
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen: build the report site of a public body from Markdown files.

    \b
    Example:
      sitegen init mysite && cd mysite && sitegen build && sitegen serve
    """


def build_options(f):
    f = click.option(
        "--source",
        "-s",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default=True,
        help="The site folder (with sitegen.yaml).",
    )(f)
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
    )
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
        click.echo(summary_line(result))
