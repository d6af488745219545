"use client";
// Prices a model no list knows (a local vLLM, a new release), or replaces an existing price.

import { useState, type FormEvent } from "react";
import { ApiError } from "../../lib/client/api-fetch";
import { parsePriceForm, pickPriceFieldErrors, priceFieldNames, type PriceFieldErrors, type PriceFormValues } from "../../lib/client/parse-price-form";
import { useSetModelPrice } from "../../lib/client/use-set-model-price";
import { providerNames, type ProviderName } from "../../lib/llm/model-ref";
import { Button } from "../ui/button";
import { FieldError, FieldHint, Input, Label } from "../ui/input";
import { useToast } from "../ui/toast";
import { PriceInput, priceFieldLabels } from "./price-input";

// The providers a model reference may name (lib/llm/model-ref.ts), the local OpenAI-compatible one first.
const PROVIDERS = [...providerNames].sort((a, b) => Number(b === "openai-compatible") - Number(a === "openai-compatible"));
const EMPTY_PRICES: PriceFormValues = { input: "", output: "", cacheRead: "", cacheWrite: "" };
type FormErrors = PriceFieldErrors & { provider?: string; model?: string };

export function AddPriceForm() {
  const showToast = useToast();
  const setPrice = useSetModelPrice();
  const [provider, setProvider] = useState<string>(PROVIDERS[0]);
  const [model, setModel] = useState("");
  const [prices, setPrices] = useState<PriceFormValues>(EMPTY_PRICES);
  const [errors, setErrors] = useState<FormErrors>({});

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (setPrice.isPending) return;
    const parsed = parsePriceForm(prices);
    const modelError = checkModel(model);
    if ("errors" in parsed || modelError) return setErrors({ ...("errors" in parsed ? parsed.errors : {}), model: modelError });
    setErrors({});
    const ref = `${provider}:${model.trim()}`;
    setPrice.mutate(
      { provider: provider as ProviderName, model: model.trim(), ...parsed.prices },
      {
        onSuccess: () => {
          setModel("");
          setPrices(EMPTY_PRICES);
          showToast({ tone: "success", message: `Saved the price of ${ref}.` });
        },
        onError: (error) => {
          const fields = error instanceof ApiError ? error.fields : [];
          const serverErrors: FormErrors = pickPriceFieldErrors(fields);
          for (const { field, message } of fields) if (field === "provider" || field === "model") serverErrors[field] ??= message;
          if (Object.keys(serverErrors).length > 0) return setErrors(serverErrors);
          showToast({ tone: "error", title: `Could not save the price of ${ref}`, message: error.message });
        },
      },
    );
  };

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="Add price" className="space-y-3 border-t border-slate-200 px-4 py-4">
      <h3 className="text-sm font-semibold text-slate-900">Add price</h3>
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <Label htmlFor="add-price-provider">Provider</Label>
          <select
            id="add-price-provider"
            data-testid="add-price-provider"
            value={provider}
            onChange={(event) => setProvider(event.target.value)}
            className="mt-1 block h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/40 focus:outline-none"
          >
            {PROVIDERS.map((name) => (
              <option key={name} value={name}>{name}</option>
            ))}
          </select>
          <FieldError id="add-price-provider-error" message={errors.provider} />
        </div>
        <div className="min-w-64 flex-1">
          <Label htmlFor="add-price-model">Model</Label>
          <Input
            id="add-price-model"
            data-testid="add-price-model"
            value={model}
            onChange={(event) => setModel(event.target.value)}
            isInvalid={Boolean(errors.model)}
            aria-describedby={errors.model ? "add-price-model-error" : undefined}
            placeholder="qwen3:32b"
            autoComplete="off"
            spellCheck={false}
            className="mt-1 font-mono"
          />
          <FieldError id="add-price-model-error" testId="add-price-model-error" message={errors.model} />
        </div>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        {priceFieldNames.map((field) => (
          <div key={field}>
            <Label htmlFor={`add-price-${field}`}>{priceFieldLabels[field]}</Label>
            <div className="mt-1">
              <PriceInput
                idPrefix="add-price"
                field={field}
                value={prices[field]}
                error={errors[field]}
                testId={`add-price-${field}`}
                label={`${priceFieldLabels[field]} $/MTok`}
                onChange={(value) => setPrices((current) => ({ ...current, [field]: value }))}
              />
            </div>
          </div>
        ))}
        <Button type="submit" data-testid="add-price-submit" disabled={setPrice.isPending} className="mt-6">
          {setPrice.isPending ? "Saving…" : "Save price"}
        </Button>
      </div>
      <FieldHint>
        $ per million tokens; 0 for a free local model. No cache discount? Enter the input price for cache read and write, so cost is never under-counted.
      </FieldHint>
    </form>
  );
}

/** Mirrors the server's limits for a model name. */
function checkModel(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return "Enter the model id the provider uses.";
  if (trimmed.length > 200) return "At most 200 characters.";
  if (/\s/.test(trimmed)) return "A model id has no spaces.";
  return undefined;
}
