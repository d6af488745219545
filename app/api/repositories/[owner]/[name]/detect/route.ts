import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { ensureRepositoryProfile, getRepositoryProfileOrThrow } from "@/lib/repositories/repository-profile";
import { repositoryRefInput } from "@/lib/repositories/repository-profile-schema";

export const dynamic = "force-dynamic";

/** Detects the profile again from the default branch's head; a user's edits are kept. */
export async function POST(request: Request, { params }: { params: Promise<{ owner: string; name: string }> }) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    const { id } = await getRepositoryProfileOrThrow(repositoryRefInput.parse(await params));
    return Response.json(await ensureRepositoryProfile({ repositoryId: id, force: true }));
  });
}
