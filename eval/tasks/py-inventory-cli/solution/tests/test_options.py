import os
import subprocess
import sys
import tempfile
import unittest


class OptionsTest(unittest.TestCase):
    def test_min_qty_and_csv(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
            handle.write("sku,name,qty,price\nA1,Anvil,2,80.00\nB2,Bolt,100,0.25\n")
        try:
            result = subprocess.run(
                [sys.executable, "-m", "inventory", "report", handle.name, "--min-qty", "5", "--format", "csv"],
                capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            )
        finally:
            os.unlink(handle.name)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip().splitlines(), ["sku,name,qty,price,value", "B2,Bolt,100,0.25,25.00"])


if __name__ == "__main__":
    unittest.main()
