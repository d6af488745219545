"use client";

import { useCancelRun } from "../../lib/client/use-cancel-run";
import { Button } from "../ui/button";
import { useToast } from "../ui/toast";

/** Cancels after a native confirm dialog (Playwright: accept it with page.once("dialog")). */
export function CancelRunButton({ runId }: { runId: string }) {
  const cancelRun = useCancelRun(runId);
  const showToast = useToast();

  const handleClick = () => {
    const isConfirmed = window.confirm("Cancel this run? Agents stop at their next step. Money already spent stays spent.");
    if (!isConfirmed) return;
    cancelRun.mutate(undefined, {
      onSuccess: () => showToast({ tone: "success", message: "Run cancelled." }),
      onError: (error) => showToast({ tone: "error", title: "Could not cancel the run", message: error.message }),
    });
  };

  return (
    <Button variant="danger" size="sm" data-testid="cancel-run" onClick={handleClick} disabled={cancelRun.isPending}>
      {cancelRun.isPending ? "Cancelling…" : "Cancel run"}
    </Button>
  );
}
