// The scripted model server for the tests of one file, with the app's model pointed at it.
import { afterAll } from "vitest";
import { useScriptedModel } from "./agent-fixtures";
import { startScriptedLlmServer } from "./scripted-llm-server";

/** Starts a scripted model server, points the openai-compatible provider at it, and closes it after the file's tests. */
export async function useScriptedLlmServer() {
  const server = await startScriptedLlmServer();
  useScriptedModel(server.baseUrl);
  afterAll(() => server.close());
  return server;
}
