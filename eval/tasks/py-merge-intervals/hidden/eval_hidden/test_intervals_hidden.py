import unittest

from calendar_tools.intervals import duration, free_slots, merge_intervals


class MergeIntervalsTest(unittest.TestCase):
    def test_merges_overlapping_and_touching(self):
        self.assertEqual(merge_intervals([(1, 3), (2, 6), (8, 10), (10, 12), (15, 18)]), [(1, 6), (8, 12), (15, 18)])

    def test_unsorted_and_nested(self):
        self.assertEqual(merge_intervals([(5, 7), (1, 10), (12, 13), (2, 3)]), [(1, 10), (12, 13)])

    def test_any_iterable_and_no_mutation(self):
        data = [(4, 5), (1, 2)]
        self.assertEqual(merge_intervals(iter(data)), [(1, 2), (4, 5)])
        self.assertEqual(data, [(4, 5), (1, 2)])
        self.assertEqual(merge_intervals([]), [])

    def test_returns_tuples(self):
        self.assertEqual(merge_intervals([[1, 2], [2, 3]]), [(1, 3)])
        self.assertIsInstance(merge_intervals([[1, 2]])[0], tuple)

    def test_invalid_intervals(self):
        for bad in [(3, 3), (5, 1), (1,), (1, 2, 3), ("a", 2), (1.5, 2), None]:
            with self.subTest(bad=bad):
                with self.assertRaises(ValueError) as caught:
                    merge_intervals([(0, 1), bad])
                self.assertIn(repr(bad), str(caught.exception))


class FreeSlotsTest(unittest.TestCase):
    def test_gaps_between_meetings(self):
        busy = [(600, 660), (540, 570), (700, 720)]
        self.assertEqual(free_slots(busy, 540, 780), [(570, 600), (660, 700), (720, 780)])

    def test_clips_to_the_day(self):
        self.assertEqual(free_slots([(400, 560), (760, 900)], 540, 780), [(560, 760)])
        self.assertEqual(free_slots([(0, 2000)], 540, 780), [])
        self.assertEqual(free_slots([(100, 200), (900, 1000)], 540, 780), [(540, 780)])

    def test_empty_day(self):
        self.assertEqual(free_slots([], 540, 780), [(540, 780)])

    def test_min_length(self):
        busy = [(550, 600), (605, 700)]
        self.assertEqual(free_slots(busy, 540, 720, min_length=15), [(700, 720)])
        self.assertEqual(free_slots(busy, 540, 720, min_length=5), [(540, 550), (600, 605), (700, 720)])

    def test_invalid_arguments(self):
        with self.assertRaises(ValueError):
            free_slots([], 600, 600)
        with self.assertRaises(ValueError):
            free_slots([], 600, 500)
        with self.assertRaises(ValueError):
            free_slots([], 0, 10, min_length=0)
        with self.assertRaises(ValueError):
            free_slots([(5, 1)], 0, 10)

    def test_duration_still_works(self):
        self.assertEqual(duration((0, 45)), 45)


if __name__ == "__main__":
    unittest.main()
