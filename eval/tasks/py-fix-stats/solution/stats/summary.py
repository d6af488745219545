"""Small descriptive statistics for report generation."""
from collections import Counter


def mean(values):
    values = list(values)
    if not values:
        raise ValueError("mean of an empty sequence")
    return sum(values) / len(values)


def median(values):
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of an empty sequence")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mode(values):
    counts = Counter(values)
    if not counts:
        raise ValueError("mode of an empty sequence")
    highest = max(counts.values())
    return min(value for value, count in counts.items() if count == highest)


def summarize(values):
    values = list(values)
    return {
        "count": len(values),
        "mean": mean(values),
        "median": median(values),
        "mode": mode(values),
        "min": min(values),
        "max": max(values),
    }
