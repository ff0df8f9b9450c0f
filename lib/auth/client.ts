import { createAuthClient } from "better-auth/react";

/** better-auth in the browser: sign-in, single sign-on and sign-out through /api/auth. */
export const authClient = createAuthClient();
