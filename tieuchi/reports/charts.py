"""Charts for the .docx reports, drawn with matplotlib (Agg, no display) as PNG bytes.

Each function takes plain lists and dicts, so the reports and the tests call them without the
database. Fonts: Times New Roman when installed, else the metric-compatible Liberation Serif,
else DejaVu Serif (shipped with matplotlib), all of which draw Vietnamese diacritics. Verdicts in
the heat map are written in each cell as text, never shown by colour alone.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from tieuchi.core.formatting import vn_number  # noqa: E402

SERIF = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]
DPI = 150
# Verdict codes → (cell colour, text colour). The text says the verdict; colour only helps.
VERDICT_COLOURS = {
    "met": ("#cfe8d4", "#0b3d17"),
    "not_met": ("#f6d0cc", "#5c0f08"),
    "no_data": ("#e6e6e6", "#262626"),
}


@functools.cache
def _families() -> list[str]:
    """The SERIF families installed here, DejaVu Serif last. Given as the font family list (not as
    "serif"), matplotlib takes each letter from the first family that has it: an old Liberation
    Serif lacks "ạ", "ư", "ế", which then come from DejaVu Serif instead of empty boxes."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in SERIF if name in installed or name == "DejaVu Serif"]


def _fonts() -> dict:
    return {"font.family": _families(), "axes.unicode_minus": False}


def _with_fonts(draw):
    """Draw with the report fonts without touching matplotlib's global settings."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_fonts()):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width_in: float, height_in: float) -> Figure:
    return Figure(figsize=(width_in, height_in), dpi=DPI)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


@_with_fonts
def indicator_chart(
    title: str,
    series: dict[int, float],
    path: Sequence[tuple[int, float]],
    target: float | None,
    *,
    unit: str = "%",
    labels: dict[str, str] | None = None,
    size_in: tuple[float, float] = (6.4, 3.4),
) -> bytes:
    """An indicator year by year against its target line and the trajectory required to reach it
    (`path`: (year, required value) as `tieuchi.evaluation.trajectory` plans it). `labels` names
    the three lines (Vietnamese by default: "Thực hiện", "Chỉ tiêu", "Lộ trình cần đạt")."""
    names = {"actual": "Thực hiện", "target": "Chỉ tiêu", "path": "Lộ trình cần đạt"}
    names.update(labels or {})
    figure = _figure(*size_in)
    axes = figure.add_subplot()
    years = sorted(series)
    if years:
        axes.plot(
            years, [series[y] for y in years], marker="o", color="#1f4e79", label=names["actual"]
        )
        for year in years:
            axes.annotate(
                vn_number(series[year], 1),
                (year, series[year]),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    if len(path) > 1:
        axes.plot(
            [year for year, _value in path],
            [value for _year, value in path],
            linestyle="--",
            color="#7f7f7f",
            label=names["path"],
        )
    if target is not None:
        axes.axhline(target, color="#c00000", linewidth=1.2, label=names["target"])
    all_years = [*years, *(year for year, _value in path)]
    if all_years:
        axes.set_xticks(range(min(all_years), max(all_years) + 1))
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(unit)
    axes.grid(axis="y", alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8, loc="best")
    figure.tight_layout()
    return _png(figure)


@_with_fonts
def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    verdicts: dict[tuple[str, str], str],
    *,
    verdict_labels: dict[str, str],
    title: str = "",
) -> bytes:
    """Units (rows) × criteria (columns); each cell coloured by its verdict code and labelled with
    the verdict's text (`verdict_labels`, e.g. {"met": "Đạt", ...}); a missing cell is blank."""
    width = max(6.0, 1.2 + 0.75 * len(columns))
    height = max(2.0, 0.9 + 0.32 * len(rows))
    figure = _figure(width, height)
    axes = figure.add_subplot()
    for y, row in enumerate(rows):
        for x, column in enumerate(columns):
            code = verdicts.get((row, column))
            if code is None:
                continue
            fill, ink = VERDICT_COLOURS.get(code, ("#ffffff", "#000000"))
            axes.add_patch(Rectangle((x, y), 1, 1, facecolor=fill, edgecolor="white"))
            text = verdict_labels.get(code, code)
            axes.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=7, color=ink)
    axes.set_xlim(0, len(columns))
    axes.set_ylim(len(rows), 0)
    axes.set_xticks([x + 0.5 for x in range(len(columns))], list(columns), fontsize=8)
    axes.set_yticks([y + 0.5 for y in range(len(rows))], list(rows), fontsize=8)
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if title:
        axes.set_title(title, fontsize=11, pad=18)
    figure.tight_layout()
    return _png(figure)


@_with_fonts
def share_met_by_round(
    rounds: Sequence[tuple[str, int, int]],
    *,
    title: str = "",
    ylabel: str = "Tỷ lệ nội dung đạt (%)",
    size_in: tuple[float, float] = (6.4, 3.2),
) -> bytes:
    """One bar per round: the share of sub-criteria met, labelled "87,5% (42/48)"."""
    figure = _figure(*size_in)
    axes = figure.add_subplot()
    names = [name for name, _met, _total in rounds]
    shares = [met * 100 / total if total else 0.0 for _name, met, total in rounds]
    bars = axes.bar(names, shares, color="#1f4e79", width=0.55)
    for bar, share, (_name, met, total) in zip(bars, shares, rounds, strict=True):
        axes.annotate(
            f"{vn_number(share, 1)}% ({met}/{total})",
            (bar.get_x() + bar.get_width() / 2, share),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=8,
        )
    axes.set_ylim(0, 110)
    axes.set_ylabel(ylabel)
    if title:
        axes.set_title(title, fontsize=11)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return _png(figure)
