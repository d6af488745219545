import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env.FACTORY_DATA_DIR).toBe(".factory");
    expect(env.FACTORY_SANDBOX).toBe("bwrap");
    expect(env.GITHUB_API_URL).toBe("https://api.github.com");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ FACTORY_MODEL: "", DATABASE_URL: "" }).FACTORY_MODEL).toBeUndefined();
  });

  it.each([
    ["FACTORY_MODEL", "glm-5.2", /FACTORY_MODEL: expected "provider:model"/],
    ["FACTORY_SANDBOX", "docker", /FACTORY_SANDBOX: expected "bwrap"/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL: expected postgresql:\/\//],
    ["FACTORY_MODEL_PRICES", "{not json", /FACTORY_MODEL_PRICES: is not valid JSON/],
    ["FACTORY_API_TOKEN", "short", /FACTORY_API_TOKEN: must be at least 16 characters/],
    ["GITHUB_API_URL", "not a url", /GITHUB_API_URL: expected an absolute URL/],
  ])("names %s and what to put there when it is malformed", (name, value, message) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(message);
  });

  it("parses model prices per provider:model", () => {
    const env = parseEnv({ FACTORY_MODEL_PRICES: '{"openai-compatible:glm-5.2":{"input":1.4,"output":4,"cacheRead":0.14}}' });
    expect(env.FACTORY_MODEL_PRICES?.["openai-compatible:glm-5.2"]).toEqual({ input: 1.4, output: 4, cacheRead: 0.14 });
    expect(() => parseEnv({ FACTORY_MODEL_PRICES: '{"glm":{"input":1,"output":2}}' })).toThrow(/FACTORY_MODEL_PRICES/);
  });

  it("requires the App private key with the App id", () => {
    expect(() => parseEnv({ GITHUB_APP_ID: "123" })).toThrow(/GITHUB_APP_PRIVATE_KEY/);
  });
});
