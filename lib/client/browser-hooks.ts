// Small browser-only hooks: a ticking clock and the document title.
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

const APP_NAME = "Dark Factory";

/** Keeps the tab title current (e.g. a run's status and cost), restoring it on unmount. */
export function useDocumentTitle(title: string | null) {
  useEffect(() => {
    if (!title) return;
    const previous = document.title;
    document.title = `${title} · ${APP_NAME}`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
