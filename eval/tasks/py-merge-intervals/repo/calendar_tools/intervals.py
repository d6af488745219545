"""Working with (start, end) intervals in minutes since midnight."""


def duration(interval):
    """Length of an interval in minutes."""
    start, end = interval
    return end - start
