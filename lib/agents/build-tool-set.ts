// The AI SDK tool definitions for a role, without execute functions: the loop runs tools
// itself so it can time them, cap their output and turn every failure into a tool result.
import { tool, type FlexibleSchema, type ToolSet } from "ai";
import type { RoleDefinition } from "./roles/role-definitions";
import { terminalTools } from "./terminal-tools";
import type { WorkspaceToolkit } from "./workspace-toolkit";

const cache = new WeakMap<WorkspaceToolkit["definitions"], Map<string, ToolSet>>();

/** Memoised per role, so every call sends byte-identical tool definitions in the same order. */
export function buildToolSet(role: RoleDefinition, definitions: WorkspaceToolkit["definitions"]): ToolSet {
  const byRole = cache.get(definitions) ?? new Map<string, ToolSet>();
  cache.set(definitions, byRole);
  const existing = byRole.get(role.role);
  if (existing) return existing;
  const tools: ToolSet = {};
  for (const name of role.workspaceTools) {
    tools[name] = tool({ description: definitions[name].description, inputSchema: definitions[name].inputSchema });
  }
  const terminal = terminalTools[role.terminalTool] as { description: string; inputSchema: FlexibleSchema<unknown> };
  tools[role.terminalTool] = tool({ description: terminal.description, inputSchema: terminal.inputSchema });
  byRole.set(role.role, tools);
  return tools;
}
