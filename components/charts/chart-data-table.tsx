// The numbers behind a chart, one click away: for screen readers, keyboard users and anyone
// who wants the exact values.
export function ChartDataTable({ title, columns, rows }: { title: string; columns: string[]; rows: { label: string; values: string[] }[] }) {
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer text-slate-500 select-none hover:text-slate-800">Show data</summary>
      <div tabIndex={0} role="region" aria-label={`${title}: data`} className="mt-1 overflow-x-auto">
        <table className="w-full text-left tabular-nums">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="px-2 py-1 font-medium" />
              {columns.map((column) => (
                <th key={column} scope="col" className="px-2 py-1 font-medium">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} className="border-t border-slate-200">
                <th scope="row" className="px-2 py-1 font-medium whitespace-nowrap">
                  {row.label}
                </th>
                {row.values.map((value, index) => (
                  <td key={index} className="px-2 py-1 text-slate-700">
                    {value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
