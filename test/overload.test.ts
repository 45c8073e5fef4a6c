import { execFileSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { ConfigError, HTTP_DEFAULTS, loadConfig } from "../src/config";
import { createTestServer, TestServer } from "./helpers";

/** One request on its own connection (`Connection: close`), so no pooled socket counts toward the cap afterwards. */
function request(url: string, body: unknown): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Opens a TCP connection to the server and resolves once it is established. */
function connect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Everything the server sends on a socket until it closes it. */
function readUntilClosed(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** Retries `attempt` until it returns true, failing after `ms`: for states that settle asynchronously. */
async function eventually(attempt: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await attempt())) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const QUERY = { query: "{ people { totalCount } }" };

describe("the connection cap", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { MAX_CONNECTIONS: "2" } });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("answers a request on a connection over MAX_CONNECTIONS at once with 503, OVERLOADED and Retry-After, and serves again once connections close", async () => {
    const held = [await connect(url), await connect(url)];
    try {
      const refused = await request(url, QUERY);
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.headers.connection).toBe("close");
      expect(refused.json.errors?.[0].extensions).toMatchObject({ code: "OVERLOADED", retryAfter: 1 });
      expect(refused.json.errors?.[0].message).toMatch(/limit of 2 open connections/);
      // Health checks are answered all the same: a busy server is alive.
      const health = await new Promise<number>((resolve, reject) => {
        http.get(new URL("/health", url), { agent: false }, (res) => resolve(res.resume().statusCode ?? 0)).on("error", reject);
      });
      expect(health).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
    // The server learns of the closed connections asynchronously.
    await eventually(async () => (await request(url, QUERY)).status === 200);
  });
});

describe("the listen backlog", () => {
  it("is the LISTEN_BACKLOG setting, not Node's default of 511", async () => {
    let ss: string;
    try {
      execFileSync("ss", ["-V"], { stdio: "ignore" });
      ss = "ss";
    } catch {
      console.warn("skipped: the `ss` tool, which shows a listening socket's backlog, is not installed");
      return;
    }
    const kb = await createTestServer({ env: { LISTEN_BACKLOG: "37" } });
    try {
      const { port } = new URL(await kb.listen());
      // For a listening socket, ss's Send-Q column is its backlog.
      const lines = execFileSync(ss, ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0].trim().split(/\s+/)[2]).toBe("37");
    } finally {
      await kb.close();
    }
  });

  it("defaults to 2,048 and is refused when zero", () => {
    expect(loadConfig({}).listenBacklog).toBe(HTTP_DEFAULTS.listenBacklog);
    expect(HTTP_DEFAULTS.listenBacklog).toBe(2048);
    expect(() => loadConfig({ LISTEN_BACKLOG: "0" })).toThrow(ConfigError);
  });
});

describe("slow clients", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { REQUEST_TIMEOUT_MS: "1500", HEADERS_TIMEOUT_MS: "800", KEEP_ALIVE_TIMEOUT_MS: "300" } });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("cuts off a body trickling in a byte at a time with a coded 408 at REQUEST_TIMEOUT_MS", async () => {
    const socket = await connect(url);
    const answer = readUntilClosed(socket);
    // About ten seconds of trickling, far past the limit.
    const body = JSON.stringify(QUERY).padEnd(100, " ");
    socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    let sent = 0;
    const trickle = setInterval(() => {
      if (socket.writable && sent < body.length - 1) socket.write(body[sent++]);
    }, 100);
    try {
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4))).toEqual({
        errors: [{ message: "The request took too long to arrive", extensions: { code: "BAD_USER_INPUT" } }],
      });
      // Cut off well before the whole (one byte short) body could have arrived.
      expect(sent).toBeLessThan(body.length - 1);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }, 8000);

  it("cuts off headers trickling in with a coded 408 at HEADERS_TIMEOUT_MS", async () => {
    const socket = await connect(url);
    const answer = readUntilClosed(socket);
    socket.write("POST /graphql HTTP/1.1\r\nhost: localhost\r\n");
    const trickle = setInterval(() => {
      if (socket.writable) socket.write("x-slow: 1\r\n");
    }, 100);
    try {
      expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it("closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS", async () => {
    const socket = await connect(url);
    const answer = readUntilClosed(socket);
    const body = JSON.stringify(QUERY);
    socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    // The server closes the connection by itself; the test's timeout is the bound.
    expect(await answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*"totalCount":11/);
  }, 4000);

  it("has documented defaults: 30 s for a request, 10 s for its headers, 5 s for an idle connection", () => {
    const config = loadConfig({});
    expect([config.requestTimeoutMs, config.headersTimeoutMs, config.keepAliveTimeoutMs]).toEqual([30_000, 10_000, 5000]);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: "1000", HEADERS_TIMEOUT_MS: "2000" })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: "1000" }).headersTimeoutMs).toBe(1000);
  });
});
