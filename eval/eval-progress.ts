// Progress on stderr: a live bar (cli-progress) on a terminal; one line per finished task
// otherwise (CI logs, pipes), so stdout keeps only the tables.
import { SingleBar } from "cli-progress";
import { formatUsd } from "./eval-report";
import type { EvalTaskResult } from "./run-eval-task";

export type EvalProgress = {
  start: (config: string, total: number) => void;
  taskStarted: (taskId: string) => void;
  taskFinished: (result: EvalTaskResult) => void;
  stop: () => void;
};

export function createEvalProgress(stream: NodeJS.WriteStream = process.stderr): EvalProgress {
  let config = "";
  let total = 0;
  let done = 0;
  let resolved = 0;
  let costUsd = 0;
  const running = new Set<string>();
  if (!stream.isTTY) {
    return {
      start: (name, count) => ((config = name), (total = count), (done = 0), stream.write(`[eval] ${name}: ${count} task(s)\n`)),
      taskStarted: () => {},
      taskFinished: (result) => {
        done += 1;
        stream.write(
          `[eval] ${config} ${done}/${total} ${result.taskId}: ${result.isResolved ? "resolved" : `not resolved (${result.reason ?? result.runStatus})`}, ` +
            `${formatUsd(result.costUsd)}, ${result.iterations} iteration(s), ${result.wallTimeSec.toFixed(1)} s\n`,
        );
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    stream,
    format: "{config} [{bar}] {value}/{total} tasks | resolved {resolved} | {cost} | {running}",
    hideCursor: true,
    clearOnComplete: false,
  });
  const payload = () => ({ config, resolved, cost: formatUsd(costUsd), running: [...running].join(", ") || "–" });
  return {
    start: (name, count) => {
      config = name;
      total = count;
      resolved = 0;
      costUsd = 0;
      running.clear();
      bar.start(total, 0, payload());
    },
    taskStarted: (taskId) => {
      running.add(taskId);
      bar.update(payload());
    },
    taskFinished: (result) => {
      running.delete(result.taskId);
      resolved += result.isResolved ? 1 : 0;
      costUsd += result.costUsd;
      bar.increment(1, payload());
    },
    stop: () => bar.stop(),
  };
}
