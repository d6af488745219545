import type { RoleModelDto } from "../../lib/client/model-price-types";
import { formatUsdPerMTok } from "../../lib/client/format";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";

/** Which model each role runs with, and the problems that would make a run be refused. */
export function RoleModelsCard({ roles }: { roles: RoleModelDto[] }) {
  const hasProblem = roles.some((role) => role.problem);
  return (
    <Card data-testid="settings-roles" aria-labelledby="settings-roles-title" className="overflow-hidden">
      <CardHeader id="settings-roles-title" title="Models per role" />
      {hasProblem && (
        <div role="alert" data-testid="settings-roles-warning" className="border-b border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
          Runs will be refused until every role has a priced model. Set <code className="font-mono">FACTORY_MODEL</code> (every role) or{" "}
          <code className="font-mono">FACTORY_MODEL_&lt;ROLE&gt;</code> (one role) to <code className="font-mono">provider:model</code>, and give
          the model a price below or in <code className="font-mono">FACTORY_MODEL_PRICES</code>. Environment changes need a restart.
        </div>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="w-28 px-4 py-2">Role</th>
              <th scope="col" className="px-4 py-2">Model</th>
              <th scope="col" className="w-36 px-4 py-2 text-right">Input $/MTok</th>
              <th scope="col" className="w-36 px-4 py-2 text-right">Output $/MTok</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {roles.map((role) => (
              <tr key={role.role} data-testid={`role-row-${role.role}`}>
                <th scope="row" className="px-4 py-2.5 align-top font-medium text-slate-900 capitalize">{role.role}</th>
                <td className="px-4 py-2.5 align-top">
                  {role.model ? (
                    <>
                      <span className="font-mono text-slate-900">{role.model}</span>
                      <span className="block text-xs text-slate-500">from {role.configuredBy}</span>
                    </>
                  ) : (
                    <Badge tone="warning">no model</Badge>
                  )}
                  {role.problem && <p className="mt-1 text-xs font-medium text-amber-800">{role.problem}</p>}
                </td>
                <td className="px-4 py-2.5 text-right align-top tabular-nums">{role.price ? formatUsdPerMTok(role.price.input) : <NoPrice />}</td>
                <td className="px-4 py-2.5 text-right align-top tabular-nums">{role.price ? formatUsdPerMTok(role.price.output) : <NoPrice />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function NoPrice() {
  return <span className="text-amber-700">no price</span>;
}
