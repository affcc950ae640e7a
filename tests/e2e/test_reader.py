"""The reader side in the browser (issue 14): the reading tools in the header of every page,
their pressed state before any script file runs, the phone header in 长者模式 + 大, visible
focus in every mode, no layout shift on load, one current navigation item, home blocks
that never repeat a report, the 信息公开 table on screen and on paper, and axe everywhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from .helpers import HOME, MISSING, PAGES, REPORT

pytestmark = pytest.mark.e2e

SEARCH = "/xxgk/search/"
KINDS = {**PAGES, "search": SEARCH}
DISCLOSURE_REPORT = "/xxgk/zwgk/zcwj/2021/zwgk-key-points-2021/"
PHONE = {"width": 360, "height": 640}
SIZES = ("large", "medium", "small")
# 长者模式 sets 150 % and with 大 175 % of the browser's 16 px (site.css)
ROOT_PX = {("small", False): 16, ("large", False): 24, ("large", True): 28}


def stored(font: str | None = None, contrast: bool = False) -> str:
    """An init script that puts the reader's choice in localStorage before the first page
    loads (a later page, or a reload, keeps what the reader chose since)."""
    script = "try { if (localStorage.getItem('sitegen-test') === null) {"
    if font:
        script += f"localStorage.setItem('sitegen-font', '{font}');"
    if contrast:
        script += "localStorage.setItem('sitegen-contrast', 'on');"
    return script + "localStorage.setItem('sitegen-test', '1'); } } catch (e) {}"


def reader(new_context: Callable[..., BrowserContext], font=None, contrast=False, **kw) -> Page:
    context = new_context(**kw)
    context.add_init_script(stored(font, contrast))
    return context.new_page()


def pressed(page: Page) -> dict[str, str | None]:
    """aria-pressed of the header's buttons, by data-font (and 'contrast')."""
    return page.evaluate(
        """() => {
            const found = {};
            for (const b of document.querySelectorAll("header .reading-tools button")) {
                found[b.hasAttribute("data-font") ? b.dataset.font : "contrast"] =
                    b.getAttribute("aria-pressed");
            }
            return found;
        }"""
    )


def root_px(page: Page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def goto(page: Page, path: str, **kw):
    response = page.goto(path, **kw)
    assert response is not None
    assert response.status == (404 if path == MISSING else 200), path
    return response


# ------------------------------------------------------------- the reading tools


@pytest.mark.parametrize("kind", list(KINDS))
def test_reading_tools_on_every_page_by_keyboard(
    new_context: Callable[..., BrowserContext], kind: str
) -> None:
    page = reader(new_context)
    goto(page, KINDS[kind])
    tools = page.locator("header.site-header .reading-tools")
    expect(tools).to_be_visible()
    assert pressed(page) == {
        "large": "false",
        "medium": "false",
        "small": "true",
        "contrast": "false",
    }
    large = tools.locator('button[data-font="large"]')
    for _ in range(40):  # Tab from the top of the page to 大
        page.keyboard.press("Tab")
        if large.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reached 大 on {kind}")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-font", "large")
    assert pressed(page)["large"] == "true" and pressed(page)["small"] == "false"
    assert root_px(page) == ROOT_PX[("large", False)]
    # on to 长者模式 by keyboard, then off again
    contrast = tools.locator("button.contrast-switch")
    contrast.focus()
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("data-contrast", "on")
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert root_px(page) == ROOT_PX[("large", True)]
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_attribute("data-contrast", "on")
    expect(contrast).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("localStorage.getItem('sitegen-contrast')") == "off"


@pytest.mark.parametrize("kind", list(KINDS))
def test_elder_mode_set_elsewhere_is_turned_off_here(
    new_context: Callable[..., BrowserContext], kind: str
) -> None:
    page = reader(new_context, "large", contrast=True)
    goto(page, KINDS[kind])
    switch = page.locator("header .contrast-switch")
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    expect(page.locator("html")).not_to_have_attribute("data-contrast", "on")
    expect(switch).to_have_attribute("aria-pressed", "false")
    assert root_px(page) == ROOT_PX[("large", False)]
    page.reload()
    expect(page.locator("html")).not_to_have_attribute("data-contrast", "on")
    assert pressed(page) == {
        "large": "true",
        "medium": "false",
        "small": "false",
        "contrast": "false",
    }


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(
    ("font", "contrast"), [("large", True), ("large", False), ("medium", False)]
)
def test_pressed_state_is_right_before_site_js_runs(
    new_context: Callable[..., BrowserContext], kind: str, font: str, contrast: bool
) -> None:
    """site.js never loads here: what the reader sees is the work of the inline scripts
    alone, which run before the first paint."""
    page = reader(new_context, font, contrast)
    blocked: list[str] = []
    page.route("**/js/site.js", lambda route: (blocked.append(route.request.url), route.abort()))
    goto(page, KINDS[kind], wait_until="load")
    assert blocked, "site.js was not requested: the test would prove nothing"
    assert pressed(page) == {
        **{size: "true" if size == font else "false" for size in SIZES},
        "contrast": "true" if contrast else "false",
    }
    expected = {("medium", False): 20}.get((font, contrast)) or ROOT_PX[(font, contrast)]
    assert root_px(page) == expected
    # the pressed button looks pressed: filled in the main colour, unlike the others
    look = page.evaluate(
        """() => [...document.querySelectorAll("header .font-switch button")].map(
            b => [b.dataset.font, getComputedStyle(b).backgroundColor])"""
    )
    colours = dict(look)
    assert all(colours[font] != colours[other] for other in SIZES if other != font), look


# ----------------------------------------------------------------- the phone header


def line_count(page: Page, selector: str) -> list[tuple[str, int]]:
    """(text, number of lines) of each visible element matching ``selector``."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length)
            .map(el => {
                const range = document.createRange();
                range.selectNodeContents(el);
                const tops = new Set([...range.getClientRects()]
                    .filter(r => r.width > 0.5).map(r => Math.round(r.bottom)));
                return [el.textContent.trim(), tops.size];
            })""",
        selector,
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_phone_header_in_elder_mode_with_large_text(
    new_context: Callable[..., BrowserContext], kind: str
) -> None:
    page = reader(new_context, "large", contrast=True, viewport=PHONE, has_touch=True)
    goto(page, KINDS[kind])
    assert root_px(page) == 28
    top = page.locator("main h1").first.evaluate("h => h.getBoundingClientRect().top")
    assert top < PHONE["height"], f"the page title starts {top}px down on {kind}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # the site name on one line, whole (nothing cut by the ellipsis)
    names = line_count(page, ".site-name-text")
    assert len(names) == 1 and names[0][1] == 1, names
    name = page.locator(".site-name-text")
    assert name.evaluate("el => el.scrollWidth <= el.clientWidth + 0.5"), "site name cut off"

    # the search placeholder fits its box
    fits = page.evaluate(
        """() => {
            const input = document.querySelector("header input[type=search]");
            const s = getComputedStyle(input);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
            const text = ctx.measureText(input.placeholder).width;
            const box = input.clientWidth - parseFloat(s.paddingLeft)
                - parseFloat(s.paddingRight);
            return [text, box];
        }"""
    )
    assert fits[0] <= fits[1], f"placeholder {fits[0]:.0f}px in a {fits[1]:.0f}px box"

    # the menu: closed in the first paint, opened by its button; labels never split
    menu = page.locator("details.nav-menu")
    expect(menu).not_to_have_attribute("open", "")
    links = page.locator("nav.main-nav a")
    expect(links.first).to_be_hidden()
    page.locator("summary.menu-toggle").click()
    expect(links.first).to_be_visible()
    labels = line_count(page, "nav.main-nav a")
    assert len(labels) == links.count() and all(n == 1 for _, n in labels), labels
    crumbs = line_count(page, "nav.breadcrumb a, nav.breadcrumb [aria-current]")
    assert all(n == 1 for _, n in crumbs), crumbs
    # a date is never split (meta line, lists, tables)
    dates = line_count(page, "main time, main .date")
    assert all(n == 1 for _, n in dates), dates


def test_phone_menu_works_without_javascript(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    goto(page, HOME)
    links = page.locator("nav.main-nav a")
    for i in range(links.count()):
        expect(links.nth(i)).to_be_visible()
    # and the button still folds it
    page.locator("summary.menu-toggle").click()
    expect(links.first).to_be_hidden()


def test_disclosure_dates_stay_whole_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = reader(new_context, "large", contrast=True, viewport=PHONE)
    goto(page, DISCLOSURE_REPORT)
    dates = line_count(page, ".disclosure .date, .report-meta time")
    assert len(dates) >= 2 and all(n == 1 for _, n in dates), dates


# ------------------------------------------------------------------------- focus

FOCUS_INFO = """() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const rgba = colour => {  // any CSS colour (rgb, lch, color-mix …) as sRGB bytes
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = "rgba(0, 0, 0, 0)";
        ctx.fillStyle = colour;
        ctx.fillRect(0, 0, 1, 1);
        const d = ctx.getImageData(0, 0, 1, 1).data;
        return [d[0], d[1], d[2], d[3] / 255];
    };
    const behind = start => {  // the colour painted behind, compositing see-through layers
        const layers = [];
        for (let el = start; el; el = el.parentElement) {
            const c = rgba(getComputedStyle(el).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        let out = [255, 255, 255];
        for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
        return out;
    };
    const lum = c => {
        const [r, g, b] = c.slice(0, 3).map(v => {
            v /= 255;
            return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const el = document.activeElement;
    el.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
    const s = getComputedStyle(el);
    const offset = parseFloat(s.outlineOffset) || 0, width = parseFloat(s.outlineWidth) || 0;
    const ring = lum(rgba(s.outlineColor));
    // What the ring is drawn over, in the middle of each side: the background painted at
    // that point (the ring lies `offset` outside the border box, `width` wide)
    const r = el.getBoundingClientRect(), d = offset + width / 2;
    const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    const points = [[cx, r.top - d], [cx, r.bottom + d], [r.left - d, cy], [r.right + d, cy]];
    const ratios = [];
    for (const [x, y] of points) {
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const under = document.elementFromPoint(x, y);
        if (!under) continue;
        const b = lum(behind(under));
        ratios.push((Math.max(ring, b) + 0.05) / (Math.min(ring, b) + 0.05));
    }
    return {
        what: `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
            + `"${(el.textContent || el.placeholder || "").trim().slice(0, 16)}"`,
        style: s.outlineStyle, width, ratios,
        visible: el.getClientRects().length > 0,
        body: el === document.body,
    };
}"""


def tab_stops(page: Page, limit: int = 70) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
        if info["body"]:
            break
        if info["visible"]:
            stops.append(info)
    return stops


@pytest.mark.parametrize(
    ("mode", "font", "contrast", "viewport"),
    [
        ("normal", None, False, None),
        ("large text", "large", False, None),
        ("长者模式", None, True, None),
        ("长者模式 phone", "large", True, PHONE),
    ],
)
@pytest.mark.parametrize("path", [REPORT, HOME, SEARCH])
def test_focus_is_visible_with_3_to_1_contrast(
    new_context: Callable[..., BrowserContext], mode, font, contrast, viewport, path
) -> None:
    # no smooth scrolling: each focused element is measured where it ends up
    options = {"viewport": viewport} if viewport else {}
    page = reader(new_context, font, contrast, reduced_motion="reduce", **options)
    goto(page, path)
    if viewport:
        # open the menu without moving the focus: the nav links are tab stops too
        page.locator("details.nav-menu").evaluate("d => { d.open = true; }")
    stops = tab_stops(page)
    assert len(stops) >= 12, stops
    kinds = {s["what"].split(" ")[0] for s in stops}
    assert any("menu-toggle" in k for k in kinds) == bool(viewport)

    def seen(stop: dict) -> bool:
        # 3:1 against what it is drawn over on at least three of its four sides (all, where
        # fewer are on screen): a ring seen as two thin lines fails
        good = sum(ratio >= 3 for ratio in stop["ratios"])
        return bool(stop["ratios"]) and good >= min(3, len(stop["ratios"]))

    bad = [s for s in stops if s["style"] == "none" or s["width"] < 2 or not seen(s)]
    assert not bad, f"{mode} on {path}: focus hard to see on " + "; ".join(
        f"{s['what']} ({s['style']} {s['width']}px, "
        + ", ".join(f"{r:.2f}" for r in s["ratios"])
        + ")"
        for s in bad
    )


# -------------------------------------------------------------------- layout shift

CLS_OBSERVER = """
window.__shifts = [];
window.__shiftObserver = new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
});
window.__shiftObserver.observe({ type: "layout-shift", buffered: true });
"""
CLS_TOTAL = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
    for (const e of window.__shiftObserver.takeRecords())
        if (!e.hadRecentInput) window.__shifts.push(e.value);
    done(window.__shifts.reduce((a, b) => a + b, 0));
})))"""


@pytest.mark.parametrize(
    ("path", "viewport", "font", "contrast"),
    [
        (REPORT, {"width": 800, "height": 900}, None, False),
        (REPORT, {"width": 1000, "height": 700}, "large", False),
        (REPORT, PHONE, "large", True),
        (HOME, PHONE, None, False),
        (REPORT, {"width": 1280, "height": 900}, None, False),
    ],
)
def test_no_layout_shift_on_load(
    new_context: Callable[..., BrowserContext], path, viewport, font, contrast
) -> None:
    context = new_context(viewport=viewport)
    context.add_init_script(stored(font, contrast))
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    goto(page, path, wait_until="load")
    cls = page.evaluate(CLS_TOTAL)
    assert cls < 0.01, f"layout shift {cls:.3f} on {path} at {viewport}"
    # the table of contents was decided in the first paint: closed below 1024 px
    if path == REPORT:
        toc_open = page.locator("nav.toc details").evaluate("d => d.open")
        assert toc_open == (viewport["width"] >= 1024)
    # the measure itself works: a block pushed in at the top is a shift it sees
    page.evaluate(
        """() => { const d = document.createElement("div"); d.style.height = "300px";
                   document.body.prepend(d); }"""
    )
    assert page.evaluate(CLS_TOTAL) > 0.05


# ------------------------------------------------------------------------ navigation

NAV_ITEMS = """() => {
    const nav = document.querySelector("nav.main-nav");
    const navBg = getComputedStyle(nav).backgroundColor;
    return [...nav.querySelectorAll("a")].map(a => {
        const s = getComputedStyle(a), r = a.getBoundingClientRect();
        return { text: a.textContent.trim(), current: a.getAttribute("aria-current"),
                 ancestor: a.classList.contains("nav-ancestor"),
                 width: r.width, navWidth: nav.getBoundingClientRect().width,
                 dark: s.backgroundColor !== "rgba(0, 0, 0, 0)" && s.backgroundColor !== navBg,
                 weight: parseInt(s.fontWeight), bar: s.borderBottomStyle };
    });
}"""


@pytest.mark.parametrize("contrast", [False, True])
@pytest.mark.parametrize(
    ("viewport", "what"),
    [({"width": 1280, "height": 900}, "desktop"), ({"width": 640, "height": 450}, "200 %")],
)
def test_one_current_nav_item_and_no_dark_band(
    new_context: Callable[..., BrowserContext], viewport, what, contrast
) -> None:
    page = reader(new_context, None, contrast, viewport=viewport)
    goto(page, REPORT)  # in 公示公告, a sub-column of 新闻中心: both are nav items
    items = page.evaluate(NAV_ITEMS)
    current = [i for i in items if i["current"]]
    assert [(i["text"], i["current"]) for i in current] == [("公示公告", "true")], items
    ancestors = [i for i in items if i["ancestor"]]
    assert [i["text"] for i in ancestors] == ["新闻中心"]
    (cur,), (anc,) = current, ancestors
    assert cur["weight"] >= 700 and anc["weight"] < 700  # the ancestor is quieter
    assert anc["bar"] == "dotted" and cur["bar"] == "solid"
    if not contrast:
        assert cur["dark"] and not anc["dark"]
    for item in items:  # no item, wrapped or not, is a band across the bar
        assert item["width"] < 0.6 * item["navWidth"], (what, item)


def test_home_blocks_never_repeat_a_report(page: Page) -> None:
    goto(page, HOME)
    blocks = page.evaluate(
        """() => [...document.querySelectorAll(".home-grid .block")].map(b => [
            b.querySelector("h2").textContent.trim(),
            [...b.querySelectorAll(".report-list a")].map(a => new URL(a.href).pathname)])"""
    )
    hrefs = [h for _, links in blocks for h in links]
    assert len(hrefs) == len(set(hrefs)), blocks
    titles = [t for t, _ in blocks]
    # the sample nav nests 公示公告 in 新闻中心 and both 政府信息公开 children in it
    assert "公示公告" in titles and "新闻中心" in titles and "政府信息公开" not in titles
    news = dict(blocks)["新闻中心"]
    assert news and all(not h.startswith("/xxgk/xwzx/gsgg/") for h in news)


# --------------------------------------------------------------- 信息公开 table

TABLE_CELLS = """() => [...document.querySelectorAll("table.disclosure tr")].map(tr =>
    [...tr.cells].map(c => {
        const r = c.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(c);
        const lines = new Set([...range.getClientRects()].filter(x => x.width > 0.5)
            .map(x => Math.round(x.bottom))).size;
        return { tag: c.tagName, text: c.textContent.trim(), width: r.width, top: r.top,
                 lines, span: c.colSpan };
    }))"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_disclosure_labels_narrow_values_wide_no_half_rows(page: Page, media: str) -> None:
    goto(page, DISCLOSURE_REPORT)
    page.emulate_media(media=media)
    rows = page.evaluate(TABLE_CELLS)
    assert len(rows) >= 4
    for cells in rows:
        assert sum(c["span"] for c in cells) == 4, cells
        assert all(c["text"] for c in cells), cells
        assert len({round(c["top"]) for c in cells}) == 1, cells  # one row on screen
        for label, value in zip(cells[::2], cells[1::2], strict=True):
            assert label["tag"] == "TH" and value["tag"] == "TD"
            assert label["lines"] == 1, label  # 索引号, 成文日期 … never wrap
            assert label["width"] < 0.6 * value["width"], (label, value)
    odd_last = rows[-1]
    if len(odd_last) == 2:
        assert odd_last[1]["span"] == 3
        assert odd_last[1]["width"] > 2 * rows[0][1]["width"]


# --------------------------------------------------------------------------- axe

AXE = Axe()


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("mode", ["normal", "elder-large-phone"])
def test_axe_finds_nothing_serious(
    new_context: Callable[..., BrowserContext], kind: str, mode: str
) -> None:
    if mode == "normal":
        page = reader(new_context)
    else:
        page = reader(new_context, "large", contrast=True, viewport=PHONE)
    goto(page, KINDS[kind])
    if mode != "normal":
        page.locator("summary.menu-toggle").click()
    results = AXE.run(page)
    bad = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:4]]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"axe on {kind} ({mode}):\n" + "\n".join(bad)
