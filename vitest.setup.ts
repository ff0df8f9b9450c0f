import { randomBytes } from "node:crypto";

// Sessions and API keys need a signing secret; tests get a fresh random one.
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
