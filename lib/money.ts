// How the product shows US dollars to people (web pages, Slack, PR comments): one rule, so the
// same cost reads the same everywhere. Browser-safe. Stored amounts are Prisma Decimals; this
// is display only.

const usdFormatter = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/** "$1,234.50", "$1.2346", "$0.0031": at least cents, and up to four decimals so a cheap call never reads "$0.00". */
export function formatUsd(amount: number): string {
  return usdFormatter.format(amount);
}
