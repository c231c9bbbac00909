"""Fonts for figures: matplotlib's DejaVu Sans, falling back to Noto Sans CJK SC (installed from
PyPI with the `mplfonts` package) for Chinese, so that no glyph is missing whatever the language."""

from __future__ import annotations

import functools
from pathlib import Path

CJK_FILE = "NotoSansCJKsc-Regular.otf"


@functools.cache
def use_cjk_fallback() -> str:
    """Register the CJK font with matplotlib and put it after DejaVu Sans; its family name."""
    import matplotlib
    import mplfonts
    from matplotlib import font_manager

    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FILE
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", family]  # a glyph DejaVu lacks: CJK
    return family
