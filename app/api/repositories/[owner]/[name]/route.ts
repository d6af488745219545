import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute, readJsonBody } from "@/lib/http";
import { getRepositoryProfileOrThrow, updateRepositoryProfile } from "@/lib/repositories/repository-profile";
import { repositoryRefInput, updateRepositoryProfileInput } from "@/lib/repositories/repository-profile-schema";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ owner: string; name: string }> };

export async function GET(request: Request, { params }: Params) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    return Response.json(await getRepositoryProfileOrThrow(repositoryRefInput.parse(await params)));
  });
}

export async function PUT(request: Request, { params }: Params) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const ref = repositoryRefInput.parse(await params);
    const input = updateRepositoryProfileInput.parse(await readJsonBody(request));
    return Response.json(await updateRepositoryProfile({ ...ref, input }));
  });
}
