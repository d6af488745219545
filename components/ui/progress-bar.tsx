import { cx } from "@/lib/client/format";

type ProgressBarProps = {
  /** 0..100 */
  value: number;
  /** An optional second segment after `value`, e.g. reserved on top of spent. */
  secondaryValue?: number;
  label: string;
  size?: "sm" | "md";
  tone?: "accent" | "warning" | "danger";
};

const TONE_CLASSES = { accent: "bg-accent-600", warning: "bg-amber-500", danger: "bg-red-600" };

export function ProgressBar({ value, secondaryValue = 0, label, size = "md", tone = "accent" }: ProgressBarProps) {
  const primary = clamp(value);
  const secondary = clamp(Math.min(secondaryValue, 100 - primary));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(primary)}
      className={cx("flex w-full overflow-hidden rounded-full bg-slate-200", size === "sm" ? "h-1.5" : "h-2.5")}
    >
      <div className={cx("h-full transition-[width] duration-500", TONE_CLASSES[tone])} style={{ width: `${primary}%` }} />
      {secondary > 0 && (
        <div
          className="h-full bg-[repeating-linear-gradient(45deg,var(--color-slate-400)_0_3px,var(--color-slate-300)_3px_6px)] transition-[width] duration-500"
          style={{ width: `${secondary}%` }}
        />
      )}
    </div>
  );
}

function clamp(value: number) {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}
