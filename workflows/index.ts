import { runSpec } from "./functions/run-spec";

/** Every Inngest function the app serves. */
export const functions = [runSpec];
