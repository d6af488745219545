import unittest

from roman_numerals import from_roman, to_roman


class FromRomanTest(unittest.TestCase):
    def test_parses_canonical_numerals(self):
        self.assertEqual(from_roman("I"), 1)
        self.assertEqual(from_roman("XIV"), 14)
        self.assertEqual(from_roman("XL"), 40)
        self.assertEqual(from_roman("MCMXCIV"), 1994)
        self.assertEqual(from_roman("MMMCMXCIX"), 3999)

    def test_lowercase(self):
        self.assertEqual(from_roman("xiv"), 14)
        self.assertEqual(from_roman("mmxxiv"), 2024)

    def test_round_trip(self):
        for number in range(1, 4000):
            self.assertEqual(from_roman(to_roman(number)), number)

    def test_rejects_non_canonical(self):
        for text in ["", "IIII", "VX", "IC", "MMMM", "IL", "VV", "XXXX", "DM", "ABC", "X I", "IIV"]:
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    from_roman(text)

    def test_rejects_non_strings(self):
        for value in [14, None, b"XIV"]:
            with self.subTest(value=value):
                with self.assertRaises(TypeError):
                    from_roman(value)


class ToRomanRangeTest(unittest.TestCase):
    def test_out_of_range(self):
        for number in [0, -1, -50, 4000, 10000]:
            with self.subTest(number=number):
                with self.assertRaises(ValueError):
                    to_roman(number)

    def test_non_integers(self):
        for value in [1.5, "5", True, None]:
            with self.subTest(value=value):
                with self.assertRaises(TypeError):
                    to_roman(value)

    def test_still_converts(self):
        self.assertEqual(to_roman(2024), "MMXXIV")


if __name__ == "__main__":
    unittest.main()
