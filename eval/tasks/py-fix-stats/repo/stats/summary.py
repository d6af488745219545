"""Small descriptive statistics for report generation."""
from collections import Counter


def mean(values):
    values = list(values)
    if not values:
        raise ValueError("mean of an empty sequence")
    return sum(values) / len(values)


def median(values):
    values.sort()
    return values[len(values) // 2]


def mode(values):
    counts = Counter(values)
    return counts.most_common(1)[0][0]


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
