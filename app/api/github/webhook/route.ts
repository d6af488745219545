// GitHub webhook receiver. Thin: the raw body (needed for the signature) goes to lib/github.
import { errorResponse } from "../../../../lib/errors";
import { handleWebhook } from "../../../../lib/github/handle-webhook";

export async function POST(req: Request): Promise<Response> {
  try {
    const result = await handleWebhook({ headers: req.headers, rawBody: await req.text() });
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    return errorResponse(error);
  }
}
