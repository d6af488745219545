import unittest

from calendar_tools.intervals import free_slots, merge_intervals


class MergeTest(unittest.TestCase):
    def test_merge(self):
        self.assertEqual(merge_intervals([(3, 5), (1, 3)]), [(1, 5)])
        with self.assertRaises(ValueError):
            merge_intervals([(2, 1)])

    def test_free(self):
        self.assertEqual(free_slots([(10, 20)], 0, 30), [(0, 10), (20, 30)])


if __name__ == "__main__":
    unittest.main()
