"use client";

import { useRouter } from "next/navigation";
import { useLogout } from "../../lib/client/use-session";
import { Button } from "../ui/button";
import { useToast } from "../ui/toast";

export function LogoutButton() {
  const router = useRouter();
  const logout = useLogout();
  const showToast = useToast();
  return (
    <Button
      variant="ghost"
      size="sm"
      data-testid="logout"
      disabled={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, {
          onSuccess: () => {
            router.replace("/login");
            router.refresh();
          },
          onError: (error) => showToast({ tone: "error", title: "Could not log out", message: error.message }),
        })
      }
    >
      Log out
    </Button>
  );
}
