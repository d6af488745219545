// Runs one turn's tool calls and turns every outcome, including model mistakes and tool
// crashes, into tool results the model can read. Nothing here throws except an abort.
import type { ModelMessage, ToolResultPart } from "ai";
import { redactSecrets } from "@/lib/redact";
import { capToolOutput } from "./manage-context";
import type { RoleDefinition, WorkspaceToolName, TerminalToolName } from "./roles";
import { trackToolActivity } from "./tool-activity";
import type { TurnMetadata } from "./transcript";
import type { WorkspaceToolkit } from "./workspace-toolkit";

export type ModelToolCall = { toolCallId: string; toolName: string; input: unknown; invalid?: boolean; error?: unknown };

export type ExecutedTurn = {
  /** The message closing the turn: tool results, or a nudge when the model called no tool. */
  closingMessage: ModelMessage;
  terminal?: { tool: TerminalToolName; input: unknown };
  changedFiles: string[];
  toolMs: number;
};

export async function executeToolCalls(options: {
  role: RoleDefinition;
  toolCalls: ModelToolCall[];
  toolkit: WorkspaceToolkit;
  workspace: string;
  commandTimeoutSec?: number;
  maxToolOutputBytes: number;
  abortSignal?: AbortSignal;
  /** The session the calls belong to: each call is then recorded as an `agent.tool` run event. */
  sessionId?: string;
}): Promise<ExecutedTurn> {
  const { role, toolCalls } = options;
  const signature = toolCalls.length ? JSON.stringify(toolCalls.map((call) => [call.toolName, call.input])) : "(no tool call)";
  if (toolCalls.length === 0) {
    const metadata: TurnMetadata = { signature, changedFiles: [] };
    const content = `You did not call a tool. Continue the task using the tools, and call ${role.terminalTool} when you are done.`;
    return { closingMessage: { role: "user", content, providerOptions: { factory: metadata } }, changedFiles: [], toolMs: 0 };
  }

  const results: ToolResultPart[] = [];
  const changedFiles = new Set<string>();
  let terminal: ExecutedTurn["terminal"];
  let toolMs = 0;
  for (const call of toolCalls) {
    const reply = (value: string, isError: boolean) =>
      results.push({
        type: "tool-result",
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { type: isError ? "error-text" : "text", value: capToolOutput(call.toolName, redactSecrets(value), options.maxToolOutputBytes) },
      });
    if (terminal) {
      reply(`Not run: ${terminal.tool} already ended the session.`, true);
    } else if (call.invalid) {
      reply(describeInvalidCall(call, role), true);
    } else if (call.toolName === role.terminalTool) {
      terminal = { tool: role.terminalTool, input: call.input };
      reply("Received. The session ends here.", false);
    } else if ((role.workspaceTools as string[]).includes(call.toolName)) {
      const startedAt = performance.now();
      try {
        const tool = call.toolName as WorkspaceToolName;
        const result = await trackToolActivity({ sessionId: options.sessionId, tool, input: call.input, workspace: options.workspace }, () =>
          options.toolkit.run(tool, call.input, { workspace: options.workspace, commandTimeoutSec: options.commandTimeoutSec }),
        );
        result.changedFiles.forEach((file) => changedFiles.add(file));
        reply(result.output, result.isError);
      } catch (error) {
        reply(`The tool failed: ${error instanceof Error ? error.message : String(error)}`, true);
      } finally {
        toolMs += performance.now() - startedAt;
      }
    } else {
      reply(describeInvalidCall({ ...call, error: new Error(`no such tool`) }, role), true);
    }
    options.abortSignal?.throwIfAborted();
  }
  const metadata: TurnMetadata = { signature, changedFiles: [...changedFiles].sort() };
  return { closingMessage: { role: "tool", content: results, providerOptions: { factory: metadata } }, terminal, changedFiles: metadata.changedFiles, toolMs };
}

function describeInvalidCall(call: ModelToolCall, role: RoleDefinition): string {
  const available = [...role.workspaceTools, role.terminalTool].join(", ");
  const error = call.error as { name?: string; message?: string } | undefined;
  if (error?.name === "AI_NoSuchToolError" || error?.message === "no such tool") {
    return `Unknown tool "${call.toolName}". Available tools: ${available}.`;
  }
  const detail = findZodIssues(call.error)
    ?.map((issue) => `${issue.path.map(String).join(".") || "(arguments)"}: ${issue.message}`)
    .join("; ") ?? (error?.message ?? String(call.error)).replace(/^.*?Error message: /s, "");
  return `Invalid arguments for ${call.toolName}: ${detail.slice(0, 2_000)}\nFix the arguments and call it again.`;
}

/** Walks the error's cause chain (InvalidToolInputError -> TypeValidationError -> ZodError). */
function findZodIssues(error: unknown): { path: PropertyKey[]; message: string }[] | undefined {
  for (let current = error as { issues?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth++) {
    if (Array.isArray(current.issues)) return current.issues as { path: PropertyKey[]; message: string }[];
  }
  return undefined;
}
