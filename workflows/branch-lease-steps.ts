// Durable steps around the branch lease (lib/tasks/branch-lease.ts): a writer waits its turn
// without holding a worker, and wakes when the holder lets go. Inngest's concurrency keys count
// executing steps, not runs, so they cannot keep two runs off one branch; this can.
import type { GetStepTools } from "inngest";
import { acquireBranchLease, releaseBranchLease as releaseLease } from "../lib/tasks/branch-lease";
import type { inngest } from "@/lib/inngest";
import { branchReleased } from "@/lib/events";

type Step = GetStepTools<typeof inngest>;

/**
 * How long a lease lasts without renewal. A holder renews it by acquiring again at its step
 * boundaries; a holder that crashed without releasing frees the branch after this.
 */
export const branchLeaseTtlMs = 60 * 60_000;

/**
 * A waiter re-checks the lease this often even without a release event: a release that lands
 * between a failed try and the wait, or a crashed holder whose lease expired, is never missed.
 */
const recheckAfter = "5m";

/** Waits of one writer before it gives up (each wait is two steps; Inngest caps steps per run). */
const maxWaits = 400;

export type HoldBranchLeaseOptions = {
  key: string;
  holder: string;
  /** Step-id prefix, unique within the calling function, e.g. `lease-iter-2`. */
  stepPrefix: string;
  ttlMs?: number;
  /**
   * True while an earlier writer of the same branch must go first (e.g. an older follow-up on
   * the same PR): the writer keeps waiting even if the lease is free, so writers go in order.
   */
  isQueuedBehind?: () => Promise<boolean>;
};

/**
 * Returns once `holder` holds the branch. Writers queue: each failed try waits for a
 * `factory/branch.released` event of this key (or the re-check time-out) and tries again.
 * Step ids are `${stepPrefix}-acquire-<n>` and `${stepPrefix}-wait-<n>`: deterministic, unique.
 */
export async function holdBranchLease(step: Step, options: HoldBranchLeaseOptions): Promise<{ waits: number }> {
  const ttlMs = options.ttlMs ?? branchLeaseTtlMs;
  for (let attempt = 1; attempt <= maxWaits + 1; attempt++) {
    const isAcquired = await step.run(`${options.stepPrefix}-acquire-${attempt}`, async () => {
      if (options.isQueuedBehind && (await options.isQueuedBehind())) return false;
      return acquireBranchLease({ key: options.key, holder: options.holder, ttlMs });
    });
    if (isAcquired) return { waits: attempt - 1 };
    if (attempt > maxWaits) break;
    await step.waitForEvent(`${options.stepPrefix}-wait-${attempt}`, {
      event: branchReleased,
      timeout: recheckAfter,
      if: `async.data.key == ${JSON.stringify(options.key)}`,
    });
  }
  throw new Error(`Gave up waiting for branch ${options.key} after ${maxWaits} waits; it is still held by another writer.`);
}

/** Lets go of the branch (if still held) and wakes the writers waiting for it. */
export async function releaseBranchLease(step: Step, options: { key: string; holder: string; stepPrefix: string }): Promise<void> {
  await step.run(`${options.stepPrefix}-release`, () => releaseLease({ key: options.key, holder: options.holder }));
  await step.sendEvent(`${options.stepPrefix}-released`, branchReleased.create({ key: options.key, holder: options.holder }));
}
