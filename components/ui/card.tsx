import type { HTMLAttributes, ReactNode } from "react";
import { cx } from "../../lib/client/cx";

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  // relative: absolutely placed content (sr-only labels in scrolled tables) stays clipped inside.
  return <section className={cx("relative rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...props} />;
}

export function CardHeader({ title, actions, id }: { title: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-2.5">
      <h2 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h2>
      {actions}
    </div>
  );
}
