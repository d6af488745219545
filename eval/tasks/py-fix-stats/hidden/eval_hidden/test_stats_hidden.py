import unittest

from stats.summary import median, mode, summarize


class MedianTest(unittest.TestCase):
    def test_even_length_is_mean_of_middle_values(self):
        self.assertEqual(median([4, 1, 3, 2]), 2.5)
        self.assertEqual(median([10, 20]), 15)
        self.assertEqual(median([1, 1, 2, 2]), 1.5)

    def test_odd_length(self):
        self.assertEqual(median([5, 3, 9]), 5)
        self.assertEqual(median([7]), 7)

    def test_does_not_modify_input(self):
        values = [3, 1, 2, 0]
        median(values)
        self.assertEqual(values, [3, 1, 2, 0])

    def test_any_iterable(self):
        self.assertEqual(median((3, 1, 2)), 2)
        self.assertEqual(median(x for x in [4, 2, 8, 6]), 5)

    def test_empty_raises_value_error(self):
        with self.assertRaises(ValueError):
            median([])
        with self.assertRaises(ValueError):
            median(iter([]))


class ModeTest(unittest.TestCase):
    def test_single_most_common(self):
        self.assertEqual(mode([1, 2, 2, 3]), 2)

    def test_ties_pick_the_smallest(self):
        self.assertEqual(mode([3, 3, 1, 1, 2]), 1)
        self.assertEqual(mode([9, 8, 7]), 7)
        self.assertEqual(mode(["b", "a", "b", "a"]), "a")

    def test_any_iterable(self):
        self.assertEqual(mode(x for x in [5, 5, 4]), 5)

    def test_empty_raises_value_error(self):
        with self.assertRaises(ValueError):
            mode([])


class SummarizeTest(unittest.TestCase):
    def test_summary(self):
        self.assertEqual(
            summarize([4, 1, 3, 2, 2]),
            {"count": 5, "mean": 2.4, "median": 2, "mode": 2, "min": 1, "max": 4},
        )
        self.assertEqual(summarize([2, 1])["median"], 1.5)

    def test_summarize_generator(self):
        self.assertEqual(summarize(x for x in [1, 2, 3, 4])["median"], 2.5)


if __name__ == "__main__":
    unittest.main()
