"use client";

import { useModelPrices } from "../../lib/client/use-model-prices";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { ModelPricesCard } from "./model-prices-card";
import { RoleModelsCard } from "./role-models-card";

export function SettingsView() {
  const pricesQuery = useModelPrices();
  if (pricesQuery.isPending) {
    return (
      <p role="status" className="py-10 text-center text-sm text-slate-500">
        Loading models and prices…
      </p>
    );
  }
  if (pricesQuery.isError) {
    return (
      <Card role="alert" className="px-4 py-10 text-center text-sm">
        <p className="text-red-700">Could not load models and prices: {pricesQuery.error.message}</p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={() => pricesQuery.refetch()}>
          Retry
        </Button>
      </Card>
    );
  }
  return (
    <div className="space-y-6">
      <RoleModelsCard roles={pricesQuery.data.roles} />
      <ModelPricesCard prices={pricesQuery.data.prices} />
    </div>
  );
}
