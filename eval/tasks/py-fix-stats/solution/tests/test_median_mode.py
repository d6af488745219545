import unittest

from stats.summary import median, mode


class MedianModeTest(unittest.TestCase):
    def test_even_median(self):
        self.assertEqual(median([4, 1, 3, 2]), 2.5)

    def test_mode_tie(self):
        self.assertEqual(mode([3, 3, 1, 1]), 1)

    def test_empty(self):
        with self.assertRaises(ValueError):
            median([])


if __name__ == "__main__":
    unittest.main()
