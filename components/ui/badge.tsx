import type { HTMLAttributes } from "react";
import { cx } from "@/lib/client/format";

export type BadgeTone = "neutral" | "info" | "progress" | "success" | "warning" | "danger";

const TONE_CLASSES: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300",
  info: "bg-sky-50 text-sky-800 ring-sky-300",
  progress: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  warning: "bg-amber-50 text-amber-800 ring-amber-300",
  danger: "bg-red-50 text-red-800 ring-red-300",
};

type BadgeProps = HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone; hasPulse?: boolean };

export function Badge({ tone = "neutral", hasPulse, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        TONE_CLASSES[tone],
        className,
      )}
      {...props}
    >
      {hasPulse && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" />}
      {children}
    </span>
  );
}
