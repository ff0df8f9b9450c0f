/**
 * The Next.js server that `npm run dev` / `npm start` run (started by
 * serve.ts): Next's request handler behind Node's own HTTP server, so that the
 * client's address comes from the connection. X-Forwarded-For is believed only
 * from a proxy on TRUSTED_PROXY; from anyone else it is replaced, so a client
 * cannot pick the address the sign-in limit counts.
 */
import { createServer } from "node:http";
import next from "next";
import { env } from "../lib/env";
import { notePageServed } from "../lib/runtime/first-page";
import { forwardedFor, trustedProxies } from "../lib/security/client-address";

const dev = process.argv[2] === "dev";
const config = env();
const trusted = trustedProxies(config.TRUSTED_PROXY);
const app = next({ dev, port: config.PORT, hostname: config.HOSTNAME });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  const address = forwardedFor(request.socket.remoteAddress, request.headers["x-forwarded-for"], trusted);
  if (address) request.headers["x-forwarded-for"] = address;
  else delete request.headers["x-forwarded-for"];
  if (dev) response.once("finish", () => notePageServed(response.statusCode, response.getHeader("content-type")));
  void handle(request, response);
});
if (dev) server.on("upgrade", app.getUpgradeHandler());
server.listen(config.PORT, config.HOSTNAME, () => {
  console.log(`[mesh-portal] ${dev ? "development" : "production"} server on http://${config.HOSTNAME ?? "localhost"}:${config.PORT}`);
});
