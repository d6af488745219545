import type { ReactNode } from "react";

/** A page's title, what the page is for, and its actions on the right. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description: ReactNode; actions?: ReactNode }) {
  const heading = (
    <div>
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {typeof description === "string" ? <p className="text-sm text-slate-500">{description}</p> : description}
    </div>
  );
  if (!actions) return heading;
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      {heading}
      {actions}
    </div>
  );
}
