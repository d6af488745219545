// The eval's input, checked before any work starts: unknown configurations or tasks, models
// without a price, missing keys, and `--engine inngest` without a server binary are refused
// together with what to do. Kept light to import, so bad input is answered at once.
import { loadEvalConfigs, resolveEvalConfigsOrThrow } from "./eval-configs";
import { chooseEngine, type EngineChoice } from "./eval-engine";
import { loadEvalTasks, selectEvalTasks } from "./eval-tasks";

export type PreparedEval = ReturnType<typeof prepareEval>;

export function prepareEval(options: { configNames: string[]; configsFile?: string; taskIds?: string[]; engine: EngineChoice }) {
  const tasks = selectEvalTasks(loadEvalTasks(), options.taskIds);
  const configs = resolveEvalConfigsOrThrow({ names: options.configNames, configs: loadEvalConfigs(options.configsFile) });
  const engine = chooseEngine(options.engine);
  return { tasks, configs, engine };
}
