// A factory worker for browser tests: the real workflows (run-spec, run-task) in the in-process
// Inngest harness, against the e2e database, with a local GitHub and a scripted model playing
// every role. The page under test watches the run through the real app and its SSE stream.
//
// Protocol: prints one JSON line per milestone on stdout ({"runId"}, {"gate":"reviewer-2"},
// {"finished":status}); reads "release <gate>" lines on stdin. A gated role's model call waits
// until the test releases it, so the test can look at the page mid-run.
import readline from "node:readline";
import { createInngestHarness } from "@/test/inngest-harness";
import { startFactoryWorld, type RoleScript } from "@/test/flows/factory-flow-fixtures";

// E2E_GATES="reviewer-1,fixer-1": the sessions (role-number, 1-based per role) to hold.
const gatedSessions = new Set((process.env.E2E_GATES ?? "").split(",").filter(Boolean));
const waiting = new Map<string, () => void>();
const released = new Set<string>();
const sessionsStarted = new Map<string, number>();
const emit = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** Holds the first turn of a gated session until the test says "release <name>". */
function gated(role: string, script: RoleScript): RoleScript {
  return async (request, turn) => {
    if (turn === 1) {
      const number = (sessionsStarted.get(role) ?? 0) + 1;
      sessionsStarted.set(role, number);
      const name = `${role}-${number}`;
      if (gatedSessions.has(name) && !released.has(name)) {
        emit({ gate: name });
        await new Promise<void>((resolve) => waiting.set(name, resolve));
      }
    }
    return script(request, turn);
  };
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, name] = line.trim().split(/\s+/);
  if (command !== "release" || !name) return;
  released.add(name);
  waiting.get(name)?.();
});

const harness = await createInngestHarness({ maxAttempts: 2, runTimeoutMs: 300_000 });
process.env.INNGEST_DEV = harness.eventApiUrl; // before lib/inngest.ts is loaded
const { functions } = await import("@/workflows");
const { runRequested } = await import("@/lib/events");
const { recordRunEvent } = await import("@/lib/runs/run-events");
const { db } = await import("@/lib/db");
harness.register(...functions);

let reviews = 0;
const roles: Record<string, RoleScript> = {
  planner: (_request, turn) =>
    turn === 1
      ? { toolCalls: [{ name: "list_files", args: {} }] }
      : { toolCalls: [{ name: "submit_plan", args: { tasks: [{ key: "greeting", title: "Greeting file", description: "Add hello.txt containing hello", acceptanceCriteria: ["hello.txt contains hello"], dependsOn: [] }] } }] },
  // A first attempt with a typo, so the loop needs a second iteration.
  coder: (_request, turn) =>
    turn === 1
      ? { toolCalls: [{ name: "write_file", args: { path: "hello.txt", content: "helo\n" } }] }
      : turn === 2
        ? { toolCalls: [{ name: "run_command", args: { command: "grep -qx hello hello.txt" } }] }
        : { toolCalls: [{ name: "finish", args: { summary: "Added hello.txt" } }] },
  // The greeting needs no test of its own: the tester finishes at once.
  tester: () => ({ toolCalls: [{ name: "finish", args: { summary: "The repository's check covers it; no new test." } }] }),
  reviewer: gated("reviewer", () => {
    reviews += 1;
    return reviews === 1
      ? { toolCalls: [{ name: "submit_review", args: { verdict: "request_changes", summary: "The greeting is misspelled.", comments: [{ path: "hello.txt", line: 1, body: "Typo: this should read `hello`." }] } }] }
      : { toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Correct and minimal.", comments: [] } }] };
  }),
  fixer: gated("fixer", (_request, turn) =>
    turn === 1
      ? { toolCalls: [{ name: "edit_file", args: { path: "hello.txt", oldText: "helo", newText: "hello" } }] }
      : turn === 2
        ? { toolCalls: [{ name: "run_command", args: { command: "grep -qx hello hello.txt" } }] }
        : { toolCalls: [{ name: "finish", args: { summary: "Fixed the typo." } }] }),
};

// Each world gets the next "acme/widgets-N"; skip the names earlier workers used on this
// database, since PR numbers restart with each fake GitHub and must stay unique per repository.
const used = await db.repository.count({ where: { owner: "acme", name: { startsWith: "widgets-" } } });
for (let index = 0; index < used; index++) await (await startFactoryWorld({ roles: {} })).close();
const world = await startFactoryWorld({ roles, testCommand: "grep -qx hello hello.txt" });
const run = await world.createRun({ budgetUsd: 2, maxIterations: 3 });
await db.run.update({ where: { id: run.id }, data: { title: process.env.E2E_RUN_TITLE ?? "Greet the world" } });
await recordRunEvent({ runId: run.id, type: "run.created", payload: { repo: `acme/${world.repository.name}`, budgetUsd: 2, maxIterations: 3 } });
emit({ runId: run.id, repository: `acme/${world.repository.name}` });
await harness.send(runRequested.create({ runId: run.id, repository: `acme/${world.repository.name}` }, { id: `run-requested-${run.id}` }));
const finished = await harness.waitForRun({ functionId: "run-spec", where: (candidate) => candidate.event.data.runId === run.id, timeoutMs: 300_000 });
emit({ finished: finished.status, output: finished.output ?? null });
await world.close();
await harness.close();
process.exit(0);
