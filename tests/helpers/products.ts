import { expect } from "vitest";
import { POST as createProductRoute } from "@/app/api/products/route";
import type { Product } from "@/lib/validation/product";
import type { TestUser } from "./users";

/** Integration tests: registering products through the real POST /api/products route. */

/** The route's answer to registering `input` as `user`. */
export const postProduct = (user: TestUser, input: object) =>
  createProductRoute(
    new Request("http://localhost/api/products", { method: "POST", headers: { "content-type": "application/json", ...user.auth }, body: JSON.stringify(input) }),
    undefined,
  );

/** Registers `input` as `user`; the test fails unless it is created. */
export async function registeredProduct(user: TestUser, input: object): Promise<Product> {
  const response = await postProduct(user, input);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Product;
}
