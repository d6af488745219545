import { authenticateRequest } from "../../../lib/auth/session";
import { handleRoute, readJsonBody } from "../../../lib/http";
import { describeRoleModels } from "../../../lib/llm/describe-role-models";
import { listModelPrices } from "../../../lib/llm/list-model-prices";
import type { ModelPricesDto } from "../../../lib/llm/model-price-dto";
import { modelPriceKey, setModelPriceInput } from "../../../lib/llm/model-price-input";
import { resetModelPrice } from "../../../lib/llm/reset-model-price";
import { setModelPrice } from "../../../lib/llm/set-model-price";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const [prices, roles] = await Promise.all([listModelPrices(), describeRoleModels()]);
    return Response.json({ prices, roles } satisfies ModelPricesDto);
  });
}

export async function PUT(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const input = setModelPriceInput.parse(await readJsonBody(request));
    return Response.json(await setModelPrice({ input }));
  });
}

export async function DELETE(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const key = modelPriceKey.parse(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await resetModelPrice({ key }));
  });
}
