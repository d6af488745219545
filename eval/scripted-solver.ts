// The `scripted` configuration's model: the scripted OpenAI-compatible server playing every
// role with each task's reference solution, through the same tools a real model uses. The
// planner submits one task; the coder looks, writes the solution, runs the visible tests and
// finishes; the reviewer approves. It proves the whole loop and the hidden-test check offline.
import { roleOf, turnOf } from "@/test/flows/factory-flow-fixtures";
import { startScriptedLlmServer, type RecordedRequest, type ScriptedTurn } from "@/test/scripted-llm-server";
import type { EvalTask } from "./eval-tasks";

/** The eval task a request works on: the one whose title is in the session's first message. */
function taskOf(request: RecordedRequest, tasks: EvalTask[]): EvalTask | undefined {
  const first = request.json.messages.find((message) => message.role === "user");
  const text = typeof first?.content === "string" ? first.content : JSON.stringify(first?.content ?? "");
  return tasks.find((task) => text.includes(task.title));
}

const writeSolution = (task: EvalTask): ScriptedTurn => ({
  toolCalls: Object.entries(task.solutionFiles).map(([path, content]) => ({ name: "write_file", args: { path, content } })),
});

function turnFor(role: string, turn: number, task: EvalTask): ScriptedTurn {
  switch (role) {
    case "planner":
      if (turn === 1) return { toolCalls: [{ name: "list_files", args: {} }] };
      return {
        toolCalls: [{
          name: "submit_plan",
          args: { tasks: [{ key: task.id, title: task.title, description: task.spec, acceptanceCriteria: [`The spec of "${task.title}" is met`, "The test suite passes"], dependsOn: [] }] },
        }],
      };
    case "coder":
      if (turn === 1) return { toolCalls: [{ name: "list_files", args: {} }] };
      if (turn === 2) return writeSolution(task);
      if (turn === 3) return { toolCalls: [{ name: "run_command", args: { command: task.testCommand, timeoutSec: 120 } }] };
      return { toolCalls: [{ name: "finish", args: { summary: `Implemented "${task.title}" with tests.` } }] };
    case "fixer":
      if (turn === 1) return writeSolution(task);
      return { toolCalls: [{ name: "finish", args: { summary: "Re-applied the solution." } }] };
    case "reviewer":
      return { toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "Meets the spec; tests cover it.", comments: [] } }] };
    default:
      // The tester adds nothing: the solution ships its own tests.
      return { toolCalls: [{ name: "finish", args: { summary: "The coder's tests already cover the acceptance criteria." } }] };
  }
}

export async function startScriptedSolver(tasks: EvalTask[]) {
  return startScriptedLlmServer({
    fallback: (request) => {
      const task = taskOf(request, tasks);
      if (!task) return { error: { status: 400, message: "scripted solver: no eval task title in the session's first message" } };
      return turnFor(roleOf(request), turnOf(request), task);
    },
  });
}
