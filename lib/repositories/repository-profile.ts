// A repository's profile: how to set it up, test, lint, typecheck and build it, whether it has
// CI, and its follow-up budget. Detected from the default branch on first use, editable by a
// user (edits are never overwritten), and overridable per run for setup and tests.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { openSessionWorkspace } from "@/lib/github/repository";
import { detectRepositoryProfile, type DetectedProfile } from "./detect-repository-profile";
import { profileCommandNames, type RepositoryProfile, type UpdateRepositoryProfileInput } from "./repository-profile-schema";
import { createWorkspaceFileReader } from "./workspace-file-reader";

export { detectRepositoryProfile, type DetectedProfile, type RepositoryFileReader } from "./detect-repository-profile";
export { commandField, describeNoTestCommand, updateRepositoryProfileInput, type RepositoryProfile } from "./repository-profile-schema";

const profileSelect = {
  id: true,
  owner: true,
  name: true,
  defaultBranch: true,
  setupCommand: true,
  testCommand: true,
  lintCommand: true,
  typecheckCommand: true,
  buildCommand: true,
  hasCi: true,
  detectionReport: true,
  profileSource: true,
  detectedSha: true,
  detectedAt: true,
  followUpBudgetUsd: true,
  coderAttempts: true,
  updatedAt: true,
} satisfies Prisma.RepositorySelect;

type ProfileRow = Prisma.RepositoryGetPayload<{ select: typeof profileSelect }>;

function toRepositoryProfile(row: ProfileRow): RepositoryProfile {
  return {
    ...row,
    fullName: `${row.owner}/${row.name}`,
    detectedAt: row.detectedAt?.toISOString() ?? null,
    followUpBudgetUsd: row.followUpBudgetUsd.toNumber(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listRepositoryProfiles(): Promise<RepositoryProfile[]> {
  const rows = await db.repository.findMany({ orderBy: [{ owner: "asc" }, { name: "asc" }], select: profileSelect, take: 500 });
  return rows.map(toRepositoryProfile);
}

export async function getRepositoryProfileOrThrow(ref: { owner: string; name: string }): Promise<RepositoryProfile> {
  const row = await db.repository.findUnique({ where: { owner_name: ref }, select: profileSelect });
  if (!row) throw unknownRepository(ref);
  return toRepositoryProfile(row);
}

/** Applies a user's edit: the fields given change, "" or null clears a command, and the profile becomes the user's. */
export async function updateRepositoryProfile(options: { owner: string; name: string; input: UpdateRepositoryProfileInput }): Promise<RepositoryProfile> {
  const { input } = options;
  const data: Prisma.RepositoryUpdateInput = { profileSource: "user" };
  for (const command of profileCommandNames) {
    const value = input[command];
    if (value !== undefined) data[command] = value ? value : null;
  }
  if (input.hasCi !== undefined) data.hasCi = input.hasCi;
  if (input.followUpBudgetUsd !== undefined) data.followUpBudgetUsd = input.followUpBudgetUsd;
  if (input.coderAttempts !== undefined) data.coderAttempts = input.coderAttempts;
  const ref = { owner: options.owner, name: options.name };
  const updated = await db.repository.updateMany({ where: ref, data: data as Prisma.RepositoryUpdateManyMutationInput });
  if (updated.count === 0) throw unknownRepository(ref);
  return getRepositoryProfileOrThrow(ref);
}

const detections = new Map<string, Promise<RepositoryProfile>>();

/**
 * The repository's profile, detected from its default branch on first use (detectedAt null)
 * or when forced. A detected profile takes the new commands and CI flag; a user's profile
 * keeps every command and setting, and only its report, sha and time are refreshed.
 * Concurrent callers in one process share one detection (they would share a workspace).
 */
export async function ensureRepositoryProfile(options: { repositoryId: string; force?: boolean }): Promise<RepositoryProfile> {
  const row = await db.repository.findUnique({ where: { id: options.repositoryId }, select: profileSelect });
  if (!row) throw new AppError("not_found", `Repository ${options.repositoryId} not found`);
  if (!options.force && row.detectedAt) return toRepositoryProfile(row);

  const running = detections.get(row.id);
  if (running) return running;
  const detection = detectAndStore(row).finally(() => detections.delete(row.id));
  detections.set(row.id, detection);
  return detection;
}

async function detectAndStore(row: ProfileRow): Promise<RepositoryProfile> {
  const { detected, sha } = await detectOnDefaultBranch(row);
  const detectedAt = new Date();
  const asDetected = {
    setupCommand: detected.setupCommand,
    testCommand: detected.testCommand,
    lintCommand: detected.lintCommand,
    typecheckCommand: detected.typecheckCommand,
    buildCommand: detected.buildCommand,
    hasCi: detected.hasCi,
    detectionReport: detected.report,
    detectedSha: sha,
    detectedAt,
  };
  // Conditional on the source, so a user's edit that lands mid-detection is never overwritten.
  const replaced = await db.repository.updateMany({ where: { id: row.id, profileSource: "detected" }, data: asDetected });
  if (replaced.count === 0) {
    const current = await db.repository.findUniqueOrThrow({ where: { id: row.id }, select: profileSelect });
    await db.repository.update({
      where: { id: row.id },
      data: { detectionReport: describeKeptUserProfile(current, detected), detectedSha: sha, detectedAt },
    });
  }
  return toRepositoryProfile(await db.repository.findUniqueOrThrow({ where: { id: row.id }, select: profileSelect }));
}

/** Opens the default branch's head in the repository's own profile workspace and reads it. */
async function detectOnDefaultBranch(repository: { id: string; owner: string; name: string; defaultBranch: string }): Promise<{ detected: DetectedProfile; sha: string }> {
  // A factory/* branch name that is never pushed: the checkout starts from the default branch.
  const { workspace, headSha } = await openSessionWorkspace({
    repository,
    workspaceKey: `profile-${repository.id}`,
    branch: `factory/profile-${repository.id}`,
  });
  return { detected: await detectRepositoryProfile(createWorkspaceFileReader(workspace)), sha: headSha };
}

function describeKeptUserProfile(current: ProfileRow, detected: DetectedProfile): string {
  const fields = [...profileCommandNames, "hasCi"] as const;
  const differences = fields
    .filter((field) => (current[field] ?? null) !== (detected[field] ?? null))
    .map((field) => `${field}: profile has ${show(current[field])}, detection found ${show(detected[field])}`);
  return [
    "Profile edited by a user: its commands and CI setting were kept.",
    ...(differences.length ? differences : ["Detection agrees with every command and setting."]),
    "",
    detected.report,
  ].join("\n");
}

function show(value: string | boolean | null): string {
  return value === null || value === "" ? "none" : typeof value === "boolean" ? String(value) : value;
}

export type CommandSource = "run" | "repository";

/**
 * The setup and test commands a run uses: its own override when set ("" means none),
 * otherwise the repository profile's. Null means no such step.
 */
export function resolveRunCommands(options: {
  run: { testCommand: string | null; setupCommand: string | null };
  repository: { testCommand: string | null; setupCommand: string | null };
}): { setupCommand: string | null; testCommand: string | null; source: { setupCommand: CommandSource; testCommand: CommandSource } } {
  const pick = (field: "setupCommand" | "testCommand") => {
    const override = options.run[field];
    if (override !== null && override !== undefined) return { command: override.trim() || null, source: "run" as const };
    return { command: options.repository[field]?.trim() || null, source: "repository" as const };
  };
  const setup = pick("setupCommand");
  const test = pick("testCommand");
  return { setupCommand: setup.command, testCommand: test.command, source: { setupCommand: setup.source, testCommand: test.source } };
}

function unknownRepository(ref: { owner: string; name: string }): AppError {
  return new AppError("not_found", `Repository ${ref.owner}/${ref.name} is not known to the factory. It is added when a run first uses it.`);
}
