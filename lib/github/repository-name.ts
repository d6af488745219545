// GitHub's naming rules for "owner/name", as one zod schema for the API and the new-run form.
// A name that GitHub would not accept never reaches git or a path: "acme/..", "acme/.git" and
// "-x/y" (which git could read as an option) are refused with a message saying why.
import { z } from "zod";

/** Logins: letters, digits and single hyphens, not at either end (≤39); `_` for managed users. */
const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_])){0,38}$/;
/** Repository names: letters, digits, ".", "_" and "-" (≤100). */
const namePattern = /^[A-Za-z0-9._-]{1,100}$/;

export function describeRepositoryNameProblem(fullName: string): string | null {
  const parts = fullName.split("/");
  if (parts.length !== 2) return 'must be a GitHub repository in "owner/name" form, e.g. acme/webshop';
  const [owner, name] = parts;
  if (!ownerPattern.test(owner)) return "owner must be 1–39 letters, digits or single hyphens, not starting or ending with a hyphen";
  if (!namePattern.test(name)) return "name must be 1–100 letters, digits, '.', '_' or '-'";
  if (name === "." || name === "..") return `name cannot be "${name}"`;
  if (name.startsWith("-")) return "name cannot start with a hyphen";
  if (/\.git$/i.test(name)) return 'name cannot end in ".git" (leave the suffix off)';
  return null;
}

/** `owner/name`, trimmed and checked against GitHub's rules. */
export const repositoryFullName = z
  .string({ message: "is required" })
  .trim()
  .max(140, { message: "must be at most 140 characters" })
  .superRefine((value, ctx) => {
    const problem = describeRepositoryNameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
