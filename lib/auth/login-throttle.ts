// Wrong logins are rate limited per client address and overall, in the database so that every
// app instance counts the same failures. The overall limit holds even against a client that
// varies its address (X-Forwarded-For is whatever the last proxy, or the client, says).
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const loginThrottleWindowSec = 15 * 60;
export const maxFailuresPerClient = 10;
const maxFailuresOverall = 100;

const overallKey = "login:all";

/** The client's address as the nearest proxy reported it (Next fills it from the socket otherwise). */
export function loginClientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean);
  const address = forwarded?.at(-1) ?? request.headers.get("x-real-ip") ?? "unknown";
  return `login:client:${address.slice(0, 100)}`;
}

/** Throws 429 (with `details.retryAfterSec`) while this client, or everyone, is over the limit. */
export async function assertLoginAllowed(clientKey: string, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - loginThrottleWindowSec * 1000);
  const rows = await db.loginThrottle.findMany({ where: { key: { in: [clientKey, overallKey] }, windowStartedAt: { gt: windowStart } } });
  const blocking = rows.find((row) => row.failures >= (row.key === overallKey ? maxFailuresOverall : maxFailuresPerClient));
  if (!blocking) return;
  const retryAfterSec = Math.max(1, Math.ceil((blocking.windowStartedAt.getTime() + loginThrottleWindowSec * 1000 - now.getTime()) / 1000));
  throw new AppError("rate_limited", `Too many wrong logins. Try again in ${Math.ceil(retryAfterSec / 60)} minute(s).`, { details: { retryAfterSec } });
}

/** Counts one wrong login against the client and overall; a window older than 15 minutes restarts. */
export async function recordLoginFailure(clientKey: string, now = new Date()): Promise<void> {
  // Times come from here, not the database clock, so they compare like the reads above.
  const windowStart = new Date(now.getTime() - loginThrottleWindowSec * 1000);
  for (const key of [clientKey, overallKey]) {
    await db.$executeRaw`
      INSERT INTO "LoginThrottle" ("key", "failures", "windowStartedAt") VALUES (${key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "LoginThrottle"."windowStartedAt" <= ${windowStart} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
        "windowStartedAt" = CASE WHEN "LoginThrottle"."windowStartedAt" <= ${windowStart} THEN ${now} ELSE "LoginThrottle"."windowStartedAt" END`;
  }
}

/** A correct login clears the client's own count (the overall count runs out with its window). */
export async function clearLoginFailures(clientKey: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: clientKey } });
}
