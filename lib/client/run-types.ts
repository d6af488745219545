// Type-only re-exports of the API's JSON shapes, so client code has one place to import them
// from and never pulls server modules into the browser bundle.
export type {
  CreateRunResponseDto,
  RunDetailDto,
  RunEventDto,
  RunListDto,
  RunProgressDto,
  RunSummaryDto,
  TaskDto,
  TaskIterationPointDto,
  TaskSessionDto,
} from "../runs/run-dto";

import type { RunSummaryDto, TaskDto } from "../runs/run-dto";

export type RunStatus = RunSummaryDto["status"];
export type TaskStatus = TaskDto["status"];
