"""Find a theme, build its Jinja environment and load its UI strings (i18n)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache

from .cachefile import TEMPLATE_CACHE_NAME, Damaged, read, write
from .config import SiteConfig
from .errors import Diagnostics
from .frontmatter import decode, warn_removed
from .messages import _
from .schema import did_you_mean, wrong_type
from .yamlsource import YamlError, parse_yaml

PACKAGE_DIR = Path(__file__).resolve().parent
AUTOESCAPED = ("html", "htm", "xml", "svg")  # template file endings that are escaped


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates in checksummed files (``cachefile``): a damaged one is
    compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            payload = read(Path(self._get_cache_filename(bucket)))
        except (OSError, Damaged):
            return  # as if it were not there: Jinja compiles the template and stores it again
        try:
            bucket.bytecode_from_string(payload)
        except Exception:  # a file of another Jinja or Python: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # the cache is an aid: the build goes on without it
            write(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())


def theme_search_path(config: SiteConfig) -> list[Path]:
    """Where themes are looked for: the site's own themes/, then the ones sitegen ships."""
    return [
        config.root / "themes",
        PACKAGE_DIR / "themes",  # inside an installed wheel
        PACKAGE_DIR.parent / "themes",  # a source checkout / editable install
    ]


@dataclass
class Theme:
    name: str
    dir: Path
    template_dirs: list[Path]  # site overrides first
    static_dirs: list[Path]  # theme first, site's static/ last (it wins)
    strings: dict[str, str]


def _shown(path: Path, root: Path) -> str:
    """A path as messages print it: relative to the site folder when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _load_strings(path: Path, shown: str, diag: Diagnostics) -> dict[str, str]:
    """The UI strings of one i18n file (``key: text`` lines); problems go to ``diag``."""
    text = decode(path.read_bytes(), shown, diag)
    if text is None:
        return {}
    try:
        doc = parse_yaml(text)
    except YamlError as exc:
        diag.error(
            shown,
            _("malformed YAML: {problem}", problem=exc.message),
            exc.line,
            exc.hint or _("check the indentation, and quote texts that contain ':'"),
        )
        return {}
    warn_removed(doc, shown, diag)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        diag.error(
            shown,
            _("UI strings must be 'key: text' lines, not a list or a single text"),
            1,
            _("e.g. {example}", example="search_title: 站内搜索"),
        )
        return {}
    strings: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict | list) or value is None or isinstance(value, bool):
            diag.error(
                shown,
                wrong_type(str(key), (str,), value),
                doc.line(str(key)),
                _("e.g. {example}; put text with ':' or '[' in quotes", example=f"{key}: 站内搜索"),
            )
            continue
        strings[str(key)] = str(value)
    return strings


def _check_templates(template_dirs: list[Path], root: Path, diag: Diagnostics) -> None:
    """Every template the build may load is UTF-8 (Jinja would fail on it mid-render,
    once per page); the site's own file of a name hides the theme's."""
    seen: set[str] = set()
    for folder in template_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if name in seen or not path.is_file() or path.name.startswith("."):
                continue
            seen.add(name)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                diag.error(
                    _shown(path, root), _("cannot read the template: {reason}", reason=exc.strerror)
                )
                continue
            decode(raw, _shown(path, root), diag)


def load_theme(config: SiteConfig, diag: Diagnostics) -> Theme | None:
    found = next(
        (d / config.theme for d in theme_search_path(config) if (d / config.theme).is_dir()), None
    )
    if found is None:
        available = sorted(
            {
                p.name
                for d in theme_search_path(config)
                if d.is_dir()
                for p in d.iterdir()
                if p.is_dir()
            }
        )
        hint = did_you_mean(config.theme, available) or _(
            "available themes: {available}; set theme: default or put the theme in {folder}",
            available=", ".join(available) or _("none"),
            folder=config.root / "themes" / config.theme,
        )
        diag.error(
            "sitegen.yaml",
            _("theme '{theme}' not found", theme=config.theme),
            config.lines.get(("theme",)),
            hint,
        )
        return None
    i18n_name = f"{config.language}.yaml"
    strings: dict[str, str] = {}
    base = found / "i18n" / "zh-CN.yaml"
    root = config.root
    if base.is_file():
        strings.update(_load_strings(base, _shown(base, root), diag))
    own = found / "i18n" / i18n_name
    if own.is_file():
        if own != base:  # zh-CN.yaml is read once
            strings.update(_load_strings(own, _shown(own, root), diag))
    else:
        diag.warn(
            "sitegen.yaml",
            _(
                "theme '{theme}' has no UI strings for language '{language}'",
                theme=config.theme,
                language=config.language,
            ),
            hint=_("add {file} or set language: zh-CN; Chinese strings are used", file=own),
        )
    site_strings = config.root / "i18n" / i18n_name
    if site_strings.is_file():
        strings.update(_load_strings(site_strings, _shown(site_strings, root), diag))
    template_dirs = [config.root / "templates", found / "templates"]
    _check_templates(template_dirs, root, diag)
    return Theme(
        name=config.theme,
        dir=found,
        template_dirs=template_dirs,
        static_dirs=[found / "static", config.root / "static"],
        strings=strings,
    )


def make_environment(theme: Theme, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Autoescaping for HTML, XML and SVG templates only (robots.txt and other text is
    written as it is), strict undefined; compiled templates kept in ``bytecode_dir``
    (Jinja checks each template's source before it reuses one). One environment serves
    one build, so templates are not checked for changes on every page."""
    cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        # Checksummed files (``.sgc``): a damaged one is compiled again, never run.
        cache = TemplateCache(str(bytecode_dir), TEMPLATE_CACHE_NAME)
    env = jinja2.Environment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs if d.is_dir()]),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=AUTOESCAPED, disabled_extensions=(), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return env
