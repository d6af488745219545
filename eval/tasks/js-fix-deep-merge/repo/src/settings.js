import { deepMerge } from "./merge.js";

export const defaultSettings = {
  theme: { mode: "light", accent: "blue" },
  editor: { tabSize: 2, rulers: [80] },
  telemetry: false,
};

/** The effective settings for a user: defaults, then the team's, then the user's own. */
export function resolveSettings(team, user) {
  return deepMerge(defaultSettings, team, user);
}
