import os
import subprocess
import sys
import tempfile
import unittest

SAMPLE = "sku,name,qty,price\nB2,Bolt,100,0.25\nA1,Anvil,2,80.00\n"


class ReportTest(unittest.TestCase):
    def run_report(self, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
            handle.write(SAMPLE)
        try:
            return subprocess.run(
                [sys.executable, "-m", "inventory", "report", handle.name, *args],
                capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            )
        finally:
            os.unlink(handle.name)

    def test_table_sorted_by_sku_with_total(self):
        result = self.run_report()
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.strip().splitlines()
        self.assertTrue(lines[1].startswith("A1"))
        self.assertTrue(lines[2].startswith("B2"))
        self.assertEqual(lines[-1], "TOTAL 185.00")


if __name__ == "__main__":
    unittest.main()
