// GitHub webhook receiver. Thin: refuses unsigned or oversize deliveries before reading them,
// then hands the raw body (needed for the signature) to lib/github.
import { assertWebhookSignable, handleWebhook, maxWebhookBodyBytes } from "@/lib/github/handle-webhook";
import { handleRoute, readBodyText } from "@/lib/http";

export async function POST(request: Request): Promise<Response> {
  return handleRoute(async () => {
    assertWebhookSignable(request.headers);
    const result = await handleWebhook({ headers: request.headers, rawBody: await readBodyText(request, maxWebhookBodyBytes) });
    return Response.json(result.body, { status: result.status });
  });
}
