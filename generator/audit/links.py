"""Links (链接可用性): every internal link, fragment, image and attachment of the built site
resolves (``sitegen check``'s scan), and with ``--external`` every outbound link answers."""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..check import Broken, check_site
from ..messages import _
from .findings import POINTS, Finding

HOME_PAGE = "index.html"


def _is_attachment(item: Broken) -> bool:
    """A link to a file that is not a page (a PDF, a spreadsheet …) that does not resolve."""
    path = item.link.split("#", 1)[0].split("?", 1)[0]
    ext = posixpath.splitext(path.rstrip("/"))[1].lower()
    return item.kind == "missing" and ext not in ("", ".html", ".htm")


def link_findings(
    output: Path, base_path: str, external: bool, timeout: float
) -> tuple[list[Finding], int]:
    """Findings for the site built in ``output``, and the number of pages checked."""
    result = check_site(output, base_path, external, timeout)
    findings: list[Finding] = []
    for item in result.broken:
        if _is_attachment(item):
            rule, name = "attachment", _("Attachment cannot be downloaded (附件无法下载)")
        elif item.page == HOME_PAGE:
            rule, name = "home-link", _("Broken link on the home page (首页链接不可用)")
        else:
            rule, name = "broken-link", _("Broken link (链接不可用)")
        findings.append(
            Finding(
                POINTS,
                rule,
                name,
                item.page,
                _("{page}: {link} ({reason})", page=item.page, link=item.link, reason=item.reason),
                _("fix or remove the link in the report or template that writes it"),
            )
        )
    for item in result.external_broken:
        findings.append(
            Finding(
                POINTS,
                "external-link",
                _("Broken outbound link (外部链接不可用)"),
                item.page,
                _(
                    "{link} answers {reason} (linked from {page})",
                    link=item.link,
                    reason=item.reason,
                    page=item.page,
                ),
                _("update the address or remove the link"),
            )
        )
    return findings, result.pages
