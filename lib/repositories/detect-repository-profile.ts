// How to set up, test, lint, typecheck and build a repository, read from its own files.
// Pure over a file reader, so every ecosystem is testable from fixtures; the reader decides
// where files come from (a checked-out workspace, or memory in tests). File contents are
// untrusted: they are parsed, never executed, and only short quoted snippets reach the report.
import { parse as parseToml } from "smol-toml";
import type { ProfileCommands } from "./repository-profile-schema";

/** Read access to a repository's tree; paths are relative to its root, with "/" separators. */
export type RepositoryFileReader = {
  /** The file's text, or null when it is absent, not a regular file, or too large. */
  readFile(path: string): Promise<string | null>;
  /** Entry names in a directory (files and folders, not recursive); [] when absent. */
  listDirectory(path: string): Promise<string[]>;
};

export type Ecosystem = "node" | "python" | "go" | "rust" | "make";

export type DetectedProfile = ProfileCommands & {
  /** The ecosystem whose commands were chosen, or null when none was recognised. */
  primary: Ecosystem | null;
  /** Other ecosystems found at the root, reported but not used. */
  others: Ecosystem[];
  /** Human-readable findings, one per line, e.g. "found package.json with scripts.test = vitest run". */
  report: string;
};

type Commands = Pick<DetectedProfile, "setupCommand" | "testCommand" | "lintCommand" | "typecheckCommand" | "buildCommand">;
type Candidate = { ecosystem: Ecosystem; commands: Commands; findings: string[] };

const noCommands: Commands = { setupCommand: null, testCommand: null, lintCommand: null, typecheckCommand: null, buildCommand: null };

export async function detectRepositoryProfile(reader: RepositoryFileReader): Promise<DetectedProfile> {
  const rootEntries = await reader.listDirectory("");
  const root = new Set(rootEntries);
  // When several ecosystems share the root, the first with a test command wins, in this order.
  const detected = await Promise.all([
    detectNode(reader, root),
    detectPython(reader, root, rootEntries),
    detectGo(reader, root),
    detectRust(reader, root),
    detectMake(reader, root),
  ]);
  const candidates = detected.filter((candidate): candidate is Candidate => candidate !== null);
  const ecosystems = candidates.filter((candidate) => candidate.ecosystem !== "make");
  const make = candidates.find((candidate) => candidate.ecosystem === "make");

  const primary =
    ecosystems.find((candidate) => candidate.commands.testCommand) ??
    ecosystems[0] ??
    (make?.commands.testCommand ? make : undefined);
  const commands: Commands = { ...(primary?.commands ?? noCommands) };
  const findings = candidates.flatMap((candidate) => candidate.findings);

  if (primary && primary !== make && !commands.testCommand && make?.commands.testCommand) {
    commands.testCommand = make.commands.testCommand;
    findings.push(`no ${primary.ecosystem} test command, so the Makefile's test target is used → ${make.commands.testCommand}`);
  } else if (primary && primary !== make && make?.commands.testCommand) {
    findings.push(`Makefile test target not used: ${primary.ecosystem} gives ${commands.testCommand}`);
  }

  const others = ecosystems.filter((candidate) => candidate !== primary).map((candidate) => candidate.ecosystem);
  if (primary) findings.push(`primary: ${primary.ecosystem}${others.length ? `; also found ${others.join(", ")} (commands not used)` : ""}`);
  else findings.push("no package.json, pyproject.toml, setup.cfg, requirements*.txt, go.mod, Cargo.toml or Makefile test target at the root");
  if (!commands.testCommand) findings.push("no test command: runs will report that no tests ran");

  findings.push(...(await describeNestedProjects(reader, rootEntries)));
  const ci = await detectCi(reader);
  findings.push(ci.finding);

  return { ...commands, hasCi: ci.hasCi, primary: primary?.ecosystem ?? null, others, report: findings.join("\n") };
}

// ---------------------------------------------------------------- Node

type PackageManager = "npm" | "pnpm" | "yarn" | "yarn-berry" | "bun";
const npmPlaceholderTest = /no test specified/i;

async function detectNode(reader: RepositoryFileReader, root: Set<string>): Promise<Candidate | null> {
  if (!root.has("package.json")) return null;
  const text = await reader.readFile("package.json");
  const manifest = parseJsonObject(text);
  if (!manifest) return { ecosystem: "node", commands: noCommands, findings: ["found package.json, but it is not a valid JSON object: no Node commands"] };
  const scripts = stringRecord(manifest.scripts);
  const findings: string[] = [];
  const { manager, setupCommand, lockfileFinding } = await choosePackageManager(reader, root, manifest);

  let testCommand: string | null = null;
  if (scripts.test === undefined) findings.push("found package.json without scripts.test");
  else if (npmPlaceholderTest.test(scripts.test) || !scripts.test.trim()) findings.push(`found package.json with npm's placeholder scripts.test (${quote(scripts.test)}): not a test command`);
  else {
    testCommand = runScript(manager, "test");
    findings.push(`found package.json with scripts.test = ${quote(scripts.test)} → ${testCommand}`);
  }
  findings.push(lockfileFinding);

  const lintScript = firstScript(scripts, ["lint"]);
  const typecheckScript = firstScript(scripts, ["typecheck", "type-check", "check-types", "types", "tsc"]);
  const buildScript = firstScript(scripts, ["build"]);
  let typecheckCommand = typecheckScript ? runScript(manager, typecheckScript) : null;
  if (typecheckScript) findings.push(`scripts.${typecheckScript} = ${quote(scripts[typecheckScript])} → ${typecheckCommand}`);
  else if (root.has("tsconfig.json")) {
    if (hasDependency(manifest, "typescript")) {
      typecheckCommand = `${execPrefix(manager)} tsc --noEmit`;
      findings.push(`tsconfig.json and the typescript dependency → ${typecheckCommand}`);
    } else findings.push("tsconfig.json without a typescript dependency: no typecheck command");
  }
  const lintCommand = lintScript ? runScript(manager, lintScript) : null;
  if (lintScript) findings.push(`scripts.lint = ${quote(scripts.lint)} → ${lintCommand}`);
  const buildCommand = buildScript ? runScript(manager, buildScript) : null;
  if (buildScript) findings.push(`scripts.build = ${quote(scripts.build)} → ${buildCommand}`);
  const workspaces = Array.isArray(manifest.workspaces) ? manifest.workspaces : stringArray((manifest.workspaces as { packages?: unknown } | undefined)?.packages);
  if (workspaces.length) findings.push(`monorepo workspaces: ${workspaces.slice(0, 5).map(String).join(", ")} (commands run at the root)`);

  return { ecosystem: "node", commands: { setupCommand, testCommand, lintCommand, typecheckCommand, buildCommand }, findings };
}

const lockfiles: { file: string; manager: PackageManager }[] = [
  { file: "pnpm-lock.yaml", manager: "pnpm" },
  { file: "yarn.lock", manager: "yarn" },
  { file: "package-lock.json", manager: "npm" },
  { file: "npm-shrinkwrap.json", manager: "npm" },
  { file: "bun.lock", manager: "bun" },
  { file: "bun.lockb", manager: "bun" },
];

async function choosePackageManager(reader: RepositoryFileReader, root: Set<string>, manifest: Record<string, unknown>) {
  // "packageManager": "pnpm@9.12.0" (corepack) settles a tie between lockfiles, and the choice without one.
  const declared = typeof manifest.packageManager === "string" ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(manifest.packageManager) : null;
  const present = lockfiles.filter((lock) => root.has(lock.file));
  const lock = present.find((candidate) => declared && candidate.manager === declared[1]) ?? present[0];
  const extra = present.filter((candidate) => candidate !== lock).map((candidate) => candidate.file);
  const extraNote = extra.length ? ` (also found ${extra.join(", ")}; ignored)` : "";

  if (!lock) {
    const manager = (declared?.[1] as PackageManager | undefined) ?? "npm";
    const setupCommand = `${manager} install`;
    const why = declared ? `packageManager ${quote(String(manifest.packageManager))}` : "npm by default";
    return { manager, setupCommand, lockfileFinding: `no lockfile (${why}) → ${setupCommand}` };
  }
  let manager = lock.manager;
  if (manager === "yarn" && (await isYarnBerry(reader, root, declared))) manager = "yarn-berry";
  const setupCommand = {
    npm: "npm ci",
    pnpm: "pnpm install --frozen-lockfile",
    yarn: "yarn install --frozen-lockfile",
    "yarn-berry": "yarn install --immutable",
    bun: "bun install --frozen-lockfile",
  }[manager];
  const flavour = manager === "yarn-berry" ? " (Yarn 2+)" : "";
  return { manager, setupCommand, lockfileFinding: `lockfile: ${lock.file}${flavour} → ${setupCommand}${extraNote}` };
}

/** Yarn 2+ refuses --frozen-lockfile's meaning; it has .yarnrc.yml and a lockfile with __metadata. */
async function isYarnBerry(reader: RepositoryFileReader, root: Set<string>, declared: RegExpExecArray | null): Promise<boolean> {
  if (declared?.[1] === "yarn") return Number(declared[2]) >= 2;
  if (root.has(".yarnrc.yml")) return true;
  const lock = await reader.readFile("yarn.lock");
  return lock !== null && /^__metadata:/m.test(lock);
}

function runScript(manager: PackageManager, script: string): string {
  if (script === "test") return { npm: "npm test", pnpm: "pnpm test", yarn: "yarn test", "yarn-berry": "yarn test", bun: "bun run test" }[manager];
  return { npm: `npm run ${script}`, pnpm: `pnpm run ${script}`, yarn: `yarn run ${script}`, "yarn-berry": `yarn run ${script}`, bun: `bun run ${script}` }[manager];
}

function execPrefix(manager: PackageManager): string {
  return { npm: "npx", pnpm: "pnpm exec", yarn: "yarn", "yarn-berry": "yarn", bun: "bunx" }[manager];
}

function firstScript(scripts: Record<string, string>, names: string[]): string | null {
  return names.find((name) => scripts[name]?.trim()) ?? null;
}

function hasDependency(manifest: Record<string, unknown>, name: string): boolean {
  return ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].some((field) => name in stringRecord(manifest[field]));
}

// ---------------------------------------------------------------- Python

type PythonRunner = "pip" | "uv" | "poetry";

async function detectPython(reader: RepositoryFileReader, root: Set<string>, rootEntries: string[]): Promise<Candidate | null> {
  const requirementFiles = rootEntries.filter((entry) => /^requirements[\w.-]*\.txt$/i.test(entry)).sort(byRequirementsPriority);
  const hasPyproject = root.has("pyproject.toml");
  const hasSetupCfg = root.has("setup.cfg");
  const hasSetupPy = root.has("setup.py");
  if (!hasPyproject && !hasSetupCfg && !hasSetupPy && !requirementFiles.length) return null;

  const findings: string[] = [];
  const pyprojectText = hasPyproject ? await reader.readFile("pyproject.toml") : null;
  const pyproject = pyprojectText === null ? null : parseTomlObject(pyprojectText);
  if (hasPyproject && !pyproject) findings.push("found pyproject.toml, but it is not valid TOML");
  const setupCfg = hasSetupCfg ? ((await reader.readFile("setup.cfg")) ?? "") : "";
  const requirements = await Promise.all(requirementFiles.map(async (file) => ({ file, text: (await reader.readFile(file)) ?? "" })));
  const tool = objectAt(pyproject, "tool");

  // Which requirement names appear anywhere the setup would install them.
  const declaredNames = new Set<string>([
    ...requirements.flatMap(({ text }) => requirementNames(text.split("\n"))),
    ...requirementNames(stringArray(objectAt(pyproject, "project")?.dependencies)),
    ...Object.values(objectAt(objectAt(pyproject, "project"), "optional-dependencies") ?? {}).flatMap((list) => requirementNames(stringArray(list))),
    ...Object.values(objectAt(pyproject, "dependency-groups") ?? {}).flatMap((list) => requirementNames(stringArray(list))),
    ...poetryDependencyNames(objectAt(tool, "poetry")),
  ]);

  const runner: PythonRunner = root.has("uv.lock") ? "uv" : root.has("poetry.lock") ? "poetry" : "pip";
  const run = { pip: ".venv/bin/python -m", uv: "uv run --frozen", poetry: "poetry run" }[runner];

  const pytestEvidence = [
    declaredNames.has("pytest") ? "pytest is a declared dependency" : null,
    objectAt(tool, "pytest") ? "pyproject.toml has [tool.pytest.ini_options]" : null,
    root.has("pytest.ini") ? "pytest.ini" : null,
    /^\[tool:pytest\]/m.test(setupCfg) ? "setup.cfg has [tool:pytest]" : null,
    root.has("tox.ini") && /^\[pytest\]/m.test((await reader.readFile("tox.ini")) ?? "") ? "tox.ini has [pytest]" : null,
    root.has("conftest.py") ? "conftest.py" : null,
    (await hasPythonTests(reader, root)) ? "a tests/ folder with test_*.py files" : null,
  ].filter((item): item is string => item !== null);
  const hasRuff = Boolean(objectAt(tool, "ruff")) || root.has("ruff.toml") || root.has(".ruff.toml");
  const hasMypy = Boolean(objectAt(tool, "mypy")) || root.has("mypy.ini") || root.has(".mypy.ini") || /^\[mypy\]/m.test(setupCfg);
  const hasFlake8 = !hasRuff && (root.has(".flake8") || /^\[flake8\]/m.test(setupCfg));

  const isInstallable = Boolean(objectAt(pyproject, "build-system") || objectAt(pyproject, "project")) || hasSetupPy || /^\[(metadata|options)\]/m.test(setupCfg);
  const testExtra = ["test", "tests", "testing", "dev"].find((extra) => objectAt(objectAt(pyproject, "project"), "optional-dependencies")?.[extra] !== undefined);

  let setupCommand: string;
  if (runner === "uv") {
    setupCommand = "uv sync --frozen --all-extras";
    findings.push(`lockfile: uv.lock → ${setupCommand}`);
  } else if (runner === "poetry") {
    setupCommand = "POETRY_VIRTUALENVS_IN_PROJECT=true poetry install --no-interaction";
    findings.push(`lockfile: poetry.lock → ${setupCommand}`);
  } else {
    // Packages go into a virtualenv inside the workspace: the only place the sandbox can write.
    const installs = [
      ...requirements.map(({ file }) => `-r ${file}`),
      ...(isInstallable ? [testExtra ? `-e '.[${testExtra}]'` : "-e ."] : []),
      // A configured tool the requirements forget would fail as "No module named ...".
      ...(pytestEvidence.length && !declaredNames.has("pytest") ? ["pytest"] : []),
      ...(hasRuff && !declaredNames.has("ruff") ? ["ruff"] : []),
      ...(hasMypy && !declaredNames.has("mypy") ? ["mypy"] : []),
      ...(hasFlake8 && !declaredNames.has("flake8") ? ["flake8"] : []),
    ];
    setupCommand = `python3 -m venv .venv${installs.length ? ` && .venv/bin/python -m pip install ${installs.join(" ")}` : ""}`;
    const sources = [...requirementFiles, ...(isInstallable ? [`the project${testExtra ? ` with its [${testExtra}] extra` : ""}`] : [])];
    findings.push(`found ${describePythonManifests(hasPyproject, hasSetupCfg, hasSetupPy, requirementFiles)}; setup installs ${sources.length ? sources.join(", ") : "nothing declared"} into .venv → ${setupCommand}`);
  }

  let testCommand: string | null = null;
  if (pytestEvidence.length) {
    testCommand = `${run} pytest`;
    findings.push(`pytest: ${pytestEvidence.join(", ")} → ${testCommand}`);
  } else findings.push("no pytest configuration, dependency or tests/ folder: no Python test command");
  const lintCommand = hasRuff ? `${run} ruff check .` : hasFlake8 ? `${run} flake8` : null;
  if (lintCommand) findings.push(`${hasRuff ? "ruff" : "flake8"} configured → ${lintCommand}`);
  const typecheckCommand = hasMypy ? `${run} mypy .` : null;
  if (typecheckCommand) findings.push(`mypy configured → ${typecheckCommand}`);

  return { ecosystem: "python", commands: { setupCommand, testCommand, lintCommand, typecheckCommand, buildCommand: null }, findings };
}

/** requirements.txt first, then dev/test files, so the install line reads naturally. */
function byRequirementsPriority(a: string, b: string): number {
  const rank = (file: string) => (file.toLowerCase() === "requirements.txt" ? 0 : /dev|test/i.test(file) ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function describePythonManifests(hasPyproject: boolean, hasSetupCfg: boolean, hasSetupPy: boolean, requirementFiles: string[]): string {
  return [hasPyproject && "pyproject.toml", hasSetupCfg && "setup.cfg", hasSetupPy && "setup.py", ...requirementFiles].filter(Boolean).join(", ");
}

/** Distribution names from requirement lines ("pytest>=8", "ruff==0.6 ; python_version>'3.8'"), normalised. */
function requirementNames(lines: string[]): string[] {
  return lines
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && !line.startsWith("-"))
    .map((line) => /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1]?.toLowerCase().replace(/[._]+/g, "-") ?? "")
    .filter(Boolean);
}

function poetryDependencyNames(poetry: Record<string, unknown> | null): string[] {
  if (!poetry) return [];
  const groups = Object.values(objectAt(poetry, "group") ?? {}).map((group) => objectAt(group, "dependencies"));
  return [objectAt(poetry, "dependencies"), objectAt(poetry, "dev-dependencies"), ...groups].flatMap((table) => Object.keys(table ?? {}).map((name) => name.toLowerCase()));
}

async function hasPythonTests(reader: RepositoryFileReader, root: Set<string>): Promise<boolean> {
  for (const folder of ["tests", "test"]) {
    if (!root.has(folder)) continue;
    const entries = await reader.listDirectory(folder);
    if (entries.some((entry) => /^test_.*\.py$|_test\.py$/.test(entry))) return true;
  }
  return false;
}

// ---------------------------------------------------------------- Go, Rust, Make

async function detectGo(reader: RepositoryFileReader, root: Set<string>): Promise<Candidate | null> {
  if (!root.has("go.mod")) return null;
  const goMod = (await reader.readFile("go.mod")) ?? "";
  const module = /^module\s+(\S+)/m.exec(goMod)?.[1];
  const golangci = [".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"].find((file) => root.has(file));
  const commands: Commands = {
    setupCommand: "go mod download",
    testCommand: "go test ./...",
    lintCommand: golangci ? "golangci-lint run" : "go vet ./...",
    typecheckCommand: null,
    buildCommand: "go build ./...",
  };
  return {
    ecosystem: "go",
    commands,
    findings: [
      `found go.mod${module ? ` (module ${quote(module)})` : ""} → setup ${commands.setupCommand}, test ${commands.testCommand}, build ${commands.buildCommand}`,
      golangci ? `${golangci} → lint ${commands.lintCommand}` : `lint ${commands.lintCommand}`,
    ],
  };
}

async function detectRust(reader: RepositoryFileReader, root: Set<string>): Promise<Candidate | null> {
  if (!root.has("Cargo.toml")) return null;
  const manifest = parseTomlObject((await reader.readFile("Cargo.toml")) ?? "");
  if (!manifest) return { ecosystem: "rust", commands: noCommands, findings: ["found Cargo.toml, but it is not valid TOML: no Rust commands"] };
  const isLocked = root.has("Cargo.lock");
  const locked = isLocked ? " --locked" : "";
  const clippyConfig =
    (root.has("clippy.toml") && "clippy.toml") ||
    (root.has(".clippy.toml") && ".clippy.toml") ||
    (objectAt(objectAt(manifest, "lints"), "clippy") && "[lints.clippy] in Cargo.toml") ||
    (objectAt(objectAt(objectAt(manifest, "workspace"), "lints"), "clippy") && "[workspace.lints.clippy] in Cargo.toml") ||
    null;
  const commands: Commands = {
    setupCommand: `cargo fetch${locked}`,
    testCommand: `cargo test${locked}`,
    lintCommand: clippyConfig ? `cargo clippy${locked} --all-targets -- -D warnings` : null,
    typecheckCommand: null,
    buildCommand: `cargo build${locked}`,
  };
  const kind = objectAt(manifest, "workspace") ? "a Cargo workspace" : `crate ${quote(String(objectAt(manifest, "package")?.name ?? "?"))}`;
  return {
    ecosystem: "rust",
    commands,
    findings: [
      `found Cargo.toml (${kind})${isLocked ? " and Cargo.lock" : ""} → setup ${commands.setupCommand}, test ${commands.testCommand}, build ${commands.buildCommand}`,
      clippyConfig ? `${clippyConfig} → lint ${commands.lintCommand}` : "no clippy configuration: no lint command",
    ],
  };
}

async function detectMake(reader: RepositoryFileReader, root: Set<string>): Promise<Candidate | null> {
  const makefile = ["GNUmakefile", "makefile", "Makefile"].find((file) => root.has(file));
  if (!makefile) return null;
  const text = (await reader.readFile(makefile)) ?? "";
  // A rule line "test:" (also "test: deps", ".PHONY"-declared or not), never "test := value".
  const hasTestTarget = /^test\s*:(?!=)/m.test(text);
  if (!hasTestTarget) return { ecosystem: "make", commands: noCommands, findings: [`found ${makefile} without a test target`] };
  return { ecosystem: "make", commands: { ...noCommands, testCommand: "make test" }, findings: [`found ${makefile} with a test target → make test`] };
}

// ---------------------------------------------------------------- CI and nested projects

async function detectCi(reader: RepositoryFileReader): Promise<{ hasCi: boolean; finding: string }> {
  const workflows = (await reader.listDirectory(".github/workflows")).filter((file) => /\.ya?ml$/i.test(file)).sort();
  if (!workflows.length) return { hasCi: false, finding: "CI: no .github/workflows/*.yml, so runs do not wait for checks" };
  const shown = workflows.slice(0, 5).join(", ") + (workflows.length > 5 ? `, and ${workflows.length - 5} more` : "");
  return { hasCi: true, finding: `CI: .github/workflows has ${shown}` };
}

const manifestNames = ["package.json", "pyproject.toml", "go.mod", "Cargo.toml"];
const skippedFolders = new Set(["node_modules", "vendor", "dist", "build", "target", ".git", ".venv", "venv"]);

/** Projects one level down (a monorepo's parts), named so a user can point commands at them. */
async function describeNestedProjects(reader: RepositoryFileReader, rootEntries: string[]): Promise<string[]> {
  const folders = rootEntries.filter((entry) => !entry.includes(".") && !skippedFolders.has(entry)).sort().slice(0, 40);
  const nested = await Promise.all(
    folders.map(async (folder) => {
      const entries = new Set(await reader.listDirectory(folder));
      return manifestNames.filter((file) => entries.has(file)).map((file) => `${folder}/${file}`);
    }),
  );
  const found = nested.flat();
  if (!found.length) return [];
  const shown = found.slice(0, 8).join(", ") + (found.length > 8 ? `, and ${found.length - 8} more` : "");
  return [`also found ${shown} below the root (not used: commands run at the root)`];
}

// ---------------------------------------------------------------- parsing helpers

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function parseTomlObject(text: string): Record<string, unknown> | null {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, key: string): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const child = value[key];
  return isObject(child) ? child : null;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** A short, single-line rendering of repository text for the report. */
function quote(value: string): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
