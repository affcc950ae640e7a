"""Basic information (基本信息): the items every government site must show, present and well
formed: 网站标识码, ICP备案号, 公安备案号, 党政机关网站标识, 主办单位, contact, 网站地图 and
我为政府网站找错."""

from __future__ import annotations

import re

from ..config import CONFIG_NAME, SiteConfig
from ..messages import _
from .findings import POINTS, Finding

SITE_ID = re.compile(r"[0-9A-Za-z]{10}")
# 苏ICP备05005881号, 京ICP备2021012345号-1: a province, ICP备, digits, 号, an optional -n.
ICP = re.compile(r"[\u4e00-\u9fff]ICP备\d{6,10}号(-\d{1,3})?")
# 苏公网安备32072402000123号: a province, 公网安备, 14 digits, 号.
POLICE = re.compile(r"[\u4e00-\u9fff]公网安备\s?\d{14}号")


def basic_findings(config: SiteConfig, has_sitemap: bool) -> list[Finding]:
    footer = config.footer
    name = _("Basic information (基本信息)")
    findings: list[Finding] = []

    def add(subject: str, message: str, action: str, *key: str) -> None:
        line = config.lines.get(key) if key else None
        findings.append(
            Finding(POINTS, "basic-info", name, subject, message, action, "", CONFIG_NAME, line)
        )

    def present(value: str, subject: str, example: str, *key: str) -> bool:
        if value.strip():
            return True
        add(
            subject,
            _("this item is missing"),
            _("set {key} in sitegen.yaml, e.g. {example}", key=".".join(key), example=example),
        )
        return False

    def formed(
        value: str, pattern: re.Pattern[str], subject: str, wrong: str, fix: str, *key: str
    ) -> None:
        if pattern.fullmatch(value.strip()):
            return
        add(subject, wrong, fix, *key)

    site_id = _("site identification code (网站标识码)")
    value = config.site_id_code
    if present(value, site_id, "site_id_code: '3207240001'", "site_id_code"):
        formed(
            value,
            SITE_ID,
            site_id,
            _("{value!r} is not 10 letters or digits", value=value),
            _("copy the code from the government website census system"),
            "site_id_code",
        )
    icp = _("ICP record number (ICP备案号)")
    value = footer.get("icp", "")
    if present(value, icp, "icp: 苏ICP备05005881号", "footer", "icp"):
        formed(
            value,
            ICP,
            icp,
            _("{value!r} is not like 苏ICP备05005881号", value=value),
            _("copy it from beian.miit.gov.cn"),
            "footer",
            "icp",
        )
    police = _("public security record number (公安备案号)")
    value = footer.get("police_record", "")
    example = "police_record: 苏公网安备32072402000123号"
    if present(value, police, example, "footer", "police_record"):
        formed(
            value,
            POLICE,
            police,
            _("{value!r} is not like 苏公网安备32072402000123号", value=value),
            _("copy it from beian.mps.gov.cn"),
            "footer",
            "police_record",
        )
    dzjg = _("party and government website mark (党政机关网站标识)")
    present(
        footer.get("dzjg_image", ""), dzjg, "dzjg_image: images/dzjg.png", "footer", "dzjg_image"
    )
    if footer.get("dzjg_image", "").strip():
        present(
            footer.get("dzjg_link", ""),
            _("link of the party and government website mark (党政机关网站标识)"),
            "dzjg_link: https://bszs.conac.cn/sitename?method=show&id=…",
            "footer",
            "dzjg_link",
        )
    present(
        footer.get("sponsor", ""),
        _("sponsor (主办单位)"),
        "sponsor: 灌南县人民政府办公室",
        "footer",
        "sponsor",
    )
    if not any(footer.get(k, "").strip() for k in ("phone", "email", "address")):
        add(
            _("contact (联系方式)"),
            _("this item is missing"),
            _("set footer.phone, footer.email or footer.address in sitegen.yaml"),
        )
    if not has_sitemap:
        add(
            _("site map (网站地图)"),
            _("this item is missing"),
            _("use a theme with a site map page (the default theme has one)"),
        )
    present(
        footer.get("error_report_url", ""),
        _("error reporting link (我为政府网站找错)"),
        "error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=…",
        "footer",
        "error_report_url",
    )
    return findings
