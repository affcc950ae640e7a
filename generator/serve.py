"""`sitegen serve`: build into a scratch folder, serve it, rebuild on change, reload the browser."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from .build import BuildOptions, BuildResult, build
from .config import CONFIG_NAME, load_config
from .errors import BuildFailed, Diagnostics, Problem
from .theme import load_theme

ERRORS_SCRIPT = "_sitegen/errors.js"

# Shown over the page when the last rebuild failed; the page comes back by itself once fixed.
OVERLAY = """(function(errors){
if(!errors.length)return;
function show(){var box=document.createElement("section");
box.setAttribute("role","alert");box.setAttribute("id","sitegen-errors");
box.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;"+
"background:#fff;color:#000;border-top:6px solid #b00020;padding:1rem 1.5rem;font:1rem/1.6 monospace;white-space:pre-wrap";
var h=document.createElement("h2");h.textContent="sitegen: the last rebuild failed ("+errors.length+")";
box.appendChild(h);for(var i=0;i<errors.length;i++){var p=document.createElement("p");
p.textContent=errors[i];box.appendChild(p);}document.body.appendChild(box);}
if(document.body)show();else document.addEventListener("DOMContentLoaded",show);
})(%s);
"""


def free_port(host: str, wanted: int, tries: int = 50) -> int:
    """``wanted`` when it is free, else the next free port above it."""
    for port in range(wanted, wanted + tries):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise click.ClickException(f"no free port between {wanted} and {wanted + tries - 1} on {host}")


def write_errors_script(root: Path, problems: list[Problem]) -> None:
    target = root / ERRORS_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps([str(p) for p in problems], ensure_ascii=False)
    target.write_text(OVERLAY % payload, encoding="utf-8")


class Rebuilder:
    """Runs builds for the server and reports their outcome in the terminal and the browser."""

    def __init__(self, options: BuildOptions, echo: Callable[[str], None] = click.echo):
        self.options = options
        self.echo = echo

    def __call__(self) -> BuildResult | None:
        try:
            result = build(self.options)
        except BuildFailed as exc:
            for problem in exc.problems:
                click.secho(f"error: {problem}", fg="red", err=True)
            click.secho("rebuild failed; the last good pages are still served", fg="red", err=True)
            write_errors_script(self.options.output_dir, exc.problems)
            return None
        write_errors_script(self.options.output_dir, [])
        if self.options.search_index:
            # Re-indexing every report on each save would make previews wait: the index of
            # the first build is kept (search shows it until the server restarts).
            self.options.search_index = False
        for warning in result.warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
        self.echo(
            f"rebuilt: {result.written} files written, {result.unchanged} unchanged "
            f"in {result.seconds:.2f} s"
        )
        return result


def write_failure_page(root: Path) -> None:
    """A stand-in home page while the first build fails: it shows the errors (through the
    overlay script) and is replaced by the real page once the site builds."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>sitegen</title>'
        f'<script src="{ERRORS_SCRIPT}"></script></head><body><h1>sitegen</h1>'
        "<p>The site does not build yet. 站点尚未生成。</p></body></html>",
        encoding="utf-8",
    )


def watched_paths(source: Path) -> list[Path]:
    paths = [source / CONFIG_NAME]
    paths += [source / name for name in ("content", "templates", "static", "themes", "i18n")]
    return [p for p in paths if p.exists()]


def theme_dir(source: Path) -> Path | None:
    """The folder of the site's theme, to watch it too (None when it cannot be found yet)."""
    diag = Diagnostics()
    config = load_config(source, diag)
    theme = load_theme(config, diag) if config else None
    return theme.dir if theme else None


def serve(source: Path, host: str, port: int, open_browser: bool, drafts: bool) -> None:
    from livereload import Server  # imported here: only the serve command needs tornado

    scratch = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    options = BuildOptions(
        source=source, output=scratch / "site", drafts=drafts, future=drafts, dev=True
    )
    rebuild = Rebuilder(options)
    first = rebuild()
    if first is None:
        click.secho(
            "the first build failed: fix the errors above; the server keeps watching",
            fg="yellow",
            err=True,
        )
        write_failure_page(scratch / "site")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(
            f"listening on {host}: the preview is reachable from your network",
            fg="yellow",
            err=True,
        )
    chosen = free_port(host, port)
    if chosen != port:
        click.secho(f"port {port} is in use on {host}; serving on {chosen} instead", fg="yellow")
    server = Server()
    for path in watched_paths(source):
        server.watch(str(path), rebuild, delay=0.2)
    theme = theme_dir(source)
    if theme is not None and not theme.resolve().is_relative_to(source.resolve()):
        server.watch(str(theme), rebuild, delay=0.2)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    click.echo(f"serving {source.resolve()} at http://{host}:{chosen}/ (Ctrl+C to stop)")
    try:
        server.serve(
            port=chosen,
            host=host,
            root=str(scratch / "site"),
            open_url_delay=0.5 if open_browser else None,
            restart_delay=0,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
