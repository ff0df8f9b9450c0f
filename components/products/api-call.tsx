import { headers } from "next/headers";
import { ApiExample } from "./api-example";

/** A copyable curl call of `path` on the address this page was requested at. */
export async function ApiCall({ path }: { path: string }) {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "localhost:3000";
  const protocol = requestHeaders.get("x-forwarded-proto") ?? "http";
  return <ApiExample url={`${protocol}://${host}${path}`} />;
}
