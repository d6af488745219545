"use client";
// A price row that turns into inputs on Edit; Save sends a user price, Reset undoes one.

import { useState } from "react";
import { ApiError } from "@/lib/client/api-fetch";
import { formatUsdPerMTok } from "@/lib/client/format";
import type { ModelPriceDto, PriceSource } from "@/lib/client/model-prices";
import { parsePriceForm, pickPriceFieldErrors, priceFieldNames, type PriceFieldErrors, type PriceFormValues, useResetModelPrice, useSetModelPrice } from "@/lib/client/model-prices";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { PriceInput, priceFieldLabels } from "./add-price-form";

export function ModelPriceRow({ price }: { price: ModelPriceDto }) {
  const showToast = useToast();
  const setPrice = useSetModelPrice();
  const resetPrice = useResetModelPrice();
  const [values, setValues] = useState<PriceFormValues | null>(null);
  const [errors, setErrors] = useState<PriceFieldErrors>({});
  const isEditing = values !== null;
  const idPrefix = `price-${price.provider}-${price.model}`.replace(/[^A-Za-z0-9_-]/g, "_");

  const startEditing = () => {
    setErrors({});
    setValues(Object.fromEntries(priceFieldNames.map((name) => [name, String(price[name])])) as PriceFormValues);
  };

  const save = () => {
    if (!values || setPrice.isPending) return;
    const parsed = parsePriceForm(values);
    if ("errors" in parsed) return setErrors(parsed.errors);
    setPrice.mutate(
      { provider: price.provider, model: price.model, ...parsed.prices },
      {
        onSuccess: () => {
          setValues(null);
          showToast({ tone: "success", message: `Saved the price of ${price.ref}.` });
        },
        onError: (error) => {
          const fieldErrors = error instanceof ApiError ? pickPriceFieldErrors(error.fields) : {};
          if (Object.keys(fieldErrors).length > 0) return setErrors(fieldErrors);
          showToast({ tone: "error", title: `Could not save the price of ${price.ref}`, message: error.message });
        },
      },
    );
  };

  const reset = () =>
    resetPrice.mutate(price, {
      onSuccess: ({ restored }) =>
        showToast({ tone: "success", message: restored ? `${price.ref} is back to its list price.` : `Removed the price of ${price.ref}; runs using it will be refused.` }),
      onError: (error) => showToast({ tone: "error", title: `Could not reset the price of ${price.ref}`, message: error.message }),
    });

  return (
    <tr data-testid={`price-row-${price.ref}`} className={isEditing ? "align-top" : "align-middle"}>
      <td className="px-4 py-2.5 font-mono text-xs whitespace-nowrap text-slate-600">{price.provider}</td>
      <th scope="row" className="px-4 py-2.5 font-mono font-medium whitespace-nowrap text-slate-900">{price.model}</th>
      {priceFieldNames.map((field) => (
        <td key={field} className="px-4 py-2 text-right tabular-nums" data-testid={`price-cell-${field}`}>
          {isEditing ? (
            <PriceInput
              idPrefix={idPrefix}
              field={field}
              value={values[field]}
              error={errors[field]}
              testId={`price-input-${field}`}
              label={`${priceFieldLabels[field]} $/MTok for ${price.ref}`}
              onChange={(value) => setValues((current) => current && { ...current, [field]: value })}
            />
          ) : (
            formatUsdPerMTok(price[field])
          )}
        </td>
      ))}
      <td className="px-4 py-2.5">
        <PriceSourceBadge source={price.source} />
        {price.isSetByEnv && price.source !== "env" && (
          <span className="mt-1 block text-xs text-sky-800">FACTORY_MODEL_PRICES overrides this</span>
        )}
      </td>
      <td className="px-4 py-2 text-right whitespace-nowrap">
        {isEditing ? (
          <div className="flex justify-end gap-2">
            <Button size="sm" data-testid="price-save" onClick={save} disabled={setPrice.isPending}>
              {setPrice.isPending ? "Saving…" : "Save"}
            </Button>
            <Button size="sm" variant="secondary" data-testid="price-cancel" onClick={() => setValues(null)} disabled={setPrice.isPending}>
              Cancel
            </Button>
          </div>
        ) : (
          <div className="flex justify-end gap-2">
            {price.source === "user" && (
              <Button size="sm" variant="ghost" data-testid="price-reset" onClick={reset} disabled={resetPrice.isPending}>
                {resetPrice.isPending ? "Resetting…" : "Reset"}
              </Button>
            )}
            <Button
              size="sm"
              variant="secondary"
              data-testid="price-edit"
              onClick={startEditing}
              disabled={price.isSetByEnv}
              title={price.isSetByEnv ? "FACTORY_MODEL_PRICES sets this price; change it there." : undefined}
              aria-label={`Edit the price of ${price.ref}`}
            >
              Edit
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}

const SOURCES: Record<PriceSource, { label: string; tone: BadgeTone; title: string }> = {
  seed: { label: "list", tone: "neutral", title: "The provider's list price, refreshed at every start." },
  env: { label: "env", tone: "info", title: "Set by FACTORY_MODEL_PRICES, which wins over this table." },
  user: { label: "edited", tone: "progress", title: "Edited here; starts and seeding keep it. Reset restores the list price." },
};

function PriceSourceBadge({ source }: { source: PriceSource }) {
  const { label, tone, title } = SOURCES[source] ?? SOURCES.seed;
  return (
    <Badge tone={tone} title={title} data-testid="price-source">
      {label}
    </Badge>
  );
}
