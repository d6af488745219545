// "Must exist" reads of one run: a missing run is a 404 (AppError not_found), never null.
import { db } from "../db";
import { AppError } from "../errors";
import type { RunDetailDto } from "./run-dto";
import { runDetailSelect, toRunDetailDto } from "./to-run-dto";

/** The run as the run page and GET /api/runs/:id show it. */
export async function getRunDetailOrThrow(runId: string): Promise<RunDetailDto> {
  const run = await db.run.findUnique({ where: { id: runId }, select: runDetailSelect });
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  return toRunDetailDto(run);
}

/** Just the status: enough for the event stream to know whether the run still changes. */
export async function getRunStatusOrThrow(runId: string) {
  const run = await db.run.findUnique({ where: { id: runId }, select: { id: true, status: true } });
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  return run;
}
