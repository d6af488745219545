// Display helpers shared by components: money, durations, tokens and class names.
import { formatUsd } from "@/lib/money";

// Display formatting shared by run components. Money always shows at least cents; small
// amounts keep up to four decimals so a $0.0031 call is not shown as $0.00.
const usdCentsFormatter = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const integerFormatter = new Intl.NumberFormat("en-US");

/** The one money formatter (lib/money.ts), shared with Slack and PR text. */
export { formatUsd };

const usdPerMTokFormatter = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** Prices per million tokens keep all six stored decimals: "$1.40", "$0.0028". */
export function formatUsdPerMTok(value: number) {
  return usdPerMTokFormatter.format(value);
}

/** Whole cents, for budgets: "$5.00". */
export function formatUsdCents(value: number) {
  return usdCentsFormatter.format(value);
}

/** "+$0.0123" for a cost delta. */
export function formatUsdDelta(value: number) {
  return `+${formatUsd(value)}`;
}

/** "12,345" tokens; "1.2M" past a million. */
export function formatTokens(value: number) {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  return integerFormatter.format(value);
}

/** Share of the budget used, 0..100 (capped), for bars. */
export function toPercent(part: number, whole: number) {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, (part / whole) * 100));
}

/** Compact age: "just now", "3m ago", "5h ago", "2d ago". */
export function formatAge(iso: string, now: number) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

/** Elapsed time between two instants: "42s", "3m 05s", "1h 12m". */
export function formatDuration(fromIso: string, toMs: number) {
  const seconds = Math.max(0, Math.round((toMs - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** Local wall-clock time with seconds: "14:03:27". */
export function formatClockTime(iso: string) {
  return new Date(iso).toLocaleTimeString("en-GB", { hour12: false });
}

/** Local date and time: "28 Nov 2026, 14:03". */
export function formatDateTime(iso: string) {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** Joins class names, skipping falsy ones. */
export function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}
