// A role is a system prompt, a tool set, a terminal tool and its stopping limits.
import type { AgentRoleName } from "../../llm/resolve-model";
import type { TerminalToolName } from "../terminal-tools";
import { coderPrompt } from "./coder/prompt";
import { fixerPrompt } from "./fixer/prompt";
import { plannerPrompt } from "./planner/prompt";
import { reviewerPrompt } from "./reviewer/prompt";
import { testerPrompt } from "./tester/prompt";

export const workspaceToolNames = ["list_files", "read_file", "search", "write_file", "edit_file", "run_command"] as const;
export type WorkspaceToolName = (typeof workspaceToolNames)[number];

const readOnlyTools: WorkspaceToolName[] = ["list_files", "read_file", "search"];

export type RoleDefinition = {
  role: AgentRoleName;
  systemPrompt: string;
  workspaceTools: WorkspaceToolName[];
  terminalTool: TerminalToolName;
  maxTurns: number;
  /** Writer roles are stuck when this many turns in a row change no file. */
  noChangeTurnLimit?: number;
  maxOutputTokens: number;
};

export const roleDefinitions: Record<AgentRoleName, RoleDefinition> = {
  planner: { role: "planner", systemPrompt: plannerPrompt, workspaceTools: readOnlyTools, terminalTool: "submit_plan", maxTurns: 40, maxOutputTokens: 16_000 },
  coder: { role: "coder", systemPrompt: coderPrompt, workspaceTools: [...workspaceToolNames], terminalTool: "finish", maxTurns: 80, noChangeTurnLimit: 25, maxOutputTokens: 16_000 },
  tester: { role: "tester", systemPrompt: testerPrompt, workspaceTools: [...workspaceToolNames], terminalTool: "finish", maxTurns: 50, noChangeTurnLimit: 20, maxOutputTokens: 16_000 },
  reviewer: { role: "reviewer", systemPrompt: reviewerPrompt, workspaceTools: [...readOnlyTools, "run_command"], terminalTool: "submit_review", maxTurns: 40, maxOutputTokens: 16_000 },
  fixer: { role: "fixer", systemPrompt: fixerPrompt, workspaceTools: [...workspaceToolNames], terminalTool: "finish", maxTurns: 60, noChangeTurnLimit: 20, maxOutputTokens: 16_000 },
};

export const agentRoleNames = Object.keys(roleDefinitions) as AgentRoleName[];
