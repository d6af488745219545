import unittest

from stats.summary import mean, median, summarize


class SummaryTest(unittest.TestCase):
    def test_mean(self):
        self.assertEqual(mean([1, 2, 3]), 2)

    def test_median_odd(self):
        self.assertEqual(median([3, 1, 2]), 2)

    def test_summarize_keys(self):
        self.assertEqual(set(summarize([1, 2, 3])), {"count", "mean", "median", "mode", "min", "max"})


if __name__ == "__main__":
    unittest.main()
