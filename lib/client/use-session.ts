"use client";
// Log in and out of the UI session (an httpOnly cookie the API sets and clears).

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api-fetch";

export function useLogin() {
  return useMutation({
    mutationFn: (token: string) => apiFetch<{ ok: true }>("/api/auth/login", { method: "POST", json: { token } }),
    // A 401 here means a wrong token, which the form shows; it is not an expired session.
    meta: { isAuthRedirectDisabled: true },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<unknown>("/api/auth/logout", { method: "POST", json: {} }),
    meta: { isAuthRedirectDisabled: true },
    onSettled: () => queryClient.clear(),
  });
}
