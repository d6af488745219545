"use client";

import { useId, useState } from "react";
import { cx } from "@/lib/client/format";
import { Textarea } from "@/components/ui/input";
import { Markdown } from "./markdown";

type SpecEditorProps = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  isInvalid: boolean;
  describedBy?: string;
};

/** Markdown spec with Write / Preview tabs. */
export function SpecEditor({ id, value, onChange, isInvalid, describedBy }: SpecEditorProps) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const tabsId = useId();
  const tabs = [
    { key: "write", label: "Write", testId: "spec-tab-write" },
    { key: "preview", label: "Preview", testId: "spec-tab-preview" },
  ] as const;

  return (
    <div className={cx("mt-1 overflow-hidden rounded-md border bg-white shadow-sm", isInvalid ? "border-red-400" : "border-slate-300")}>
      <div role="tablist" aria-label="Spec editor" className="flex gap-1 border-b border-slate-200 bg-slate-50 px-2 pt-1.5">
        {tabs.map((item) => (
          <button
            key={item.key}
            type="button"
            role="tab"
            id={`${tabsId}-${item.key}`}
            aria-selected={tab === item.key}
            aria-controls={`${tabsId}-${item.key}-panel`}
            data-testid={item.testId}
            onClick={() => setTab(item.key)}
            className={cx(
              "-mb-px rounded-t-md border px-3 py-1 text-sm",
              tab === item.key ? "border-slate-200 border-b-white bg-white font-medium text-slate-900" : "border-transparent text-slate-500 hover:text-slate-800",
            )}
          >
            {item.label}
          </button>
        ))}
        <span className="ml-auto self-center pb-1 text-xs text-slate-500">Markdown · GFM</span>
      </div>
      <div role="tabpanel" id={`${tabsId}-write-panel`} aria-labelledby={`${tabsId}-write`} hidden={tab !== "write"}>
        <Textarea
          id={id}
          name="spec"
          data-testid="field-spec"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          isInvalid={isInvalid}
          aria-describedby={describedBy}
          rows={14}
          placeholder={"## Goal\nWhat should change, and why.\n\n## Acceptance criteria\n- …"}
          className="rounded-none border-0 font-mono shadow-none focus:ring-0"
        />
      </div>
      {tab === "preview" && (
        <div
          role="tabpanel"
          id={`${tabsId}-preview-panel`}
          aria-labelledby={`${tabsId}-preview`}
          data-testid="spec-preview"
          className="min-h-[22rem] px-3 py-2"
        >
          {value.trim() ? <Markdown>{value}</Markdown> : <p className="text-sm text-slate-500">Nothing to preview yet.</p>}
        </div>
      )}
    </div>
  );
}
