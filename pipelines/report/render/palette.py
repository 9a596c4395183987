"""Colours of the pack, shared by charts and tables so met/missed read the same everywhere."""

MET = "#2e7d32"
MISSED = "#c62828"
NO_DATA = "#9e9e9e"
AMBER = "#b45309"
SIGNAL = "#f59e0b"
SIGNAL_SYMBOL = "diamond-open"  # control-chart signal: never a met/missed dot
BAR = "#1f5fa8"
OTHER_BAR = "#9e9e9e"
TARGET = "#6a1b9a"
LIMIT = "#757575"
CUMULATIVE = "#e65100"

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'


def status_colour(met: bool | None) -> str:
    if met is None:
        return NO_DATA
    return MET if met else MISSED
