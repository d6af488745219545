import unittest

from roman_numerals import from_roman, to_roman


class FromRomanTest(unittest.TestCase):
    def test_parses(self):
        self.assertEqual(from_roman("MCMXCIV"), 1994)
        self.assertEqual(from_roman("xiv"), 14)

    def test_rejects(self):
        for text in ["", "IIII", "VX"]:
            with self.assertRaises(ValueError):
                from_roman(text)
        with self.assertRaises(TypeError):
            from_roman(14)

    def test_to_roman_range(self):
        with self.assertRaises(ValueError):
            to_roman(0)
        with self.assertRaises(TypeError):
            to_roman(True)


if __name__ == "__main__":
    unittest.main()
