import { Inngest } from "inngest";
import { getEnv } from "../lib/env";

/** INNGEST_DEV is "1" for the local Dev Server on :8288, or the URL of a dev server. */
function devServerUrl(): string | undefined {
  const dev = getEnv().INNGEST_DEV;
  if (!dev || dev === "0" || dev === "false") return undefined;
  return /^https?:\/\//.test(dev) ? dev.replace(/\/$/, "") : "http://localhost:8288";
}

/** Where events are sent; named in errors when the engine is unreachable. */
export function inngestEventApiUrl(): string {
  return getEnv().INNGEST_BASE_URL ?? devServerUrl() ?? "https://inn.gs";
}

export const inngest = new Inngest({
  id: "dark-factory",
  isDev: devServerUrl() !== undefined,
  baseUrl: getEnv().INNGEST_BASE_URL ?? devServerUrl(),
  eventKey: getEnv().INNGEST_EVENT_KEY,
  signingKey: getEnv().INNGEST_SIGNING_KEY,
});
