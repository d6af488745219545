export default function TaskLoading() {
  return (
    <p role="status" className="py-10 text-center text-sm text-slate-500">
      Loading the task…
    </p>
  );
}
