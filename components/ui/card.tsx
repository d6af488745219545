import type { HTMLAttributes, ReactNode, TableHTMLAttributes } from "react";
import { cx } from "@/lib/client/format";
import { Button } from "./button";

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  // relative: absolutely placed content (sr-only labels in scrolled tables) stays clipped inside.
  return <section className={cx("relative rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...props} />;
}

/** `count` follows the title in parentheses: "Tasks (3)". */
export function CardHeader({ title, count, actions, id }: { title: ReactNode; count?: number; actions?: ReactNode; id?: string }) {
  return (
    <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-2.5">
      <h2 id={id} className="text-sm font-semibold text-slate-900">
        {title}
        {count !== undefined && <span className="font-normal text-slate-500 tabular-nums"> ({count})</span>}
      </h2>
      {actions}
    </div>
  );
}

/** "Loading runs…" while a query has no data yet. */
export function LoadingNotice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="px-4 py-10 text-center text-sm text-slate-500">
      {children}
    </p>
  );
}

/** A query that failed with nothing to show: what could not load, why, and a retry. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="px-4 py-10 text-center text-sm">
      <p className="text-red-700">{message}</p>
      <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

/** A row of headline numbers, each a small tile. */
export function StatTiles({ stats, className, ...props }: HTMLAttributes<HTMLDListElement> & { stats: { label: string; value: string; testId?: string }[] }) {
  return (
    <dl className={cx("grid grid-cols-2 gap-3", className)} {...props}>
      {stats.map((stat) => (
        <div key={stat.label} data-testid={stat.testId} className="rounded-lg border border-slate-200 bg-white px-4 py-2.5 shadow-sm">
          <dt className="text-xs text-slate-500">{stat.label}</dt>
          <dd className="text-base font-semibold tabular-nums text-slate-900">{stat.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table column heading; `className` sets its width or alignment ("text-right" for numbers). */
export type TableColumn = { label: ReactNode; className?: string; key?: string };

type DataTableProps = TableHTMLAttributes<HTMLTableElement> & {
  columns: (string | TableColumn)[];
  /** Smaller type and no header band, for a table inside a section. */
  isCompact?: boolean;
  caption?: ReactNode;
};

/** A horizontally scrolling table with the app's header row; `children` are the body rows. */
export function DataTable({ columns, isCompact = false, caption, className, children, ...props }: DataTableProps) {
  return (
    <div className="overflow-x-auto">
      <table className={cx("w-full text-left", isCompact ? "text-xs" : "text-sm", className)} {...props}>
        {caption}
        <thead className={isCompact ? "text-slate-600" : "border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase"}>
          <tr>
            {columns.map((column, index) => {
              const { label, className: columnClassName, key } = typeof column === "string" ? { label: column, className: undefined, key: column } : column;
              return (
                <th key={key ?? index} scope="col" className={cx(isCompact ? "py-1 pr-3 font-medium last:pr-0" : "px-4 py-2", columnClassName)}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className={cx("divide-y divide-slate-100", isCompact && "text-slate-800")}>{children}</tbody>
      </table>
    </div>
  );
}
