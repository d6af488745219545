import { Inngest } from "inngest";
import { getEnv } from "../lib/env";

function createInngest() {
  const env = getEnv();
  // INNGEST_DEV may be "1" (the local Dev Server) or a URL of a dev server to use.
  const devUrl = env.INNGEST_DEV && /^https?:\/\//.test(env.INNGEST_DEV) ? env.INNGEST_DEV : undefined;
  return new Inngest({
    id: "dark-factory",
    isDev: env.INNGEST_DEV !== undefined && env.INNGEST_DEV !== "0",
    baseUrl: env.INNGEST_BASE_URL ?? devUrl,
    eventKey: env.INNGEST_EVENT_KEY,
  });
}

export const inngest = createInngest();
