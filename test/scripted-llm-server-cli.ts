// Serves a scripted model from a JSON file, for trying the CLI without a real provider:
//   npx tsx test/scripted-llm-server-cli.ts script.json [--port 8787]
// The file holds an array of ScriptedTurn objects; each request consumes one.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startScriptedLlmServer, type ScriptedTurn } from "./scripted-llm-server";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: "string" } } });
if (positionals.length !== 1) {
  console.error("usage: tsx test/scripted-llm-server-cli.ts <script.json> [--port N]");
  process.exit(2);
}
const script = JSON.parse(readFileSync(positionals[0], "utf8")) as ScriptedTurn[];
const server = await startScriptedLlmServer({ script, port: values.port ? Number(values.port) : undefined });
console.log(`OPENAI_COMPATIBLE_BASE_URL=${server.baseUrl}`);
const stop = async () => {
  console.error(`served ${server.requests.length} request(s)`);
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
