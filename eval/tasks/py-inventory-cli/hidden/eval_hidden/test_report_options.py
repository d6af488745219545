import csv
import io
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.getcwd()
SAMPLE = (
    "sku,name,qty,price\n"
    "C3,Chisel,5,12.50\n"
    "B2,Bolt,100,0.25\n"
    "A1,Anvil,2,80.00\n"
    "D4,Drill,0,99.99\n"
    "E5,Eyelet,25,1.00\n"
)


def run(*args, content=SAMPLE):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write(content)
    try:
        return subprocess.run(
            [sys.executable, "-m", "inventory", "report", handle.name, *args],
            capture_output=True, text=True, cwd=ROOT,
        )
    finally:
        os.unlink(handle.name)


def skus(result):
    return [line.split()[0] for line in result.stdout.strip().splitlines()[1:-1]]


class ReportOptionsTest(unittest.TestCase):
    def test_default_is_unchanged(self):
        result = run()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(skus(result), ["A1", "B2", "C3", "D4", "E5"])
        self.assertEqual(result.stdout.strip().splitlines()[-1], "TOTAL 272.50")

    def test_min_qty_filters_and_total_counts_shown_items(self):
        result = run("--min-qty", "5")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(skus(result), ["B2", "C3", "E5"])
        self.assertEqual(result.stdout.strip().splitlines()[-1], "TOTAL 112.50")
        self.assertEqual(skus(run("--min-qty", "0")), ["A1", "B2", "C3", "D4", "E5"])

    def test_sort_fields(self):
        self.assertEqual(skus(run("--sort", "value")), ["A1", "C3", "B2", "E5", "D4"])
        self.assertEqual(skus(run("--sort", "qty")), ["B2", "E5", "C3", "A1", "D4"])
        self.assertEqual(skus(run("--sort", "price")), ["D4", "A1", "C3", "E5", "B2"])
        self.assertEqual(skus(run("--sort", "name")), ["A1", "B2", "C3", "D4", "E5"])
        self.assertEqual(skus(run("--sort", "sku")), ["A1", "B2", "C3", "D4", "E5"])

    def test_ties_keep_sku_order(self):
        content = "sku,name,qty,price\nZ9,Zed,1,5.00\nM5,Em,1,5.00\nA0,Ay,2,1.00\n"
        self.assertEqual(skus(run("--sort", "value", content=content)), ["M5", "Z9", "A0"])

    def test_csv_format(self):
        result = run("--format", "csv", "--min-qty", "5", "--sort", "value")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = list(csv.reader(io.StringIO(result.stdout)))
        self.assertEqual(rows[0], ["sku", "name", "qty", "price", "value"])
        self.assertEqual(rows[1:], [["C3", "Chisel", "5", "12.50", "62.50"], ["B2", "Bolt", "100", "0.25", "25.00"], ["E5", "Eyelet", "25", "1.00", "25.00"]])

    def test_invalid_values_exit_2(self):
        for args in (["--min-qty", "-1"], ["--min-qty", "many"], ["--sort", "colour"], ["--format", "xml"]):
            with self.subTest(args=args):
                result = run(*args)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stdout, "")
                self.assertNotEqual(result.stderr.strip(), "")

    def test_bad_rows_are_skipped_with_a_warning(self):
        content = "sku,name,qty,price\nA1,Anvil,2,80.00\nB2,Bolt,lots,0.25\nC3,Chisel,5,cheap\n"
        result = run(content=content)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(skus(result), ["A1"])
        self.assertIn("3", result.stderr)
        self.assertIn("4", result.stderr)


if __name__ == "__main__":
    unittest.main()
