// Injectable failures, shaped as GitHub sends them: primary rate limit (403 with
// x-ratelimit-remaining: 0 and a reset time), secondary rate limit (429 with retry-after), 5xx.
export type FakeFault = {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose path (without query) matches (default: any API request). */
  path?: string | RegExp;
  /** How many matching requests fail (default 1). */
  times?: number;
} & (
  | { kind: "rate-limit"; resetInSec?: number }
  | { kind: "secondary-rate-limit"; retryAfterSec?: number }
  | { kind: "server-error"; status?: 500 | 502 | 503 | 504 }
);

export type FaultResponse = { status: number; headers: Record<string, string>; body: unknown };

export function createFaultQueue() {
  const faults: (FakeFault & { remaining: number })[] = [];
  return {
    add(fault: FakeFault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clear() {
      faults.length = 0;
    },
    /** The response for this request if a fault applies, consuming one use of it. */
    take(method: string, path: string): FaultResponse | null {
      const fault = faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && matches(f.path, path));
      if (!fault) return null;
      fault.remaining -= 1;
      return render(fault);
    },
  };
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === "string" ? path === pattern : pattern.test(path);
}

function render(fault: FakeFault): FaultResponse {
  if (fault.kind === "rate-limit") {
    const reset = Math.floor(Date.now() / 1000) + (fault.resetInSec ?? 1);
    return {
      status: 403,
      headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000", "x-ratelimit-reset": String(reset), "x-ratelimit-resource": "core" },
      body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", status: "403" },
    };
  }
  if (fault.kind === "secondary-rate-limit") {
    return {
      status: 429,
      headers: { "retry-after": String(fault.retryAfterSec ?? 1) },
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", status: "429" },
    };
  }
  return { status: fault.status ?? 502, headers: {}, body: { message: "Server Error" } };
}
