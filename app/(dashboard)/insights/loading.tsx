export default function InsightsLoading() {
  return (
    <p role="status" className="py-10 text-center text-sm text-slate-500">
      Adding up the ledger…
    </p>
  );
}
