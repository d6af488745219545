import type { Metadata } from "next";
import { NewRunForm } from "../../../../components/runs/new-run-form";

export const metadata: Metadata = { title: "New run" };

export default function NewRunPage() {
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">New run</h1>
        <p className="text-sm text-slate-500">Describe the change. The factory plans it into tasks and opens a pull request for each, within your budget.</p>
      </div>
      <NewRunForm />
    </div>
  );
}
