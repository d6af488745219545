import { describe, expect, it } from "vitest";
import { formatAge, formatUsd, formatUsdCents, formatUsdPerMTok, toPercent } from "./format";

describe("formatUsd", () => {
  it("keeps small amounts visible instead of rounding them to $0.00", () => {
    expect(formatUsd(0.0031)).toBe("$0.0031");
    expect(formatUsd(1.24)).toBe("$1.24");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(1.23456)).toBe("$1.2346");
  });

  it("shows budgets in whole cents", () => {
    expect(formatUsdCents(5)).toBe("$5.00");
    expect(formatUsdCents(10000)).toBe("$10,000.00");
  });
});

describe("formatUsdPerMTok", () => {
  it("shows every stored decimal of a price, and at least cents", () => {
    expect(formatUsdPerMTok(1.4)).toBe("$1.40");
    expect(formatUsdPerMTok(0.0028)).toBe("$0.0028");
    expect(formatUsdPerMTok(0.000123)).toBe("$0.000123");
  });
});

describe("toPercent", () => {
  it("caps at 100 and handles a zero budget", () => {
    expect(toPercent(6, 5)).toBe(100);
    expect(toPercent(1, 0)).toBe(0);
    expect(toPercent(1.25, 5)).toBe(25);
  });
});

describe("formatAge", () => {
  it("reads compactly", () => {
    const now = Date.parse("2026-11-28T12:00:00Z");
    expect(formatAge("2026-11-28T11:59:58Z", now)).toBe("just now");
    expect(formatAge("2026-11-28T11:57:00Z", now)).toBe("3m ago");
    expect(formatAge("2026-11-28T07:00:00Z", now)).toBe("5h ago");
    expect(formatAge("2026-11-25T12:00:00Z", now)).toBe("3d ago");
  });
});
