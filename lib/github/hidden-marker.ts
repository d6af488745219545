// Hidden HTML comments that let the factory find its own PR bodies, reviews and comments
// again, so every write can be re-run without duplicating anything.
const prefix = "<!-- dark-factory:";

/** e.g. hiddenMarker("review", "run1-t1-iter2") -> "<!-- dark-factory:review:run1-t1-iter2 -->" */
export function hiddenMarker(kind: "review" | "status" | "pr" | "reply", key?: string): string {
  const safeKey = key?.replace(/[^\w.:-]/g, "_");
  return `${prefix}${kind}${safeKey ? `:${safeKey}` : ""} -->`;
}

export function hasHiddenMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === "string" && body.includes(marker);
}

/** True for anything the factory wrote (its reviews and comments come back as webhooks). */
export function isFactoryAuthored(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(prefix);
}
