import type { Metadata } from "next";
import { LoginForm } from "@/components/auth/login-form";
import { toSafeNextPath } from "@/lib/auth/safe-next-path";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-lg font-semibold tracking-tight text-slate-900">
            <span aria-hidden className="mr-1.5 inline-block size-2.5 rounded-sm bg-accent-600" />
            Dark Factory
          </p>
          <h1 className="mt-1 text-sm text-slate-500">Log in to watch runs and their cost live.</h1>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm next={toSafeNextPath(typeof next === "string" ? next : null)} />
        </div>
      </div>
    </main>
  );
}
