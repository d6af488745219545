import unittest

from calendar_tools.intervals import duration


class DurationTest(unittest.TestCase):
    def test_duration(self):
        self.assertEqual(duration((60, 90)), 30)


if __name__ == "__main__":
    unittest.main()
