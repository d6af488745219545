"""Conversion between integers and Roman numerals."""

_NUMERALS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"),
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(number):
    """Writes a number from 1 to 3999 as a Roman numeral."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError("to_roman expects an int")
    if not 1 <= number <= 3999:
        raise ValueError("Roman numerals cover 1 to 3999")
    parts = []
    for value, numeral in _NUMERALS:
        while number >= value:
            parts.append(numeral)
            number -= value
    return "".join(parts)


def from_roman(text):
    """Reads a canonical Roman numeral (any case) as an integer."""
    if not isinstance(text, str):
        raise TypeError("from_roman expects a str")
    upper = text.upper()
    if not upper or any(char not in _VALUES for char in upper):
        raise ValueError(f"not a Roman numeral: {text!r}")
    total = 0
    for index, char in enumerate(upper):
        value = _VALUES[char]
        following = _VALUES[upper[index + 1]] if index + 1 < len(upper) else 0
        total += -value if value < following else value
    # Only the canonical spelling round-trips, which rules out IIII, VX, IC and friends.
    if not 1 <= total <= 3999 or to_roman(total) != upper:
        raise ValueError(f"not a canonical Roman numeral: {text!r}")
    return total
