"""Command line: python3 -m inventory report <file.csv>"""
import argparse
import sys

from inventory.items import read_items


def format_table(items):
    lines = [f"{'SKU':<8} {'NAME':<20} {'QTY':>5} {'PRICE':>9} {'VALUE':>10}"]
    for item in items:
        lines.append(f"{item.sku:<8} {item.name:<20} {item.qty:>5} {item.price:>9.2f} {item.value:>10.2f}")
    lines.append(f"TOTAL {sum(item.value for item in items):.2f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="inventory")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="print the inventory")
    report.add_argument("file")
    args = parser.parse_args(argv)

    items = sorted(read_items(args.file), key=lambda item: item.sku)
    print(format_table(items))
    return 0
