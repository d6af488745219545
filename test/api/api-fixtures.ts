// The app as the API tests call it: its real route handlers against real Postgres, sending
// events to a stand-in Inngest Event API, with the default model's prices in the database.
import { afterAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { seedModelPrices } from "@/lib/llm/model-price";
import { startFakeInngestEventApi } from "@/test/fake-inngest-event-api";

/**
 * Points the app at a fresh stand-in Event API and seeds prices. Call at the top of a test
 * file, before importing route modules (they read the environment when loaded). The stand-in
 * closes after the file's tests.
 */
export async function startApiEngine() {
  const engine = await startFakeInngestEventApi();
  process.env.INNGEST_BASE_URL = engine.url;
  process.env.FACTORY_MODEL = "openai-compatible:glm-5.2";
  resetEnvCache();
  await seedModelPrices();
  afterAll(() => engine.close());
  return engine;
}
