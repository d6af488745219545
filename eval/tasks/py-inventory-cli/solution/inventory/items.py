"""Reading inventory CSV files."""
import csv
import sys
from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    name: str
    qty: int
    price: float

    @property
    def value(self):
        return self.qty * self.price


def read_items(path, warn=lambda message: print(message, file=sys.stderr)):
    """Items of the file; rows with a non-numeric qty or price are skipped with a warning."""
    items = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            try:
                items.append(Item(row["sku"], row["name"], int(row["qty"]), float(row["price"])))
            except (TypeError, ValueError):
                warn(f"inventory: skipping line {reader.line_num}: qty and price must be numbers")
    return items
