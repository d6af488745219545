import type { ReactNode } from "react";
import { AppNav } from "@/components/layout/app-nav";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AppNav />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
