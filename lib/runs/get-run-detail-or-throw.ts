import { db } from "../db";
import { AppError } from "../errors";
import type { RunDetailDto } from "./run-dto";
import { runDetailSelect, toRunDetailDto } from "./to-run-dto";

export async function getRunDetailOrThrow(runId: string): Promise<RunDetailDto> {
  const run = await db.run.findUnique({ where: { id: runId }, select: runDetailSelect });
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  return toRunDetailDto(run);
}
