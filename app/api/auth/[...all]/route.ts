import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

/** better-auth: /api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, single sign-on callbacks. */
const handler = toNextJsHandler((request: Request) => auth().handler(request));

export const { GET, POST } = handler;
