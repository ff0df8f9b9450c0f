import { RESTRICTED_REASON } from "./access";

/**
 * Kept conversations and restricted products: an answer given while its
 * reader held a grant quotes and cites records the reader may no longer read
 * once the grant is revoked or expires. Reopened, such an answer is withheld:
 * pure rules over the stored UI messages, no framework or database.
 */

interface Part {
  type: string;
  data?: unknown;
  text?: string;
}
interface Message {
  role: string;
  parts: Part[];
}

/** A stored message as the chat writes it (anything else is left as it is). */
const isMessage = (value: unknown): value is Message =>
  typeof value === "object" && value !== null && typeof (value as Message).role === "string" && Array.isArray((value as Message).parts);
interface SourceProduct {
  domain: string;
  name: string;
  title: string;
  status: string;
  citations?: unknown[];
  [key: string]: unknown;
}

const addressOf = (product: { domain: string; name: string }) => `${product.domain}/${product.name}`;

function sourcesOf(message: Message): SourceProduct[] {
  const part = message.parts.find((candidate) => candidate.type === "data-sources");
  const products = (part?.data as { products?: unknown } | undefined)?.products;
  return Array.isArray(products) ? (products as SourceProduct[]) : [];
}

/** The products an answer drew on: those it searched or planned (their records reached it), those it cites or links. */
export function productsDrawnOn(message: Message): Set<string> {
  const drawn = new Set(sourcesOf(message).filter((product) => product.status === "ok").map(addressOf));
  const answer = message.parts.find((part) => part.type === "data-answer")?.data as
    | { citations?: { product?: unknown }[]; links?: { from?: { product?: unknown }; to?: { product?: unknown } }[]; plans?: { product?: unknown }[] }
    | undefined;
  const named = [
    ...(answer?.citations ?? []).map((citation) => citation.product),
    ...(answer?.links ?? []).flatMap((link) => [link.from?.product, link.to?.product]),
    ...(answer?.plans ?? []).map((plan) => plan.product),
  ];
  for (const product of named) if (typeof product === "string") drawn.add(product);
  return drawn;
}

/**
 * The messages as `hidden` (addresses of the products whose records the reader may not read now)
 * allows: an assistant message that drew on one of them keeps only its sources, with those
 * products marked restricted, and a sentence saying why its answer is withheld.
 */
export function withheldAnswers(messages: unknown[], hidden: ReadonlySet<string>, accessPathOf: (product: { domain: string; name: string }) => string): unknown[] {
  if (hidden.size === 0) return messages;
  return messages.map((message) => {
    if (!isMessage(message) || message.role !== "assistant") return message;
    const drawn = [...productsDrawnOn(message)].filter((address) => hidden.has(address));
    if (!drawn.length) return message;
    const sources = message.parts.find((part) => part.type === "data-sources") as (Part & { data: { products: SourceProduct[] } }) | undefined;
    const titles = sourcesOf(message)
      .filter((product) => hidden.has(addressOf(product)))
      .map((product) => product.title);
    const names = titles.length ? titles : drawn;
    const parts: Part[] = [
      ...(sources
        ? [
            {
              ...sources,
              data: {
                ...sources.data,
                products: sources.data.products.map((product) =>
                  hidden.has(addressOf(product))
                    ? { domain: product.domain, name: product.name, title: product.title, status: "restricted", reason: RESTRICTED_REASON, requestAccess: accessPathOf(product), citations: [] }
                    : product,
                ),
              },
            },
          ]
        : []),
      { type: "text", text: `This answer drew on ${names.join(", ")}, whose records you may no longer read (${RESTRICTED_REASON}).` },
    ];
    return { ...message, parts };
  });
}
