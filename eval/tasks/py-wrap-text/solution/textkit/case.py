"""Case helpers."""

SMALL_WORDS = {"a", "an", "and", "of", "the", "to", "in"}


def title_case(text):
    """Title case that keeps small words lowercase except at the start."""
    words = text.lower().split()
    return " ".join(w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))
