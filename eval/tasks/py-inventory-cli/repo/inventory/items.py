"""Reading inventory CSV files."""
import csv
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


def read_items(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            Item(row["sku"], row["name"], int(row["qty"]), float(row["price"]))
            for row in csv.DictReader(handle)
        ]
