import { z } from "zod";
import { db } from "../db";
import type { RunListDto } from "./run-dto";
import { runSummarySelect, toRunSummaryDto } from "./to-run-dto";

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1, { message: "must be at least 1" }).max(100, { message: "must be at most 100" }).default(20),
  cursor: z.string().max(64).optional(),
});

/** Newest first. The cursor is the id of the last run of the previous page. */
export async function listRuns(query: z.infer<typeof listRunsQuery>): Promise<RunListDto> {
  const rows = await db.run.findMany({
    select: runSummarySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, query.limit);
  return {
    runs: page.map(toRunSummaryDto),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}
