import type { ReactNode } from "react";
import { QueryProvider } from "@/components/query-provider";

export default function Layout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
