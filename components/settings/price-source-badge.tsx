import type { PriceSource } from "../../lib/client/model-price-types";
import { Badge, type BadgeTone } from "../ui/badge";

const SOURCES: Record<PriceSource, { label: string; tone: BadgeTone; title: string }> = {
  seed: { label: "list", tone: "neutral", title: "The provider's list price, refreshed at every start." },
  env: { label: "env", tone: "info", title: "Set by FACTORY_MODEL_PRICES, which wins over this table." },
  user: { label: "edited", tone: "progress", title: "Edited here; starts and seeding keep it. Reset restores the list price." },
};

export function PriceSourceBadge({ source }: { source: PriceSource }) {
  const { label, tone, title } = SOURCES[source] ?? SOURCES.seed;
  return (
    <Badge tone={tone} title={title} data-testid="price-source">
      {label}
    </Badge>
  );
}
