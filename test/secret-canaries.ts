// Recognisable fake secrets. Tests grep for them in anything that leaves the process.
export const secretCanaries = {
  FACTORY_API_TOKEN: "canary-api-token-7f3a9c1e5b",
  OPENAI_API_KEY: "sk-canary-openai-4d2e8f",
  ANTHROPIC_API_KEY: "sk-ant-canary-9b1c3d",
  OPENAI_COMPATIBLE_API_KEY: "canary-compat-key-6e5f",
  GITHUB_TOKEN: "ghp_canaryGithubToken12345",
  GITHUB_WEBHOOK_SECRET: "canary-webhook-secret-77",
  SLACK_WEBHOOK_URL: "http://127.0.0.1:9/services/CANARY/SLACK/HOOK",
  INNGEST_EVENT_KEY: "canary-inngest-event-key",
  INNGEST_SIGNING_KEY: "signkey-test-canary0123456789abcdef",
} as const;

export function findCanaries(text: string): string[] {
  return Object.entries(secretCanaries)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}
