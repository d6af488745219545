import { NonRetriableError } from "inngest";
import { AppError } from "../lib/errors";

/**
 * Runs a step body, turning errors that no retry can fix (a missing repository, bad
 * credentials, a refused push: AppErrors with a 4xx code other than 429) into
 * NonRetriableError, so the workflow fails at once with the readable reason.
 */
export async function failFastOnPermanentErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.status >= 400 && error.status < 500 && error.status !== 429) {
      throw new NonRetriableError(error.message, { cause: error });
    }
    throw error;
  }
}
