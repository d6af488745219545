import type { Metadata } from "next";
import { SettingsView } from "@/components/settings/settings-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="space-y-4">
      <PageHeader title="Settings" description="The model each agent role uses and what it costs. Budgets are enforced with these prices." />
      <SettingsView />
    </div>
  );
}
