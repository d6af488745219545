// Seeds ModelPrice with list prices and FACTORY_MODEL_PRICES (the launchers do this at start).
import { disconnectDb } from "@/lib/db";
import { seedModelPrices } from "@/lib/llm/model-price";

console.log(`[db] ${await seedModelPrices()} model prices seeded or refreshed`);
await disconnectDb();
