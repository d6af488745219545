"""Command line: python3 -m inventory report <file.csv> [--min-qty N] [--sort FIELD] [--format table|csv]"""
import argparse
import csv
import sys

from inventory.items import read_items

SORT_KEYS = {
    "sku": (lambda item: item.sku, False),
    "name": (lambda item: item.name, False),
    "qty": (lambda item: item.qty, True),
    "price": (lambda item: item.price, True),
    "value": (lambda item: item.value, True),
}


def non_negative_int(text):
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {number}")
    return number


def format_table(items):
    lines = [f"{'SKU':<8} {'NAME':<20} {'QTY':>5} {'PRICE':>9} {'VALUE':>10}"]
    for item in items:
        lines.append(f"{item.sku:<8} {item.name:<20} {item.qty:>5} {item.price:>9.2f} {item.value:>10.2f}")
    lines.append(f"TOTAL {sum(item.value for item in items):.2f}")
    return "\n".join(lines)


def format_csv(items):
    output = __import__("io").StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["sku", "name", "qty", "price", "value"])
    for item in items:
        writer.writerow([item.sku, item.name, item.qty, f"{item.price:.2f}", f"{item.value:.2f}"])
    return output.getvalue().rstrip("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="inventory")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="print the inventory")
    report.add_argument("file")
    report.add_argument("--min-qty", type=non_negative_int, default=None)
    report.add_argument("--sort", choices=sorted(SORT_KEYS), default="sku")
    report.add_argument("--format", choices=["table", "csv"], default="table")
    args = parser.parse_args(argv)

    items = sorted(read_items(args.file), key=lambda item: item.sku)
    if args.min_qty is not None:
        items = [item for item in items if item.qty >= args.min_qty]
    key, is_descending = SORT_KEYS[args.sort]
    items = sorted(items, key=key, reverse=is_descending)  # stable: ties keep sku order
    print(format_csv(items) if args.format == "csv" else format_table(items))
    return 0
