import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function TaskNotFound() {
  return (
    <Card role="alert" className="mx-auto max-w-lg p-6 text-center">
      <h1 className="text-base font-semibold text-slate-900">Task not found</h1>
      <p className="mt-2 text-sm text-slate-600">This run has no task with that key.</p>
      <Link href="/" className={buttonClasses({ variant: "secondary", className: "mt-4" })}>All runs</Link>
    </Card>
  );
}
