"""Chinese pages that render anywhere: the report, the brief and the validation pages carry the CJK
glyphs they use (analysis/reports/fonts.py), so that a machine with no Chinese font draws them, on
screen and in print. The browser test runs Chromium with a font configuration that holds DejaVu
alone (no CJK font at all), prints the Chinese brief to A4 and asks Chromium which font drew each
Chinese text."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.measures.sweep_data import SweepData
from analysis.reports import fonts
from analysis.reports.report import build_report
from tests.browser_support import ARTIFACTS, CHROMIUM_FLAGS, chromium
from tests.report_support import made_up_run

PAGE = '<html lang="zh"><head><meta charset="utf-8"></head><body><h1>改革会反弹吗？</h1><p>“最多跑一次”与 one window</p></body></html>'


def embedded_cmap(html: str) -> set[int]:
    """The code points the page's embedded font maps."""
    from fontTools.ttLib import TTFont

    data = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", html).group(1)
    return set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())


@pytest.mark.heavy
def test_a_chinese_page_carries_every_glyph_it_uses():
    html = fonts.with_cjk_font(PAGE)
    assert "@font-face" in html and fonts.FAMILY in html
    used = {ord(c) for c in re.sub(r"<style>.*?</style>", "", html, flags=re.S) if ord(c) > 0x2000}
    assert used <= embedded_cmap(html)  # the quotes of the Chinese text too
    assert fonts.with_cjk_font(html) == html  # embedded once


def test_a_page_without_chinese_is_left_alone():
    page = '<html lang="en"><head></head><body><p>“one window” — no data</p></body></html>'
    assert fonts.with_cjk_font(page) == page


def test_the_embedded_family_comes_before_the_machines_fonts():
    """After a font of the machine, Chromium drew a page's first Chinese lines as empty boxes; the
    embedded family goes first, its unicode-range keeping Latin text on the machine's fonts."""
    html = fonts.with_cjk_font(PAGE)
    for rule in re.findall(r"font-family: ([^;]+);", html.split(fonts.EMBEDDED)[1]):
        assert rule.startswith(f'"{fonts.FAMILY}"'), rule
    assert "unicode-range: U+2E80" in html


# the browser --------------------------------------------------------------------------------------
MONTHS, WARMUP = 48, 3
LEVELS = {"internal_reform": 1.0, "public_pressure": 0.5, "pressure_and_technology": 0.5}


def _sweep() -> SweepData:
    results = pd.concat(
        [
            made_up_run(s, k, level, months=MONTHS, warmup=WARMUP)
            for s, level in LEVELS.items()
            for k in range(3)
        ],
        ignore_index=True,
    )
    runs = results["run_id"].unique()
    prov = pd.DataFrame({"run_id": runs, "package_version": "0.3.0", "git_commit": "abc"})
    return SweepData(results, prov, [])


def no_cjk_fonts(folder: Path) -> dict[str, str]:
    """An environment whose font configuration holds DejaVu alone: no Chinese font anywhere."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf), "HOME": str(folder)}


# every element with Chinese in its own text, marked with how many Chinese characters (CJK
# ideographs, punctuation, full-width forms and quotes) it shows, its children's included
MARK_CHINESE = r"""() => {
  const cjk = /[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’]/g;
  let n = 0;
  for (const e of document.body.querySelectorAll('*')) {
    const own = [...e.childNodes].filter(c => c.nodeType === 3).map(c => c.textContent).join('');
    if (!own.match(cjk)) continue;
    e.setAttribute('data-chinese', String((e.innerText.match(cjk) || []).length));
    n++;
  }
  return n;
}"""


def pdf_font_names(pdf: bytes) -> set[str]:
    """The font names a PDF embeds (its streams inflated where they are compressed)."""
    import zlib

    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        body = pdf[m.end() : pdf.find(b"endstream", m.end())]
        try:
            chunks.append(zlib.decompress(body))
        except zlib.error:
            continue
    pattern = rb"/(?:BaseFont|FontName)\s*/([^\s/<>\[\]()]+)"
    return {n.decode("latin-1") for c in chunks for n in re.findall(pattern, c)}


@pytest.mark.browser
def test_the_chinese_brief_prints_on_one_page_with_a_cjk_font_and_no_boxes(tmp_path):
    from playwright.sync_api import sync_playwright

    en = build_report(tmp_path, _sweep(), horizon=24).path.parent
    zh = build_report(tmp_path, _sweep(), horizon=24, lang="zh").path.parent
    out = ARTIFACTS / "report-fonts"
    out.mkdir(parents=True, exist_ok=True)
    env = no_cjk_fonts(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS, env=env)
        try:
            for lang, folder in (("en", en), ("zh", zh)):
                page = browser.new_page(viewport={"width": 1000, "height": 1400})
                page.goto((folder / "brief.html").as_uri())
                page.evaluate("document.fonts.ready.then(() => true)")
                page.screenshot(path=str(out / f"brief-{lang}.png"), full_page=True)
                pdf = page.pdf(path=str(out / f"brief-{lang}.pdf"), format="A4")
                assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, f"{lang}: not one A4 page"
                if lang == "zh":
                    names = pdf_font_names(pdf)
                    assert any("CJK" in n for n in names), names
                    assert _chinese_drawn_with_the_embedded_font(page) > 20
                page.close()
        finally:
            browser.close()


def _chinese_drawn_with_the_embedded_font(page) -> int:
    """Ask Chromium which fonts drew each element with Chinese text: the embedded font must have
    drawn at least as many glyphs as the element shows Chinese characters (a character no font
    has is drawn by another font, as an empty box)."""
    marked = page.evaluate(MARK_CHINESE)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-chinese]"})
    boxes = []
    for node in nodes["nodeIds"]:
        attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        shown = int(dict(zip(attributes[::2], attributes[1::2]))["data-chinese"])
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        drawn = sum(f["glyphCount"] for f in used if "CJK" in f["postScriptName"])
        if drawn < shown:
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            boxes.append((html[:80], shown, used))
    assert not boxes, boxes
    assert len(nodes["nodeIds"]) == marked
    return marked
