"use client";

import { formatAge, formatDateTime } from "../../lib/client/format";
import { useNow } from "../../lib/client/use-now";

/** "3m ago", kept fresh, with the exact time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {formatAge(iso, now)}
    </time>
  );
}
