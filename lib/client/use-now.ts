"use client";

import { useEffect, useState } from "react";

/** The current time in ms, refreshed every `intervalMs`, so relative ages keep moving. */
export function useNow(intervalMs = 15_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
