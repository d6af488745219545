export default function DashboardLoading() {
  return (
    <div role="status" aria-label="Loading" className="animate-pulse space-y-4">
      <div className="h-6 w-48 rounded bg-slate-200" />
      <div className="h-28 rounded-lg bg-slate-200/70" />
      <div className="h-64 rounded-lg bg-slate-200/50" />
    </div>
  );
}
