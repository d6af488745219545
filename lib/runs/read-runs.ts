// Reading runs: one run by id, and the filtered, paged list.
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { RunStatus } from "@/lib/generated/prisma/enums";
import type { RunDetailDto, RunListDto } from "./run-dto";
import { runDetailSelect, toRunDetailDto, runSummarySelect, toRunSummaryDto } from "./to-run-dto";

// "Must exist" reads of one run: a missing run is a 404 (AppError not_found), never null.
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

const runStatuses = Object.values(RunStatus) as [RunStatus, ...RunStatus[]];

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1, { message: "must be at least 1" }).max(100, { message: "must be at most 100" }).default(20),
  cursor: z.string().max(64).optional(),
  /** One status or several, comma-separated: `status=running,planning`. */
  status: z
    .string()
    .max(200)
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(runStatuses, { message: `must be one or more of ${runStatuses.join(", ")}, comma-separated` })).max(runStatuses.length))
    .optional(),
  /** `owner/name`. */
  repo: z
    .string()
    .max(201)
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be owner/name" })
    .optional(),
  /** Words of the title, case-insensitive. */
  q: z.string().trim().max(200, { message: "must be at most 200 characters" }).optional(),
});

export type ListRunsQuery = z.infer<typeof listRunsQuery>;

/** Newest first, filtered. The cursor is the id of the last run of the previous page. */
export async function listRuns(query: ListRunsQuery): Promise<RunListDto> {
  const rows = await db.run.findMany({
    where: buildRunFilter(query),
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

function buildRunFilter(query: ListRunsQuery): Prisma.RunWhereInput {
  const [owner, name] = query.repo?.split("/") ?? [];
  const words = query.q?.split(/\s+/).filter(Boolean) ?? [];
  return {
    ...(query.status?.length ? { status: { in: query.status } } : {}),
    ...(query.repo ? { repository: { owner: { equals: owner, mode: "insensitive" }, name: { equals: name, mode: "insensitive" } } } : {}),
    ...(words.length ? { AND: words.map((word) => ({ title: { contains: word, mode: "insensitive" as const } })) } : {}),
  };
}
