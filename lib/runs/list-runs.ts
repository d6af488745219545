import { z } from "zod";
import { RunStatus } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import type { RunListDto } from "./run-dto";
import { runSummarySelect, toRunSummaryDto } from "./to-run-dto";

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
