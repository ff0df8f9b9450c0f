import { Skeleton } from "@/components/ui/skeleton";
import { card } from "@/components/ui/styles";

export default function CatalogLoading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading the catalog">
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-10 w-full" />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 6 }, (_, index) => (
          <li key={index} className={`${card} space-y-3 p-5`}>
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-5 w-3/4" />
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-4 w-1/2" />
          </li>
        ))}
      </ul>
    </div>
  );
}
