// Hidden HTML comments that let the factory find its own PR bodies, reviews and comments
// again, so every write can be re-run without duplicating anything. A marker counts only on
// something the factory's own account wrote: anyone can paste the text into a comment.
import { isSameLogin } from "./factory-identity";

const prefix = "<!-- dark-factory:";

type Authored = { body?: string | null; user?: { login: string } | null };

/** e.g. hiddenMarker("review", "run1-t1-iter2") -> "<!-- dark-factory:review:run1-t1-iter2 -->" */
export function hiddenMarker(kind: "review" | "status" | "pr" | "reply", key?: string): string {
  const safeKey = key?.replace(/[^\w.:-]/g, "_");
  return `${prefix}${kind}${safeKey ? `:${safeKey}` : ""} -->`;
}

export function hasHiddenMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === "string" && body.includes(marker);
}

/** The factory's own comment or review carrying `marker`: both the marker and the author match. */
export function isOwnMarked(item: Authored, marker: string, factoryLogin: string): boolean {
  return hasHiddenMarker(item.body, marker) && isSameLogin(item.user, factoryLogin);
}

/** True for anything the factory wrote (its reviews and comments come back as webhooks). */
export function isFactoryAuthored(item: Authored, factoryLogin: string): boolean {
  return typeof item.body === "string" && item.body.includes(prefix) && isSameLogin(item.user, factoryLogin);
}

/** Whether a body carries any factory marker, whoever wrote it (cheap pre-check). */
export function hasAnyFactoryMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(prefix);
}
