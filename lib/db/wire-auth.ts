import { createHmac, createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * Password authentication in front of the embedded database. PGlite accepts
 * every connection, so the launcher serves it on a Unix socket in a private
 * folder and lets TCP clients through this gate only: it speaks the start of
 * the Postgres wire protocol itself (SCRAM-SHA-256, as Postgres does; the
 * password never crosses the socket), then hands the authenticated connection
 * to the database, starting with the client's own startup message.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const ITERATIONS = 4096;
const AUTH_TIMEOUT_MS = 10_000;
const MAX_STARTUP_BYTES = 10_000;

interface Verifier {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

function verifierOf(password: string): Verifier {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, ITERATIONS, 32, "sha256");
  return {
    salt,
    storedKey: createHash("sha256").update(hmac(salted, "Client Key")).digest(),
    serverKey: hmac(salted, "Server Key"),
  };
}

class AuthFailure extends Error {}

/** Reads the client's messages during authentication: untyped (startup) or typed ones. */
class Messages {
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;
  private failed?: Error;

  constructor(private readonly socket: Socket) {
    socket.on("data", this.onData);
    socket.on("error", this.onEnd);
    socket.on("end", this.onEnd);
  }

  private onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_STARTUP_BYTES) this.failed = new AuthFailure("startup messages too large");
    this.waiting?.();
  };

  private onEnd = () => {
    this.failed ??= new AuthFailure("connection closed");
    this.waiting?.();
  };

  private async bytes(count: number): Promise<Buffer> {
    while (this.buffer.length < count) {
      if (this.failed) throw this.failed;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const taken = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return taken;
  }

  /** A message without a type byte: length (including itself), then the body. */
  async untyped(): Promise<{ raw: Buffer; code: number; body: Buffer }> {
    const head = await this.bytes(8);
    const length = head.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_BYTES) throw new AuthFailure("bad startup message");
    const body = await this.bytes(length - 8);
    return { raw: Buffer.concat([head, body]), code: head.readInt32BE(4), body };
  }

  async typed(expected: string): Promise<Buffer> {
    const head = await this.bytes(5);
    if (String.fromCharCode(head[0]!) !== expected) throw new AuthFailure("unexpected message");
    const length = head.readInt32BE(1);
    if (length < 4 || length > MAX_STARTUP_BYTES) throw new AuthFailure("bad message length");
    return this.bytes(length - 4);
  }

  /** Stops reading; returns what the client already sent beyond authentication. */
  release(): Buffer {
    this.socket.pause();
    this.socket.off("data", this.onData);
    this.socket.off("error", this.onEnd);
    this.socket.off("end", this.onEnd);
    return this.buffer;
  }
}

function authentication(code: number, data = Buffer.alloc(0)): Buffer {
  const message = Buffer.alloc(9 + data.length);
  message.write("R", 0);
  message.writeInt32BE(8 + data.length, 1);
  message.writeInt32BE(code, 5);
  data.copy(message, 9);
  return message;
}

function errorResponse(code: string, text: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`, "utf8");
  const message = Buffer.alloc(5 + fields.length);
  message.write("E", 0);
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}

function attributes(text: string): Map<string, string> {
  return new Map(text.split(",").map((part) => [part.slice(0, 1), part.slice(2)]));
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Runs SCRAM-SHA-256 with the client; returns its startup message once the password is proven. */
async function authenticate(socket: Socket, messages: Messages, verifier: Verifier): Promise<Buffer> {
  let startup = await messages.untyped();
  while (startup.code === SSL_REQUEST || startup.code === GSSENC_REQUEST) {
    socket.write("N");
    startup = await messages.untyped();
  }
  if (startup.code === CANCEL_REQUEST) throw new AuthFailure("cancel requests are not supported");
  if (startup.code !== PROTOCOL_3) {
    socket.write(errorResponse("0A000", "unsupported frontend protocol"));
    throw new AuthFailure("unsupported protocol");
  }

  socket.write(authentication(10, Buffer.from("SCRAM-SHA-256\0\0")));
  const initial = await messages.typed("p");
  const mechanismEnd = initial.indexOf(0);
  if (initial.subarray(0, mechanismEnd).toString() !== "SCRAM-SHA-256") throw new AuthFailure("unsupported SASL mechanism");
  const clientFirst = initial.subarray(mechanismEnd + 5).toString("utf8");
  const gs2 = /^([ny]),(?:a=[^,]*)?,/.exec(clientFirst);
  if (!gs2) throw new AuthFailure("channel binding is not supported");
  const clientFirstBare = clientFirst.slice(gs2[0].length);
  const clientNonce = attributes(clientFirstBare).get("r");
  if (!clientNonce) throw new AuthFailure("no client nonce");

  const nonce = clientNonce + randomBytes(18).toString("base64");
  const serverFirst = `r=${nonce},s=${verifier.salt.toString("base64")},i=${ITERATIONS}`;
  socket.write(authentication(11, Buffer.from(serverFirst)));

  const clientFinal = (await messages.typed("p")).toString("utf8");
  const proofAt = clientFinal.lastIndexOf(",p=");
  const final = attributes(clientFinal);
  if (proofAt < 0 || final.get("r") !== nonce || final.get("c") !== Buffer.from(gs2[0]).toString("base64")) {
    throw new AuthFailure("bad SCRAM exchange");
  }
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinal.slice(0, proofAt)}`;
  const signature = hmac(verifier.storedKey, authMessage);
  const proof = Buffer.from(final.get("p") ?? "", "base64");
  const clientKey = Buffer.from(proof.map((byte, at) => byte ^ (signature[at] ?? 0)));
  if (proof.length !== signature.length || !sameBytes(createHash("sha256").update(clientKey).digest(), verifier.storedKey)) {
    const user = /\0user\0([^\0]*)\0/.exec(`\0${startup.body.toString("utf8")}`)?.[1] ?? "";
    socket.write(errorResponse("28P01", `password authentication failed for user "${user}"`));
    throw new AuthFailure("wrong password");
  }
  socket.write(authentication(12, Buffer.from(`v=${hmac(verifier.serverKey, authMessage).toString("base64")}`)));
  return startup.raw;
}

/**
 * Listens on host:port; lets a client through to the database at `upstream`
 * (a Unix socket path; until a promised one resolves, authenticated clients
 * wait) once it has proven `password`.
 */
export async function startPasswordGate(options: {
  password: string;
  upstream: string | Promise<string>;
  host: string;
  port: number;
}): Promise<{ address: string; close(): Promise<void> }> {
  const verifier = verifierOf(options.password);
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.setNoDelay(true);
    const messages = new Messages(socket);
    const timer = setTimeout(() => socket.destroy(), AUTH_TIMEOUT_MS);
    authenticate(socket, messages, verifier).then(
      async (startup) => {
        clearTimeout(timer);
        const pending = messages.release();
        const upstream = await options.upstream;
        if (socket.destroyed) return;
        const database = connect(upstream);
        open.add(database);
        database.setNoDelay(true);
        database.write(startup);
        if (pending.length) database.write(pending);
        socket.pipe(database).pipe(socket);
        const close = () => {
          socket.destroy();
          database.destroy();
        };
        socket.on("error", close).on("close", close);
        database.on("error", close).on("close", () => {
          open.delete(database);
          close();
        });
      },
      () => {
        clearTimeout(timer);
        messages.release();
        socket.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  return {
    address: `${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
