"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { toSafeNextPath } from "@/lib/auth/safe-next-path";
import { ApiError, apiFetch } from "@/lib/client/api-fetch";
import { useLogin } from "@/lib/client/use-session";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/input";

export function LoginForm({ next }: { next: string | null }) {
  const router = useRouter();
  const login = useLogin();
  const [token, setToken] = useState("");
  const [errorMessage, setErrorMessage] = useState<string>();
  const nextPath = toSafeNextPath(next);

  // The session cookie is SameSite=Strict, so arriving from a link on another site (Slack,
  // GitHub) looks logged out to the server. This same-origin request carries the cookie.
  useEffect(() => {
    let isCurrent = true;
    apiFetch("/api/auth/session")
      .then(() => isCurrent && router.replace(nextPath))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [router, nextPath]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!token.trim()) {
      setErrorMessage("Enter the API token.");
      return;
    }
    setErrorMessage(undefined);
    login.mutate(token.trim(), {
      onSuccess: () => {
        router.replace(nextPath);
        router.refresh();
      },
      onError: (error) => {
        // The server's 401 message says the token is wrong without describing it.
        setErrorMessage(
          error instanceof ApiError && error.status === 401
            ? error.message || "That token is not valid."
            : error.message || "Login failed. Try again.",
        );
      },
    });
  };

  return (
    <form onSubmit={handleSubmit} noValidate className="space-y-4">
      <TextField
        id="login-token"
        label="API token"
        error={errorMessage}
        errorTestId="login-error"
        hint={
          <>
            The value of <code className="font-mono">FACTORY_API_TOKEN</code>; <code className="font-mono">npm run dev</code> prints it at start-up.
          </>
        }
        name="token"
        type="password"
        autoComplete="current-password"
        autoFocus
        data-testid="login-token"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        className="font-mono"
      />
      <Button type="submit" data-testid="login-submit" disabled={login.isPending} className="w-full">
        {login.isPending ? "Logging in…" : "Log in"}
      </Button>
    </form>
  );
}
