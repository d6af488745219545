import unittest

from textkit import wrap


class WrapTest(unittest.TestCase):
    def test_wrap(self):
        self.assertEqual(wrap("aa bb cc", 5), "aa bb\ncc")
        self.assertEqual(wrap("abcdef", 3), "abc\ndef")
        self.assertEqual(wrap("a\n\n\nb", 5), "a\n\nb")
        with self.assertRaises(ValueError):
            wrap("x", 0)


if __name__ == "__main__":
    unittest.main()
