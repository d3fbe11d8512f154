"""The official page style, shared by every format: A4 with the 党政机关公文 margins, 仿宋 body
and 黑体 headings, table column widths that fill the text width.

Fonts: documents name the fonts Chinese offices have (仿宋, 黑体); where a machine lacks them the
free Noto CJK fonts stand in. HTML lists them as CSS fallbacks; LibreOffice, which makes the PDFs,
is given a fontconfig file (``fonts.conf`` beside this module: the system configuration plus aliases
仿宋 → Noto Serif CJK SC, 黑体 → Noto Sans CJK SC), so the PDF embeds those instead of whatever
fontconfig would pick for an unknown name.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PAGE_CM = (21.0, 29.7)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
BODY_PT = 16.0  # 三号
TITLE_PT = 22.0  # 二号
LINE_PT = 28.0
TABLE_PT = 9.0  # 小五, as the official blank form prints its tables
BODY_CSS = '"仿宋", "FangSong", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif'
HEADING_CSS = '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'

# Label columns first, then equal value columns; every table spans the text width.
_LABEL_CM = {4: (5.1,), 10: (1.3, 1.7, 4.2), 11: (1.2, 1.6, 3.6)}


def column_widths(n_cols: int) -> list[float]:
    """Column widths in cm of a table ``n_cols`` grid columns wide: 4 (table 二), 10 or 11 (table
    三 without or with the 小计 column), 15 (table 四)."""
    labels = _LABEL_CM.get(n_cols, ())
    rest = (TEXT_WIDTH_CM - sum(labels)) / (n_cols - len(labels))
    return [*labels, *([round(rest, 3)] * (n_cols - len(labels)))]


def fontconfig_file() -> Path:
    """The fontconfig file LibreOffice runs with (a real file: the package is installed unzipped)."""
    return Path(str(resources.files("ogi.render").joinpath("fonts.conf")))
