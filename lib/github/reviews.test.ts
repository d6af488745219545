import { describe, expect, it } from "vitest";
import { buildBranchName, isFactoryBranch } from "@/lib/git/branches";
import { findCommentableLines } from "./reviews";
import { hiddenMarker, isFactoryAuthored } from "./factory-identity";

describe("findCommentableLines", () => {
  it("counts new-file lines through added and context lines, skipping removed ones, across hunks", () => {
    const patch = [
      "@@ -1,4 +1,4 @@",
      " one",
      "-two",
      "+TWO",
      " three",
      " four",
      "@@ -20,3 +20,4 @@ function tail() {",
      " twenty",
      "+inserted",
      " twenty-one",
      " twenty-two",
      "\\ No newline at end of file",
    ].join("\n");
    const lines = findCommentableLines([{ filename: "a.ts", patch }, { filename: "binary.png" }]);
    expect([...lines.get("a.ts")!]).toEqual([1, 2, 3, 4, 20, 21, 22, 23]);
    expect(lines.get("binary.png")!.size).toBe(0);
  });
});

describe("names and markers", () => {
  it("builds safe factory branch names and recognises them", () => {
    expect(buildBranchName({ runId: "Run_1", taskKey: "Add API/v2" })).toBe("factory/run_1-add-api-v2");
    expect(isFactoryBranch("factory/run_1-t1")).toBe(true);
    expect(isFactoryBranch("main")).toBe(false);
    expect(isFactoryBranch("factory/")).toBe(false);
    expect(isFactoryBranch("factory/../main")).toBe(false);
  });

  it("hidden markers are HTML comments the factory can find again", () => {
    const marker = hiddenMarker("review", "run 1/t1");
    expect(marker).toBe("<!-- dark-factory:review:run_1_t1 -->");
    expect(isFactoryAuthored({ body: `LGTM\n${marker}`, user: { login: "Factory-Bot" } }, "factory-bot")).toBe(true);
    expect(isFactoryAuthored({ body: "LGTM", user: { login: "factory-bot" } }, "factory-bot")).toBe(false);
    // Anyone can paste the marker: it counts only on the factory's own comments.
    expect(isFactoryAuthored({ body: `LGTM\n${marker}`, user: { login: "stranger" } }, "factory-bot")).toBe(false);
  });
});
