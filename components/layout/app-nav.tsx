"use client";
// The top bar on every dashboard page: the sections, New run, the theme and logging out.

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { cx } from "@/lib/client/format";
import { applyThemeChoice, readThemeChoice, THEME_CHOICES, type ThemeChoice } from "@/lib/client/theme";
import { useLogout } from "@/lib/client/use-session";
import { Button, buttonClasses } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

/** The sections, each with the paths on which it is the current page. */
const navLinks: { href: string; label: string; testId?: string; isActive: (pathname: string) => boolean }[] = [
  // A run's page belongs to Runs; the new-run form belongs to the New run button.
  { href: "/", label: "Runs", isActive: (pathname) => pathname === "/" || (pathname.startsWith("/runs/") && pathname !== "/runs/new") },
  { href: "/repositories", label: "Repositories", testId: "nav-repositories", isActive: (pathname) => pathname === "/repositories" },
  { href: "/insights", label: "Insights", testId: "nav-insights", isActive: (pathname) => pathname === "/insights" },
  { href: "/settings", label: "Settings", testId: "nav-settings", isActive: (pathname) => pathname === "/settings" },
];

export function AppNav() {
  const pathname = usePathname();
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur">
      <nav aria-label="Main" className="mx-auto flex min-h-12 max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-1.5">
        <Link href="/" className="flex items-center gap-2 text-sm font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="inline-block size-2.5 rounded-sm bg-accent-600" />
          Dark Factory
        </Link>
        {navLinks.map((link) => {
          const isActive = link.isActive(pathname);
          return (
            <Link
              key={link.href}
              href={link.href}
              data-testid={link.testId}
              aria-current={isActive ? "page" : undefined}
              className={cx("rounded px-2 py-1 text-sm", isActive ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:text-slate-900")}
            >
              {link.label}
            </Link>
          );
        })}
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

const THEME_LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };
const THEME_ICONS: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

/** Cycles system → light → dark. Follows the system until the user picks. */
function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(readThemeChoice()), []);
  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length];
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme-choice={choice}
      onClick={() => {
        applyThemeChoice(next);
        setChoice(next);
      }}
      aria-label={`Theme: ${THEME_LABELS[choice]}. Switch to ${THEME_LABELS[next]}`}
      title={`Theme: ${THEME_LABELS[choice]}`}
      className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
    >
      <span aria-hidden>{THEME_ICONS[choice]}</span>
      <span className="hidden sm:inline">{THEME_LABELS[choice]}</span>
    </button>
  );
}

function LogoutButton() {
  const router = useRouter();
  const logout = useLogout();
  const showToast = useToast();
  return (
    <Button
      variant="ghost"
      size="sm"
      data-testid="logout"
      disabled={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, {
          onSuccess: () => {
            router.replace("/login");
            router.refresh();
          },
          onError: (error) => showToast({ tone: "error", title: "Could not log out", message: error.message }),
        })
      }
    >
      Log out
    </Button>
  );
}
