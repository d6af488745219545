// Light, dark or the system's choice. The choice lives in localStorage; the `dark` class on
// <html> is what the CSS reads (app/globals.css mirrors the palette under it).
export type ThemeChoice = "system" | "light" | "dark";

const THEME_STORAGE_KEY = "factory-theme";
export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];

/**
 * Runs before first paint (inlined in app/layout.tsx), so a dark page never flashes light.
 * Kept as a string: it must not depend on the bundle.
 */
export const themeBootScript = `(function(){try{var c=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var m=window.matchMedia("(prefers-color-scheme: dark)");var apply=function(){var s=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)})||"system";document.documentElement.classList.toggle("dark",s==="dark"||(s==="system"&&m.matches));};apply();m.addEventListener("change",apply);}catch(e){}})();`;

export function readThemeChoice(): ThemeChoice {
  const saved = typeof localStorage === "undefined" ? null : localStorage.getItem(THEME_STORAGE_KEY);
  return saved === "light" || saved === "dark" ? saved : "system";
}

export function applyThemeChoice(choice: ThemeChoice) {
  if (choice === "system") localStorage.removeItem(THEME_STORAGE_KEY);
  else localStorage.setItem(THEME_STORAGE_KEY, choice);
  const prefersDark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.classList.toggle("dark", choice === "dark" || (choice === "system" && prefersDark));
}
