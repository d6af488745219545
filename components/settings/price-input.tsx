import type { PriceFieldName } from "../../lib/client/parse-price-form";
import { FieldError, Input } from "../ui/input";

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
}) {
  const errorId = `${props.idPrefix}-${props.field}-error`;
  return (
    <div className="w-28">
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
