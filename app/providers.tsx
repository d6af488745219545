"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { getQueryClient } from "@/lib/client/query-client";
import { ToastProvider } from "@/components/ui/toast";

// zod probes for eval (`Function("")`) to speed up parsing; the pages' CSP forbids eval, and the
// probe alone is reported as a violation. Without eval zod parses the same, a little slower.
z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
