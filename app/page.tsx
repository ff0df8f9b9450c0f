import { redirect } from "next/navigation";
import { CATALOG_PATH } from "@/lib/paths";

export default function Home() {
  redirect(CATALOG_PATH);
}
