import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createLanguageModel } from "./language-model";

describe("createLanguageModel", () => {
  it("builds Anthropic and OpenAI models when their base URL variables are set but empty", () => {
    const saved = { anthropic: process.env.ANTHROPIC_BASE_URL, openai: process.env.OPENAI_BASE_URL };
    process.env.ANTHROPIC_BASE_URL = "";
    process.env.OPENAI_BASE_URL = "";
    try {
      const env = parseEnv({ ANTHROPIC_API_KEY: "test-key-anthropic", OPENAI_API_KEY: "test-key-openai", ANTHROPIC_BASE_URL: "", OPENAI_BASE_URL: "" });
      expect(createLanguageModel("anthropic:claude-opus-4-7", env)).toMatchObject({ modelId: "claude-opus-4-7" });
      expect(createLanguageModel("openai:gpt-5.2", env)).toMatchObject({ modelId: "gpt-5.2" });
    } finally {
      process.env.ANTHROPIC_BASE_URL = saved.anthropic;
      process.env.OPENAI_BASE_URL = saved.openai;
      if (saved.anthropic === undefined) delete process.env.ANTHROPIC_BASE_URL;
      if (saved.openai === undefined) delete process.env.OPENAI_BASE_URL;
    }
  });
});
