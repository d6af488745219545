"use client";

import { useEffect } from "react";

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
