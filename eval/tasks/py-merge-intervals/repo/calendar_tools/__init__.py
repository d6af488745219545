from calendar_tools.intervals import duration

__all__ = ["duration"]
