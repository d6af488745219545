import { authenticateRequest } from "@/lib/auth/session";
import { handleRoute } from "@/lib/http";
import { listRepositoryProfiles } from "@/lib/repositories/repository-profile";
import type { RepositoryListDto } from "@/lib/repositories/repository-profile-schema";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return handleRoute(async () => {
    await authenticateRequest(request);
    return Response.json({ repositories: await listRepositoryProfiles() } satisfies RepositoryListDto);
  });
}
