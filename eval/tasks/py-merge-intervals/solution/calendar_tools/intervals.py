"""Working with (start, end) intervals in minutes since midnight."""


def duration(interval):
    """Length of an interval in minutes."""
    start, end = interval
    return end - start


def _checked(interval):
    is_pair = isinstance(interval, (tuple, list)) and len(interval) == 2
    if not is_pair or not all(isinstance(v, int) and not isinstance(v, bool) for v in interval) or interval[0] >= interval[1]:
        raise ValueError(f"invalid interval {interval!r}: expected (start, end) integers with start < end")
    return (interval[0], interval[1])


def merge_intervals(intervals):
    """Sorted, merged copy: overlapping or touching intervals become one."""
    merged = []
    for start, end in sorted(_checked(interval) for interval in intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def free_slots(busy, day_start, day_end, min_length=1):
    """Gaps of at least min_length between day_start and day_end not covered by busy intervals."""
    if day_start >= day_end:
        raise ValueError("day_start must be before day_end")
    if min_length < 1:
        raise ValueError("min_length must be at least 1")
    slots = []
    cursor = day_start
    for start, end in merge_intervals(busy):
        start, end = max(start, day_start), min(end, day_end)
        if start >= end:
            continue
        if start - cursor >= min_length:
            slots.append((cursor, start))
        cursor = max(cursor, end)
    if day_end - cursor >= min_length:
        slots.append((cursor, day_end))
    return slots
