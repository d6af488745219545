import unittest

from textkit import wrap


class WrapTest(unittest.TestCase):
    def test_greedy_packing(self):
        self.assertEqual(wrap("the quick brown fox jumps over the lazy dog", 10), "the quick\nbrown fox\njumps over\nthe lazy\ndog")

    def test_exact_fit(self):
        self.assertEqual(wrap("aaaa bbbb", 9), "aaaa bbbb")
        self.assertEqual(wrap("aaaa bbbb", 8), "aaaa\nbbbb")

    def test_whitespace_collapses(self):
        self.assertEqual(wrap("  one\ttwo\n three   four ", 80), "one two three four")

    def test_paragraphs(self):
        text = "\n\nfirst para\nstill first\n\n \n\t\nsecond para\n\n"
        self.assertEqual(wrap(text, 11), "first para\nstill first\n\nsecond para")

    def test_long_words_are_split(self):
        self.assertEqual(wrap("abcdefghij", 4), "abcd\nefgh\nij")
        self.assertEqual(wrap("a abcdefghij b", 4), "a\nabcd\nefgh\nij b")

    def test_indent(self):
        self.assertEqual(wrap("one two three", 9, indent="> "), "> one two\n> three")
        self.assertEqual(wrap("abcdefgh", 5, indent="--"), "--abc\n--def\n--gh")
        self.assertEqual(wrap("a\n\nb", 5, indent="  "), "  a\n\n  b")

    def test_no_trailing_whitespace(self):
        result = wrap("word " * 50, 13)
        for line in result.split("\n"):
            self.assertEqual(line, line.rstrip())
            self.assertLessEqual(len(line), 13)
        self.assertFalse(result.endswith("\n"))
        self.assertEqual(result.split(), ["word"] * 50)

    def test_blank(self):
        self.assertEqual(wrap("", 10), "")
        self.assertEqual(wrap(" \n\n \t", 10), "")

    def test_bad_width(self):
        for width, indent in [(0, ""), (-3, ""), (2, "  "), (3, "    ")]:
            with self.subTest(width=width, indent=indent):
                with self.assertRaises(ValueError):
                    wrap("text", width, indent=indent)
        with self.assertRaises(ValueError):
            wrap("text", 4.5)


if __name__ == "__main__":
    unittest.main()
