from textkit.case import title_case
from textkit.wrap import wrap

__all__ = ["title_case", "wrap"]
