"use client";
// A tiny toast: one message at a time (a new one replaces the old), for mutation errors and
// confirmations. Errors stay until dismissed or replaced; others fade after a few seconds.

import Link from "next/link";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { cx } from "@/lib/client/format";

export type ToastTone = "error" | "success" | "info";
export type ToastInput = { tone?: ToastTone; title?: string; message: string; action?: { href: string; label: string } };
type Toast = ToastInput & { id: number };

const AUTO_DISMISS_MS = 6_000;
const ERROR_DISMISS_MS = 15_000;

const ToastContext = createContext<((toast: ToastInput) => void) | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<Toast | null>(null);
  const showToast = useCallback((input: ToastInput) => setToast({ ...input, id: Date.now() }), []);
  const dismiss = useCallback(() => setToast(null), []);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(dismiss, toast.tone === "error" ? ERROR_DISMISS_MS : AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);

  const value = useMemo(() => showToast, [showToast]);
  const tone = toast?.tone ?? "info";

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed inset-x-0 top-12 z-50 flex justify-end p-4">
        {toast && (
          <div
            key={toast.id}
            data-testid="toast"
            role={tone === "error" ? "alert" : "status"}
            className={cx(
              "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border bg-white p-3 text-sm shadow-lg",
              tone === "error" ? "border-red-200" : tone === "success" ? "border-emerald-200" : "border-slate-200",
            )}
          >
            <span
              aria-hidden
              className={cx(
                "mt-1.5 size-2 shrink-0 rounded-full",
                tone === "error" ? "bg-red-500" : tone === "success" ? "bg-emerald-500" : "bg-accent-500",
              )}
            />
            <div className="min-w-0 flex-1">
              {toast.title && <p className="font-semibold text-slate-900">{toast.title}</p>}
              <p className="break-words text-slate-700">{toast.message}</p>
              {toast.action && (
                <Link href={toast.action.href} onClick={dismiss} className="mt-1 inline-block font-medium text-accent-700 hover:underline">
                  {toast.action.label}
                </Link>
              )}
            </div>
            <button
              type="button"
              onClick={dismiss}
              aria-label="Dismiss notification"
              className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700"
            >
              <span aria-hidden>×</span>
            </button>
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const showToast = useContext(ToastContext);
  if (!showToast) throw new Error("useToast must be used inside <ToastProvider>");
  return showToast;
}
