import type { InputHTMLAttributes, LabelHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { cx } from "../../lib/client/cx";

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
