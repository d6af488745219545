"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { buttonClasses } from "../ui/button";
import { cx } from "../../lib/client/cx";
import { LogoutButton } from "./logout-button";
import { ThemeToggle } from "./theme-toggle";

export function AppNav() {
  const pathname = usePathname();
  const isRunsActive = pathname === "/" || (pathname.startsWith("/runs/") && pathname !== "/runs/new");
  const isSettingsActive = pathname === "/settings";
  const isRepositoriesActive = pathname === "/repositories";
  const isInsightsActive = pathname === "/insights";
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
      <nav aria-label="Main" className="mx-auto flex min-h-12 max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-1.5">
        <Link href="/" className="flex items-center gap-2 text-sm font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="inline-block size-2.5 rounded-sm bg-accent-600" />
          Dark Factory
        </Link>
        <Link
          href="/"
          aria-current={isRunsActive ? "page" : undefined}
          className={cx("rounded px-2 py-1 text-sm", isRunsActive ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:text-slate-900")}
        >
          Runs
        </Link>
        <Link
          href="/repositories"
          data-testid="nav-repositories"
          aria-current={isRepositoriesActive ? "page" : undefined}
          className={cx("rounded px-2 py-1 text-sm", isRepositoriesActive ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:text-slate-900")}
        >
          Repositories
        </Link>
        <Link
          href="/insights"
          data-testid="nav-insights"
          aria-current={isInsightsActive ? "page" : undefined}
          className={cx("rounded px-2 py-1 text-sm", isInsightsActive ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:text-slate-900")}
        >
          Insights
        </Link>
        <Link
          href="/settings"
          data-testid="nav-settings"
          aria-current={isSettingsActive ? "page" : undefined}
          className={cx("rounded px-2 py-1 text-sm", isSettingsActive ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:text-slate-900")}
        >
          Settings
        </Link>
        <div className="ml-auto flex items-center gap-2">
          <Link href="/runs/new" data-testid="nav-new-run" className={buttonClasses({ size: "sm" })}>
            New run
          </Link>
          <ThemeToggle />
          <LogoutButton />
        </div>
      </nav>
    </header>
  );
}
