import { loadWorkContext } from "../tasks/load-work-context";
import { startRoleSession } from "../tasks/start-role-session";

/** Starts the planner on the run's spec; it reads the repository and submits tasks. */
export async function startPlanner(runId: string): Promise<string> {
  const context = await loadWorkContext({ runId });
  return startRoleSession({ context, role: "planner", task: `# ${context.run.title}\n\n${context.run.spec}`, branch: null });
}
