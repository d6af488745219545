"use client";

import { useEffect, useState } from "react";
import { applyThemeChoice, readThemeChoice, THEME_CHOICES, type ThemeChoice } from "../../lib/client/theme";

const LABELS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };
const ICONS: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };

/** Cycles system → light → dark. Follows the system until the user picks. */
export function ThemeToggle() {
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
      aria-label={`Theme: ${LABELS[choice]}. Switch to ${LABELS[next]}`}
      title={`Theme: ${LABELS[choice]}`}
      className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
    >
      <span aria-hidden>{ICONS[choice]}</span>
      <span className="hidden sm:inline">{LABELS[choice]}</span>
    </button>
  );
}
