import type { ModelPriceDto } from "../../lib/client/model-price-types";
import { Card, CardHeader } from "../ui/card";
import { AddPriceForm } from "./add-price-form";
import { ModelPriceRow } from "./model-price-row";

/** Every known price; cost and budgets are computed from these. */
export function ModelPricesCard({ prices }: { prices: ModelPriceDto[] }) {
  return (
    <Card aria-labelledby="settings-prices-title" className="overflow-hidden">
      <CardHeader id="settings-prices-title" title="Model prices ($ per million tokens)" />
      <div className="overflow-x-auto">
        <table data-testid="prices-table" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">Provider</th>
              <th scope="col" className="px-4 py-2">Model</th>
              <th scope="col" className="px-4 py-2 text-right">Input</th>
              <th scope="col" className="px-4 py-2 text-right">Output</th>
              <th scope="col" className="px-4 py-2 text-right">Cache read</th>
              <th scope="col" className="px-4 py-2 text-right">Cache write</th>
              <th scope="col" className="px-4 py-2">Source</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {prices.map((price) => (
              <ModelPriceRow key={price.ref} price={price} />
            ))}
          </tbody>
        </table>
        {prices.length === 0 && (
          <p className="px-4 py-8 text-center text-sm text-slate-500">No prices yet. They are seeded at start; add one below.</p>
        )}
      </div>
      <AddPriceForm />
    </Card>
  );
}
