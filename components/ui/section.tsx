import type { ReactNode } from "react";
import { sectionTitle } from "./styles";

/** A titled part of a page, labelled by its heading (`id` names it: `${id}-title`); `action` sits beside the title. */
export function Section({ id, title, action, className = "", children }: { id: string; title: ReactNode; action?: ReactNode; className?: string; children: ReactNode }) {
  const heading = (
    <h2 id={`${id}-title`} className={sectionTitle}>
      {title}
    </h2>
  );
  return (
    <section className={`space-y-3 ${className}`.trim()} aria-labelledby={`${id}-title`}>
      {action ? <div className="flex flex-wrap items-center justify-between gap-3">{heading}{action}</div> : heading}
      {children}
    </section>
  );
}

/** A page's title and what the page is for. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{children}</p> : null}
    </div>
  );
}
