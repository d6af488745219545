// Which FACTORY_MODEL_PRICES entry prices a model, mirroring findModelPrice: an env entry
// for the model or its undated alias wins over any table row, so a Settings edit of that
// model would have no effect.
import type { Env } from "../env";

export function findEnvPriceRef(options: { provider: string; model: string; env: Env }): string | undefined {
  const { provider, model, env } = options;
  const candidates = [model, model.replace(/-\d{8}$/, "")].map((candidate) => `${provider}:${candidate}`);
  return candidates.find((ref) => env.FACTORY_MODEL_PRICES?.[ref]);
}
