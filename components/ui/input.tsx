import type { InputHTMLAttributes, LabelHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cx } from "@/lib/client/format";

const FIELD_CLASSES =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 " +
  "focus:outline-none focus:ring-2 focus:ring-accent-500/40 disabled:bg-slate-50";

function fieldClasses(isInvalid: boolean | undefined, className?: string) {
  return cx(FIELD_CLASSES, isInvalid ? "border-red-400 focus:border-red-500" : "border-slate-300 focus:border-accent-500", className);
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & { isInvalid?: boolean };

export function Input({ isInvalid, className, ...props }: InputProps) {
  return <input aria-invalid={isInvalid || undefined} className={fieldClasses(isInvalid, className)} {...props} />;
}

type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { isInvalid?: boolean };

export function Textarea({ isInvalid, className, ...props }: TextareaProps) {
  return <textarea aria-invalid={isInvalid || undefined} className={fieldClasses(isInvalid, className)} {...props} />;
}

/** A native select as tall as an Input, so the two line up in a row. */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      className={cx(
        "block h-[38px] rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/40 focus:outline-none",
        className,
      )}
      {...props}
    />
  );
}

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={cx("block text-sm font-medium text-slate-700", className)} {...props} />;
}

/** Help text under a field. */
export function FieldHint({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1 text-xs text-slate-500">
      {children}
    </p>
  );
}

/** The error under a field; `id` is what the field's aria-describedby points at. */
export function FieldError({ id, testId, message }: { id: string; testId?: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} data-testid={testId} role="alert" className="mt-1 text-xs font-medium text-red-600">
      {message}
    </p>
  );
}

/** What a field's control names in aria-describedby: its error if any, else its hint if it has one. */
export function describedByOf(id: string, error: string | undefined, hasHint = false) {
  return error ? `${id}-error` : hasHint ? `${id}-hint` : undefined;
}

type FieldProps = {
  /** The control's id; the error and hint get `${id}-error` and `${id}-hint` (see describedByOf). */
  id: string;
  label: ReactNode;
  error?: string;
  errorTestId?: string;
  /** Shown while there is no error. */
  hint?: ReactNode;
  className?: string;
  labelClassName?: string;
  children: ReactNode;
};

/** A labelled field: the label, the control, then its error or else its hint. */
export function Field({ id, label, error, errorTestId, hint, className, labelClassName, children }: FieldProps) {
  return (
    <div className={className}>
      <Label htmlFor={id} className={labelClassName}>
        {label}
      </Label>
      {children}
      {error ? <FieldError id={`${id}-error`} testId={errorTestId} message={error} /> : hint ? <FieldHint id={`${id}-hint`}>{hint}</FieldHint> : null}
    </div>
  );
}

type TextFieldProps = Omit<FieldProps, "children" | "className"> &
  Omit<InputProps, "id" | "isInvalid"> & {
    /** Classes of the field's wrapper; `className` styles the input. */
    fieldClassName?: string;
    /** Drawn inside the input's left edge, e.g. "$" (the input leaves room for it). */
    adornment?: ReactNode;
    /** Shown between the input and its error or hint. */
    children?: ReactNode;
    /** A machine value (a command, a model id, owner/name): monospace, no autocomplete, no spellcheck. */
    isCode?: boolean;
  };

/** A labelled Input wired to its error and hint: invalid while there is an error, described by whichever shows. */
export function TextField({ id, label, error, errorTestId, hint, labelClassName, fieldClassName, adornment, isCode, className, children, ...inputProps }: TextFieldProps) {
  const input = (
    <Input
      id={id}
      isInvalid={Boolean(error)}
      aria-describedby={describedByOf(id, error, hint !== undefined)}
      {...(isCode ? { autoComplete: "off", spellCheck: false } : {})}
      className={cx(adornment ? "pl-7" : "mt-1", isCode && "font-mono", className)}
      {...inputProps}
    />
  );
  return (
    <Field id={id} label={label} error={error} errorTestId={errorTestId} hint={hint} labelClassName={labelClassName} className={fieldClassName}>
      {adornment ? (
        <div className="relative mt-1">
          <span aria-hidden className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500">
            {adornment}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
      {children}
    </Field>
  );
}
