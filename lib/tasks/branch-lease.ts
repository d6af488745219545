// One writer per task branch. run-task iterations and human follow-ups take this lease in
// turn before they change a branch. Inngest's concurrency limits count executing steps, not
// runs, so they cannot give this exclusion; a row per branch, taken with one conditional
// upsert, can. A holder that crashed frees the branch when its lease expires (database clock,
// so every app instance agrees on "expired").
import { db } from "../db";

export type BranchLeaseRequest = {
  /** From branchLeaseKey: "owner/name:branch". */
  key: string;
  /** Who writes, e.g. "task:<taskId>" or "follow-up:<id>". */
  holder: string;
};

/** The lease key of a branch: "owner/name:branch". */
export function branchLeaseKey(repository: { owner: string; name: string }, branch: string): string {
  return `${repository.owner}/${repository.name}:${branch}`;
}

/**
 * Takes the branch, atomically. True when the lease was free, expired, or already held by
 * this holder (then it is renewed for another ttlMs); false while someone else holds it.
 */
export async function acquireBranchLease(request: BranchLeaseRequest & { ttlMs: number }): Promise<boolean> {
  if (!Number.isFinite(request.ttlMs) || request.ttlMs <= 0) throw new Error(`ttlMs must be a positive number, got ${request.ttlMs}`);
  // One statement: concurrent acquirers serialise on the key's row, and exactly one of them
  // sees the row free (or expired) and takes it; a renewal keeps the original acquiredAt.
  const rows = await db.$queryRaw<{ key: string }[]>`
    INSERT INTO "BranchLease" (key, holder, "acquiredAt", "expiresAt")
    VALUES (${request.key}, ${request.holder}, now(), now() + ${request.ttlMs} * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      holder = EXCLUDED.holder,
      "acquiredAt" = CASE WHEN "BranchLease".holder = EXCLUDED.holder THEN "BranchLease"."acquiredAt" ELSE now() END,
      "expiresAt" = EXCLUDED."expiresAt"
    WHERE "BranchLease".holder = EXCLUDED.holder OR "BranchLease"."expiresAt" <= now()
    RETURNING key`;
  return rows.length === 1;
}

/** Frees the branch if this holder still holds it; true when it did. Never frees another holder's lease. */
export async function releaseBranchLease(request: BranchLeaseRequest): Promise<boolean> {
  const { count } = await db.branchLease.deleteMany({ where: { key: request.key, holder: request.holder } });
  return count === 1;
}

/** Who holds the branch now (an expired lease counts as free), for status and tests. */
export async function readBranchLeaseHolder(key: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ holder: string }[]>`SELECT holder FROM "BranchLease" WHERE key = ${key} AND "expiresAt" > now()`;
  return rows[0]?.holder ?? null;
}
