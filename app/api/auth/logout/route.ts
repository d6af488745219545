import { sessionCookieName } from "../../../../lib/auth/session";

export async function POST() {
  return Response.json({ ok: true }, { headers: { "set-cookie": `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` } });
}
