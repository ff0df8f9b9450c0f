"use client";

import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";

/** What every page needs, around the root layout: the theme. */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </ThemeProvider>
  );
}
