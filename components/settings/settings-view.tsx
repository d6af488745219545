"use client";
// The settings page: which model each role runs with, and every known model price.

import { formatUsdPerMTok } from "@/lib/client/format";
import type { ModelPriceDto, RoleModelDto } from "@/lib/client/model-prices";
import { priceFieldNames, useModelPrices } from "@/lib/client/model-prices";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, DataTable, LoadError, LoadingNotice } from "@/components/ui/card";
import { AddPriceForm, priceFieldLabels } from "./add-price-form";
import { ModelPriceRow } from "./model-price-row";

const ROLE_COLUMNS = [
  { label: "Role", className: "w-28" },
  "Model",
  { label: "Input $/MTok", className: "w-36 text-right" },
  { label: "Output $/MTok", className: "w-36 text-right" },
];

const PRICE_COLUMNS = [
  "Provider",
  "Model",
  ...priceFieldNames.map((field) => ({ label: priceFieldLabels[field], className: "text-right" })),
  "Source",
  { key: "actions", label: <span className="sr-only">Actions</span> },
];

export function SettingsView() {
  const pricesQuery = useModelPrices();
  if (pricesQuery.isPending) return <LoadingNotice>Loading models and prices…</LoadingNotice>;
  if (pricesQuery.isError) {
    return (
      <Card>
        <LoadError message={`Could not load models and prices: ${pricesQuery.error.message}`} onRetry={() => pricesQuery.refetch()} />
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

/** Which model each role runs with, and the problems that would make a run be refused. */
function RoleModelsCard({ roles }: { roles: RoleModelDto[] }) {
  const hasProblem = roles.some((role) => role.problem);
  return (
    <Card data-testid="settings-roles" aria-labelledby="settings-roles-title" className="overflow-hidden">
      <CardHeader id="settings-roles-title" title="Models per role" />
      {hasProblem && (
        <div role="alert" data-testid="settings-roles-warning" className="border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
          Runs will be refused until every role has a priced model. Set <code className="font-mono">FACTORY_MODEL</code> (every role) or{" "}
          <code className="font-mono">FACTORY_MODEL_&lt;ROLE&gt;</code> (one role) to <code className="font-mono">provider:model</code>, and give
          the model a price below or in <code className="font-mono">FACTORY_MODEL_PRICES</code>. Environment changes need a restart.
        </div>
      )}
      <DataTable columns={ROLE_COLUMNS}>
        {roles.map((role) => (
          <tr key={role.role} data-testid={`role-row-${role.role}`}>
            <th scope="row" className="px-4 py-2.5 align-top font-medium text-slate-900 capitalize">{role.role}</th>
            <td className="px-4 py-2.5 align-top">
              {role.model ? (
                <>
                  <span className="font-mono text-slate-900">{role.model}</span>
                  <span className="block text-xs text-slate-500">from {role.configuredBy}</span>
                </>
              ) : (
                <Badge tone="warning">no model</Badge>
              )}
              {role.problem && <p className="mt-1 text-xs font-medium text-amber-800">{role.problem}</p>}
            </td>
            <td className="px-4 py-2.5 text-right align-top tabular-nums">{role.price ? formatUsdPerMTok(role.price.input) : <NoPrice />}</td>
            <td className="px-4 py-2.5 text-right align-top tabular-nums">{role.price ? formatUsdPerMTok(role.price.output) : <NoPrice />}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function NoPrice() {
  return <span className="text-amber-700">no price</span>;
}

/** Every known price; cost and budgets are computed from these. */
function ModelPricesCard({ prices }: { prices: ModelPriceDto[] }) {
  return (
    <Card aria-labelledby="settings-prices-title" className="overflow-hidden">
      <CardHeader id="settings-prices-title" title="Model prices ($ per million tokens)" />
      <DataTable data-testid="prices-table" columns={PRICE_COLUMNS}>
        {prices.map((price) => (
          <ModelPriceRow key={price.ref} price={price} />
        ))}
      </DataTable>
      {prices.length === 0 && <p className="px-4 py-8 text-center text-sm text-slate-500">No prices yet. They are seeded at start; add one below.</p>}
      <AddPriceForm />
    </Card>
  );
}
