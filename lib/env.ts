// The only module that reads process.env. Validated on first use (and at start-up by the
// launchers), so a bad value fails fast with a message naming the variable.
import { z } from "zod";
import { isModelRef, modelRefExample, modelRefFormat } from "./llm/model-ref";

const modelRef = z.string().refine(isModelRef, { message: `expected ${modelRefFormat}, e.g. "${modelRefExample}"` });

/** A role's escalation ladder: one "provider:model", or several comma-separated, tried in order. */
const modelLadder = z
  .string()
  .refine((value) => value.split(",").every((part) => modelRef.safeParse(part.trim()).success), {
    message: 'expected "provider:model", or a comma-separated escalation ladder such as "openai-compatible:glm-5.2,anthropic:claude-opus-4-7"',
  });

const priceEntry = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
});

const modelPrices = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.record(modelRef, priceEntry, { message: 'expected {"provider:model": {"input": 1.4, "output": 4, "cacheRead": 0.14, "cacheWrite": 0}} ($ per million tokens)' }));

const url = z.url({ message: "expected an absolute URL, e.g. http://localhost:3000" });

/** Empty strings (common in .env files) count as unset. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** A whole-number sandbox limit with a default and a floor low enough for tests, not for work. */
const sandboxLimit = (fallback: number, minimum: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ message: `expected a whole number (default ${fallback})` }).int().min(minimum).default(fallback));

/** Package registries a repository's setup command needs: npm, PyPI, the Go module proxy, crates.io. */
const defaultSetupAllowedHosts = [
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "pypi.org",
  "files.pythonhosted.org",
  "proxy.golang.org",
  "sum.golang.org",
  "index.crates.io",
  "static.crates.io",
  "crates.io",
];

const envSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"])),
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, { message: "expected postgresql://user:password@host:port/db" })),
  FACTORY_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().default(".factory")),
  FACTORY_DB_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  FACTORY_PUBLIC_URL: optional(url),
  FACTORY_API_TOKEN: optional(z.string().min(16, { message: "must be at least 16 characters; leave unset and `npm run dev` generates one" })),
  FACTORY_MODEL: optional(modelRef),
  FACTORY_MODEL_PLANNER: optional(modelLadder),
  FACTORY_MODEL_CODER: optional(modelLadder),
  FACTORY_MODEL_TESTER: optional(modelLadder),
  FACTORY_MODEL_REVIEWER: optional(modelLadder),
  FACTORY_MODEL_FIXER: optional(modelLadder),
  FACTORY_MODEL_PRICES: optional(modelPrices),
  FACTORY_SANDBOX: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["bwrap", "none"], { message: 'expected "bwrap" (default) or "none"' }).default("bwrap")),
  // Resource limits of every sandboxed command (agent commands, setup, tests); see lib/sandbox/resource-limits.ts.
  FACTORY_SANDBOX_MEMORY_MB: sandboxLimit(2048, 64),
  FACTORY_SANDBOX_PIDS: sandboxLimit(512, 16),
  FACTORY_SANDBOX_CPU_SECONDS: sandboxLimit(1800, 1),
  FACTORY_SANDBOX_CPUS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ message: "expected a number of CPUs, e.g. 1 or 1.5" }).min(0.1).max(1024).optional()),
  FACTORY_SANDBOX_FILE_SIZE_MB: sandboxLimit(1024, 1),
  FACTORY_SANDBOX_DISK_MB: sandboxLimit(10240, 16),
  /** Hosts the setup command may reach through the egress proxy; "*.example.com" allows subdomains. */
  FACTORY_SETUP_ALLOWED_HOSTS: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : String(v).split(",").map((host) => host.trim().toLowerCase()).filter(Boolean)),
    z.array(z.string().regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, { message: 'expected comma-separated host names, e.g. "registry.npmjs.org,*.pythonhosted.org"' }))
      .default(defaultSetupAllowedHosts),
  ),
  OPENAI_API_KEY: optional(z.string()),
  OPENAI_BASE_URL: optional(url),
  ANTHROPIC_API_KEY: optional(z.string()),
  ANTHROPIC_BASE_URL: optional(url),
  OPENAI_COMPATIBLE_BASE_URL: optional(url),
  OPENAI_COMPATIBLE_API_KEY: optional(z.string()),
  GITHUB_TOKEN: optional(z.string()),
  GITHUB_APP_ID: optional(z.string().regex(/^\d+$/, { message: "expected the numeric GitHub App id" })),
  GITHUB_APP_PRIVATE_KEY: optional(z.string().includes("PRIVATE KEY", { message: "expected a PEM private key (-----BEGIN ... PRIVATE KEY-----)" })),
  GITHUB_API_URL: z.preprocess((v) => (v === "" ? undefined : v), url.default("https://api.github.com")),
  GITHUB_WEBHOOK_SECRET: optional(z.string().min(8, { message: "must be at least 8 characters" })),
  SLACK_WEBHOOK_URL: optional(url),
  INNGEST_DEV: optional(z.string()),
  INNGEST_BASE_URL: optional(url),
  INNGEST_EVENT_KEY: optional(z.string()),
  INNGEST_SIGNING_KEY: optional(z.string()),
  /** Origin the Inngest server reaches this app at, when not FACTORY_PUBLIC_URL (e.g. http://app:3000 in compose). */
  INNGEST_SERVE_ORIGIN: optional(url),
});

export type Env = z.infer<typeof envSchema>;

/** Variables whose values must never reach a sandbox, prompt, log, event or browser. */
const secretEnvNames = [
  "FACTORY_API_TOKEN",
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "OPENAI_COMPATIBLE_API_KEY",
  "GITHUB_TOKEN",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_WEBHOOK_SECRET",
  "SLACK_WEBHOOK_URL",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "DATABASE_URL",
] as const satisfies readonly (keyof Env)[];

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment (process.env by default); throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`),
    );
  }
  const env = result.data;
  if (env.GITHUB_APP_ID && !env.GITHUB_APP_PRIVATE_KEY) {
    throw new EnvError(["GITHUB_APP_PRIVATE_KEY: required when GITHUB_APP_ID is set (the App's PEM private key)"]);
  }
  return env;
}

let cached: Env | undefined;

/** The validated environment of this process. */
export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Tests change process.env between cases; this makes the next getEnv() re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Current values of the secret variables, for redaction. */
export function secretValues(env: Env = getEnv()): string[] {
  return secretEnvNames
    .map((name) => env[name])
    .filter((value): value is string => typeof value === "string" && value.length >= 6);
}

export function publicUrl(env: Env = getEnv()): string {
  return (env.FACTORY_PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, "");
}
