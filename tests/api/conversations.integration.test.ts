import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as chatRoute } from "@/app/api/chat/route";
import { GET as listRoute } from "@/app/api/conversations/route";
import { DELETE as deleteRoute, GET as getRoute } from "@/app/api/conversations/[id]/route";
import { inProcess } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * Conversations kept per user: the chat stores each turn under the
 * conversation's id; its user lists, reopens and deletes it; nobody else
 * sees or changes it.
 */

let alice: TestUser;
let bob: TestUser;
let teardown: () => Promise<void>;

beforeAll(async () => {
  teardown = await inProcess.start();
  alice = await createTestUser();
  bob = await createTestUser();
});
afterAll(async () => teardown?.());

const ask = async (user: TestUser, id: string, messages: unknown[]) => {
  const response = await chatRoute(
    new Request("http://localhost/api/chat", { method: "POST", headers: { "content-type": "application/json", ...user.auth }, body: JSON.stringify({ id, messages }) }),
    undefined,
  );
  expect(response.status).toBe(200);
  await response.text();
};
const at = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (user: TestUser | null, id: string) => getRoute(new Request(`http://localhost/api/conversations/${id}`, { headers: user?.auth ?? {} }), at(id));
const list = async (user: TestUser) => ((await (await listRoute(new Request("http://localhost/api/conversations", { headers: user.auth }), undefined)).json()) as { conversations: { id: string; title: string }[] }).conversations;

describe("conversations", () => {
  const id = crypto.randomUUID();
  const question = { id: "u1", role: "user", parts: [{ type: "text", text: "How many tickets are open?" }] };

  it("stores each turn for its user, with the answer's parts, titled by the first question", async () => {
    await ask(alice, id, [question]);
    const stored = await (await get(alice, id)).json();
    expect(stored).toMatchObject({ id, title: "How many tickets are open?" });
    expect(stored.messages).toHaveLength(2);
    expect(stored.messages[1].role).toBe("assistant");
    expect(stored.messages[1].parts.map((part: { type: string }) => part.type)).toEqual(expect.arrayContaining(["data-sources", "data-answer", "text"]));

    await ask(alice, id, [...stored.messages, { id: "u2", role: "user", parts: [{ type: "text", text: "and the closed ones?" }] }]);
    expect((await (await get(alice, id)).json()).messages).toHaveLength(4);
    expect((await list(alice)).map((conversation) => conversation.id)).toContain(id);
  });

  it("keeps them from other users: not listed, not found, not overwritten, not deleted", async () => {
    expect((await list(bob)).map((conversation) => conversation.id)).not.toContain(id);
    expect((await get(bob, id)).status).toBe(404);
    await ask(bob, id, [question]);
    expect((await (await get(alice, id)).json()).messages).toHaveLength(4);
    expect((await deleteRoute(new Request(`http://localhost/api/conversations/${id}`, { method: "DELETE", headers: bob.auth }), at(id))).status).toBe(404);
    expect((await get(null, id)).status).toBe(401);
  });

  it("deletes a conversation for its user", async () => {
    expect((await deleteRoute(new Request(`http://localhost/api/conversations/${id}`, { method: "DELETE", headers: alice.auth }), at(id))).status).toBe(204);
    expect((await get(alice, id)).status).toBe(404);
    expect((await get(alice, "not-a-uuid")).status).toBe(404);
  });
});
