"use client";
// Prices a model no list knows (a local vLLM, a new release), or replaces an existing price; and
// the $/MTok input that this form and a price row's Edit share.

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api-fetch";
import { cx } from "@/lib/client/format";
import { parsePriceForm, pickPriceFieldErrors, priceFieldNames, type PriceFieldErrors, type PriceFieldName, type PriceFormValues, useSetModelPrice } from "@/lib/client/model-prices";
import { providerNames, type ProviderName } from "@/lib/llm/model-ref";
import { Button } from "@/components/ui/button";
import { describedByOf, Field, FieldError, FieldHint, Input, Select, TextField } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

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
        <Field id="add-price-provider" label="Provider" error={errors.provider}>
          <Select
            id="add-price-provider"
            data-testid="add-price-provider"
            value={provider}
            onChange={(event) => setProvider(event.target.value)}
            aria-describedby={describedByOf("add-price-provider", errors.provider)}
            className="mt-1"
          >
            {PROVIDERS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </Select>
        </Field>
        <TextField
          id="add-price-model"
          label="Model"
          error={errors.model}
          errorTestId="add-price-model-error"
          fieldClassName="min-w-64 flex-1"
          data-testid="add-price-model"
          value={model}
          onChange={(event) => setModel(event.target.value)}
          placeholder="qwen3:32b"
          isCode
        />
      </div>
      <div className="flex flex-wrap items-start gap-3">
        {priceFieldNames.map((field) => (
          <Field key={field} id={`add-price-${field}`} label={priceFieldLabels[field]}>
            <PriceInput
              idPrefix="add-price"
              field={field}
              value={prices[field]}
              error={errors[field]}
              testId={`add-price-${field}`}
              label={`${priceFieldLabels[field]} $/MTok`}
              onChange={(value) => setPrices((current) => ({ ...current, [field]: value }))}
              className="mt-1"
            />
          </Field>
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

export const priceFieldLabels: Record<PriceFieldName, string> = {
  input: "Input",
  output: "Output",
  cacheRead: "Cache read",
  cacheWrite: "Cache write",
};

/** One $/MTok field with its inline error; `idPrefix` keeps ids unique per row. */
export function PriceInput(props: {
  idPrefix: string;
  field: PriceFieldName;
  value: string;
  error?: string;
  testId: string;
  label: string;
  onChange: (value: string) => void;
  className?: string;
}) {
  const errorId = `${props.idPrefix}-${props.field}-error`;
  return (
    <div className={cx("w-28", props.className)}>
      <Input
        id={`${props.idPrefix}-${props.field}`}
        type="number"
        inputMode="decimal"
        step="any"
        min={0}
        max={1000}
        aria-label={props.label}
        data-testid={props.testId}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        isInvalid={Boolean(props.error)}
        aria-describedby={props.error ? errorId : undefined}
        className="px-2 py-1 text-right tabular-nums"
      />
      <FieldError id={errorId} message={props.error} />
    </div>
  );
}
