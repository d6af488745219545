import { serve } from "inngest/next";
import { functions } from "@/workflows";
import { inngest, inngestServeOrigin, inngestServePath } from "@/lib/inngest";

// The origin is fixed (never the request's Host), and with keys a sync must be signed by the engine.
export const { GET, POST, PUT } = serve({
  client: inngest,
  functions,
  serveOrigin: inngestServeOrigin(),
  servePath: inngestServePath,
  enableUnauthedSync: false,
});
