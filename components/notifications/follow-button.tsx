"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ProductRef } from "@/lib/paths";
import { button } from "../ui/styles";
import { setFollowing } from "./api";

/** Follow / Following on the product page: a followed product's events become the user's notifications. */
export function FollowButton({ product, initial }: { product: ProductRef; initial: boolean }) {
  const [following, setState] = useState(initial);
  const toggle = useMutation({ mutationFn: () => setFollowing(product, !following), onSuccess: (result) => setState(result.following) });
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className={following ? button.secondary : button.primary}
        aria-pressed={following}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate()}
        title={following ? "You are notified of its SLA breaches, failed quality rules, schema changes and deprecation; click to stop" : "Be notified of its SLA breaches, failed quality rules, schema changes and deprecation"}
      >
        {following ? "Following" : "Follow"}
      </button>
      {toggle.error ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {toggle.error.message}
        </span>
      ) : null}
    </span>
  );
}
