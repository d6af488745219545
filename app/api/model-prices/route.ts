import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute, readJsonBody } from "@/lib/http";
import { describeRoleModels, listModelPrices, resetModelPrice, setModelPrice } from "@/lib/llm/model-price";
import { modelPriceKey, setModelPriceInput, type ModelPricesDto } from "@/lib/llm/model-price-contract";

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
