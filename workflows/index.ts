import { addressReview } from "./functions/address-review";
import { cleanUpCancelledRun } from "./functions/clean-up-cancelled-run";
import { notifyRunFinished } from "./functions/notify-run-finished";
import { retryTask } from "./functions/retry-task";
import { runSpec } from "./functions/run-spec";
import { runTask } from "./functions/run-task";

/** Every Inngest function the app serves. */
export const functions = [runSpec, runTask, retryTask, addressReview, notifyRunFinished, cleanUpCancelledRun];
