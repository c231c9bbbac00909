"""Fonts: Noto Sans CJK SC, installed from PyPI with the `mplfonts` package, for every Chinese
character the project draws or writes.

- Figures: matplotlib's DejaVu Sans, falling back to Noto Sans CJK SC, so that no glyph is
  missing whatever the language.
- Pages (the comparison report, its brief, the validation report): the glyphs a page uses,
  subset from the same font and embedded in it as a base64 @font-face, so that Chinese renders
  (on screen and in a printed PDF) on a machine with no Chinese font installed. A page with no
  CJK character gets nothing.

`python -m analysis.reports.fonts PAGE.html ...` embeds the font into pages built before it was (a
committed report), in place.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import sys
from pathlib import Path

CJK_FILE = "NotoSansCJKsc-Regular.otf"
FAMILY = "Noto Sans CJK SC"  # the CSS family of the embedded subset
# Han ideographs, CJK symbols and punctuation, fullwidth forms: what DejaVu Sans lacks
CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
EMBEDDED = "/* reform-dynamics: embedded CJK font */"


def cjk_path() -> Path:
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / CJK_FILE


@functools.cache
def use_cjk_fallback() -> str:
    """Register the CJK font with matplotlib and put it after DejaVu Sans; its family name."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", family]  # a glyph DejaVu lacks: CJK
    return family


def with_cjk_font(html: str) -> str:
    """`html` with the CJK glyphs it uses embedded in a <style> at the end of its <head>, and the
    family added to every font list of the page (after the Latin fonts, before the generic
    sans-serif); unchanged if it has no CJK character or already carries the font."""
    found = set(CJK.findall(html))
    if not found or EMBEDDED in html or "</head>" not in html:
        return html
    chinese = bool(re.search(r'<html lang="zh', html))
    if chinese:  # quotes and dashes in Chinese text are full width, as the CJK font draws them
        found |= set(PUNCTUATION) & set(html)
    chars = "".join(sorted(found))
    style = f"<style>\n{EMBEDDED}\n{font_face(chars, chinese)}\n{FONT_LISTS}\n</style>\n"
    return html.replace("</head>", style + "</head>", 1)


# the ranges the embedded family serves: Latin text keeps the machine's own fonts
RANGES = "U+2E80-2FDF, U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF"
PUNCTUATION = "‘’“”—…·"
PUNCTUATION_RANGES = "U+2018-2019, U+201C-201D, U+2014, U+2026, U+00B7"
# the pages' font lists with the embedded family first: after a font of the machine, Chromium
# drew the first lines it laid out (a heading, a table's first rows) with empty boxes, as if the
# embedded font were missing; its unicode-range leaves everything else to the fonts after it
FONT_LISTS = (
    f'body, table, td, th, figcaption, .badge {{ font-family: "{FAMILY}", system-ui, '
    f'-apple-system, "Segoe UI", sans-serif; }}\n'
    f'code, pre {{ font-family: "{FAMILY}", ui-monospace, "DejaVu Sans Mono", monospace; }}'
)


@functools.lru_cache(maxsize=16)
def font_face(chars: str, chinese: bool = False) -> str:
    """A @font-face rule whose source is a WOFF subset of Noto Sans CJK SC holding `chars`; on a
    Chinese page its quotes and dashes as well."""
    data = base64.b64encode(subset(chars)).decode("ascii")
    ranges = f"{RANGES}, {PUNCTUATION_RANGES}" if chinese else RANGES
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400; '
        f"font-display: block; unicode-range: {ranges}; "
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )


def subset(chars: str) -> bytes:
    """Noto Sans CJK SC cut down to `chars` (no hinting), as WOFF (zlib: no brotli needed)."""
    from fontTools import subset as ft

    options = ft.Options()
    options.flavor = "woff"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["*"]  # vertical forms and punctuation width stay right
    font = ft.load_font(str(cjk_path()), options)
    subsetter = ft.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    ft.save_font(font, out, options)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Embed the font into each page named on the command line (a page with it already, or with
    no Chinese, is left as it is)."""
    for name in argv if argv is not None else sys.argv[1:]:
        path = Path(name)
        html = path.read_text(encoding="utf-8")
        done = with_cjk_font(html)
        if done != html:
            path.write_text(done, encoding="utf-8")
        print(f"{path}: {'font embedded' if done != html else 'unchanged'}")


if __name__ == "__main__":
    main()
