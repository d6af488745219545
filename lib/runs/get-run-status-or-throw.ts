import { db } from "../db";
import { AppError } from "../errors";

export async function getRunStatusOrThrow(runId: string) {
  const run = await db.run.findUnique({ where: { id: runId }, select: { id: true, status: true } });
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  return run;
}
