"""Conversion between integers and Roman numerals."""

_NUMERALS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"),
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def to_roman(number):
    """Writes a number as a Roman numeral."""
    parts = []
    for value, numeral in _NUMERALS:
        while number >= value:
            parts.append(numeral)
            number -= value
    return "".join(parts)
