// End-to-end tests of nms-proxy: a real gRPC-web client (@connectrpc/connect-web over Node's
// fetch) → nms-proxy → proxy_test_server (C++ gRPC). Raw HTTP (node:http) is used where a
// browser-grade client would hide what we check: text mode, CORS preflight, path traversal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";

import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { EchoService, EchoRequestSchema, EchoResponseSchema } from "./gen/echo_pb.js";

const PROXY_BIN = process.env.NMS_PROXY_BIN;
const SERVER_BIN = process.env.NMS_PROXY_TEST_SERVER_BIN;
const ALLOWED_ORIGIN = "http://allowed.example";

let upstream, proxy, proxyExit, proxyPort, baseUrl, client, tmp;

// Starts a process and resolves with the first match of `pattern` in its stdout/stderr.
function startProcess(bin, args, pattern) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${bin} not ready:\n${seen}`)), 10000);
    const onData = (chunk) => {
      seen += chunk;
      if (process.env.NMS_PROXY_TEST_VERBOSE) process.stderr.write(chunk);
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${bin} exited early (${code}):\n${seen}`)));
  });
}

// One HTTP/1.1 request without any URL normalisation (so "/../x" reaches the server as is).
function raw({ method = "GET", path: p, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: proxyPort, method, path: p, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

function frame(flags, payload) {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = flags;
  out.writeUInt32BE(payload.length, 1);
  Buffer.from(payload).copy(out, 5);
  return out;
}

function parseFrames(buf) {
  const frames = [];
  for (let i = 0; i < buf.length; ) {
    const len = buf.readUInt32BE(i + 1);
    frames.push({ flags: buf[i], payload: buf.subarray(i + 5, i + 5 + len) });
    i += 5 + len;
  }
  return frames;
}

// grpc-web-text bodies are concatenations of padded base64 runs: decode quantum by quantum.
function decodeBase64Chunks(text) {
  const clean = text.replace(/\s+/g, "");
  assert.equal(clean.length % 4, 0, "text-mode body must be padded base64");
  const parts = [];
  for (let i = 0; i < clean.length; i += 4) parts.push(Buffer.from(clean.slice(i, i + 4), "base64"));
  return Buffer.concat(parts);
}

function parseTrailer(payload) {
  const out = {};
  for (const line of payload.toString("latin1").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

async function stats() {
  return client.stats({});
}

before(async () => {
  assert.ok(PROXY_BIN && SERVER_BIN, "NMS_PROXY_BIN and NMS_PROXY_TEST_SERVER_BIN must be set");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nms-proxy-e2e-"));
  const write = (rel, content) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), content);
  };
  write("web/index.html", "<!doctype html><title>НМС admin</title>");
  write("web/app.js", "console.log('web');");
  write("web/assets/index-1a2b3c.css", "body{}");
  write("web/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
  write("mobile/index.html", "<!doctype html><title>НМС mobile</title>");
  write("mobile/sw.js", "self.addEventListener('fetch',()=>{});");
  write("mobile/manifest.webmanifest", '{"name":"НМС"}');
  write("secret.txt", "TOP-SECRET-CONTENT");

  const s = await startProcess(SERVER_BIN, ["--port=0"], /LISTENING (\d+)/);
  upstream = s.child;
  const p = await startProcess(
    PROXY_BIN,
    [
      "--listen=127.0.0.1:0",
      `--upstream=127.0.0.1:${s.match[1]}`,
      `--cors_origins=${ALLOWED_ORIGIN},http://localhost:5173`,
      `--static=/=${path.join(tmp, "web")}`,
      `--static=/m/=${path.join(tmp, "mobile")}`,
      "--drain_timeout_ms=5000",
    ],
    /listening on 127\.0\.0\.1:(\d+)/,
  );
  proxy = p.child;
  proxy.removeAllListeners("exit");
  proxyExit = new Promise((resolve) => proxy.on("exit", (code, signal) => resolve({ code, signal })));
  proxyPort = Number(p.match[1]);
  baseUrl = `http://127.0.0.1:${proxyPort}`;
  client = createClient(EchoService, createGrpcWebTransport({ baseUrl, useBinaryFormat: true }));
});

after(() => {
  for (const c of [proxy, upstream]) {
    if (c && c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("unary call returns the upstream response", async () => {
  const res = await client.echo({ text: "привет, мир" });
  assert.equal(res.text, "привет, мир");
  // Several calls over the same keep-alive connection.
  for (let i = 0; i < 20; i++) assert.equal((await client.echo({ text: `n${i}` })).text, `n${i}`);
});

test("metadata passes through both ways, grpc-timeout becomes the deadline", async () => {
  let header, trailer;
  const res = await client.echo(
    { text: "md" },
    {
      headers: { authorization: "Bearer test-token-123", "x-request-id": "req-42", cookie: "a=b" },
      timeoutMs: 5000,
      onHeader: (h) => (header = h),
      onTrailer: (t) => (trailer = t),
    },
  );
  assert.equal(res.authorization, "Bearer test-token-123");
  assert.equal(res.metadata["x-request-id"], "req-42");
  assert.equal(res.metadata["x-forwarded-for"], "127.0.0.1");
  assert.equal(res.metadata["x-grpc-web"], undefined, "protocol marker is not forwarded");
  // gRPC rounds the timeout up when it encodes it for the wire, hence a little over 5000.
  assert.ok(res.deadlineMs > 1000n && res.deadlineMs <= 5100n, `deadline ${res.deadlineMs}`);
  assert.equal(header.get("x-echo-initial"), "hello");
  assert.equal(trailer.get("x-echo-trailer"), "bye");
  const none = await client.echo({ text: "no deadline" });
  assert.equal(none.deadlineMs, -1n);
  assert.equal(none.authorization, "");
});

test("upstream errors arrive as grpc-web trailers with Cyrillic messages intact", async () => {
  const cases = [
    [Code.NotFound, "Учитель не найден: 100% ошибка"],
    [Code.PermissionDenied, "Нет доступа к данным другой школы"],
    [Code.InvalidArgument, "bad input\nsecond line"],
    [Code.FailedPrecondition, "версия устарела"],
    [Code.Internal, ""],
  ];
  for (const [code, message] of cases) {
    await assert.rejects(client.echo({ text: "x", statusCode: code, statusMessage: message }), (err) => {
      assert.ok(err instanceof ConnectError, String(err));
      assert.equal(err.code, code);
      assert.equal(err.rawMessage, message);
      return true;
    });
  }
  // On the wire: HTTP 200 and a percent-encoded grpc-message in the trailer frame.
  const body = frame(0, toBinary(EchoRequestSchema, create(EchoRequestSchema, {
    statusCode: Code.NotFound, statusMessage: "Не найдено",
  })));
  const res = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/Echo", body,
    headers: { "content-type": "application/grpc-web+proto" },
  });
  assert.equal(res.status, 200);
  const trailer = parseTrailer(parseFrames(res.body).at(-1).payload);
  assert.equal(trailer["grpc-status"], "5");
  assert.equal(trailer["grpc-message"], "%D0%9D%D0%B5 %D0%BD%D0%B0%D0%B9%D0%B4%D0%B5%D0%BD%D0%BE");
});

test("unknown methods come back as UNIMPLEMENTED from upstream", async () => {
  const res = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/NoSuchMethod", body: frame(0, Buffer.alloc(0)),
    headers: { "content-type": "application/grpc-web+proto" },
  });
  assert.equal(res.status, 200);
  assert.equal(parseTrailer(parseFrames(res.body).at(-1).payload)["grpc-status"], String(Code.Unimplemented));
});

test("server streaming delivers every message in order", async () => {
  const got = [];
  for await (const m of client.serverStream({ count: 50, delayMs: 1, tag: "order" })) got.push(m.index);
  assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => i));
});

test("server streaming forwards each message as soon as it arrives", async () => {
  const t0 = Date.now();
  const times = [];
  for await (const m of client.serverStream({ count: 3, delayMs: 300, tag: "timing" })) {
    times.push(Date.now() - t0);
    assert.equal(m.text, "timing");
  }
  assert.equal(times.length, 3);
  assert.ok(times[0] < 650, `first message after ${times[0]} ms`);
  assert.ok(times[2] - times[0] >= 450, `messages were not spread out: ${times}`);
});

test("large messages pass; over the limit is RESOURCE_EXHAUSTED", async () => {
  const payload = randomBytes(1 << 20);
  const res = await client.echoLarge({ payload });
  assert.equal(Buffer.compare(Buffer.from(res.payload), payload), 0);

  await assert.rejects(client.echoLarge({ payload: randomBytes(5 << 20) }), (err) => {
    assert.equal(err.code, Code.ResourceExhausted, String(err));
    return true;
  });
  // Response over the limit: the proxy's upstream channel refuses it.
  await assert.rejects(client.echoLarge({ responseSize: 5 << 20 }), (err) => {
    assert.equal(err.code, Code.ResourceExhausted, String(err));
    return true;
  });
  // And the proxy still works afterwards.
  assert.equal((await client.echo({ text: "still alive" })).text, "still alive");
});

test("grpc-web-text: chunked base64 request, base64 response with trailers", async () => {
  const msg = toBinary(EchoRequestSchema, create(EchoRequestSchema, { text: "текстовый режим" }));
  const bytes = frame(0, msg);
  // Two independently padded base64 runs, as a client streaming its body would send.
  const body = bytes.subarray(0, 7).toString("base64") + bytes.subarray(7).toString("base64");
  assert.ok(body.slice(0, 12).includes("="), "first chunk must carry padding");
  const res = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/Echo", body,
    headers: {
      "content-type": "application/grpc-web-text",
      accept: "application/grpc-web-text",
      authorization: "Bearer text-mode",
    },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers["content-type"], /^application\/grpc-web-text/);
  const frames = parseFrames(decodeBase64Chunks(res.body.toString("latin1")));
  assert.equal(frames.length, 2);
  const reply = fromBinary(EchoResponseSchema, frames[0].payload);
  assert.equal(reply.text, "текстовый режим");
  assert.equal(reply.authorization, "Bearer text-mode");
  assert.equal(frames[1].flags, 0x80);
  const trailer = parseTrailer(frames[1].payload);
  assert.equal(trailer["grpc-status"], "0");
  assert.equal(trailer["x-echo-trailer"], "bye");

  // An error in text mode, with a Cyrillic message.
  const err = toBinary(EchoRequestSchema, create(EchoRequestSchema, {
    statusCode: Code.AlreadyExists, statusMessage: "Запись уже есть",
  }));
  const res2 = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/Echo", body: frame(0, err).toString("base64"),
    headers: { "content-type": "application/grpc-web-text+proto" },
  });
  const t2 = parseTrailer(parseFrames(decodeBase64Chunks(res2.body.toString("latin1"))).at(-1).payload);
  assert.equal(t2["grpc-status"], String(Code.AlreadyExists));
  assert.equal(decodeURIComponent(t2["grpc-message"]), "Запись уже есть");
});

test("malformed requests get gRPC errors, not crashes", async () => {
  const post = (headers, body, p = "/nms.testing.v1.EchoService/Echo") =>
    raw({ method: "POST", path: p, headers, body });
  const bin = { "content-type": "application/grpc-web+proto" };

  let r = await post({ "content-type": "application/grpc-web-text" }, "!!!not base64!!!");
  assert.equal(r.status, 200);
  assert.equal(r.headers["grpc-status"], String(Code.InvalidArgument));

  r = await post(bin, Buffer.from([0, 0, 0, 0, 9, 1, 2]));  // truncated frame
  assert.equal(r.headers["grpc-status"], String(Code.InvalidArgument));

  r = await post(bin, frame(1, Buffer.from("zz")));  // compressed flag
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));

  r = await post(bin, frame(0, Buffer.alloc(0)), "/not-a-method");
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));

  r = await post({ "content-type": "application/grpc-web+json" }, "{}");
  assert.equal(r.status, 200);
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));

  r = await post({ "content-type": "application/json" }, "{}");
  assert.equal(r.status, 415);
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));

  r = await post({ ...bin, "grpc-timeout": "soon" }, frame(0, Buffer.alloc(0)));
  assert.equal(r.headers["grpc-status"], String(Code.InvalidArgument));

  r = await raw({ method: "DELETE", path: "/x" });
  assert.equal(r.status, 405);

  assert.equal((await client.echo({ text: "ok after garbage" })).text, "ok after garbage");
});

test("CORS: preflight for configured origins only, exposed grpc headers", async () => {
  const pre = await raw({
    method: "OPTIONS", path: "/nms.testing.v1.EchoService/Echo",
    headers: {
      origin: ALLOWED_ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,x-grpc-web,x-user-agent",
    },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers["access-control-allow-origin"], ALLOWED_ORIGIN);
  const allowHeaders = pre.headers["access-control-allow-headers"].split(",");
  for (const h of ["authorization", "content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "x-request-id"]) {
    assert.ok(allowHeaders.includes(h), `allow-headers lacks ${h}`);
  }
  assert.match(pre.headers["access-control-allow-methods"], /POST/);

  const denied = await raw({
    method: "OPTIONS", path: "/nms.testing.v1.EchoService/Echo",
    headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
  });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers["access-control-allow-origin"], undefined);

  const res = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/Echo",
    headers: { origin: ALLOWED_ORIGIN, "content-type": "application/grpc-web+proto" },
    body: frame(0, toBinary(EchoRequestSchema, create(EchoRequestSchema, { text: "cors" }))),
  });
  assert.equal(res.headers["access-control-allow-origin"], ALLOWED_ORIGIN);
  const expose = res.headers["access-control-expose-headers"].split(",");
  assert.ok(expose.includes("grpc-status") && expose.includes("grpc-message"), expose.join());
});

test("static files: MIME types, caching, index and SPA fallback", async () => {
  const get = (p, method = "GET") => raw({ method, path: p });
  let r = await get("/");
  assert.equal(r.status, 200);
  assert.match(r.headers["content-type"], /^text\/html/);
  assert.equal(r.headers["cache-control"], "no-cache");
  assert.match(r.body.toString(), /НМС admin/);

  r = await get("/app.js");
  assert.match(r.headers["content-type"], /^text\/javascript/);
  r = await get("/assets/index-1a2b3c.css");
  assert.match(r.headers["content-type"], /^text\/css/);
  assert.match(r.headers["cache-control"], /immutable/);
  r = await get("/logo.svg");
  assert.equal(r.headers["content-type"], "image/svg+xml");

  r = await get("/m/");
  assert.match(r.body.toString(), /НМС mobile/);
  r = await get("/m");
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, "/m/");
  r = await get("/m/sw.js");
  assert.equal(r.headers["cache-control"], "no-cache");
  assert.match(r.headers["content-type"], /^text\/javascript/);
  r = await get("/m/manifest.webmanifest");
  assert.equal(r.headers["content-type"], "application/manifest+json");

  // Client-side routes fall back to the mount's index.html; missing assets are 404.
  r = await get("/teachers/42?tab=routes");
  assert.equal(r.status, 200);
  assert.match(r.body.toString(), /НМС admin/);
  r = await get("/m/plan/today");
  assert.match(r.body.toString(), /НМС mobile/);
  r = await get("/missing.js");
  assert.equal(r.status, 404);

  r = await get("/app.js", "HEAD");
  assert.equal(r.status, 200);
  assert.equal(r.headers["content-length"], String("console.log('web');".length));
  assert.equal(r.body.length, 0);

  r = await get("/healthz");
  assert.equal(r.status, 200);
  assert.match(r.body.toString(), /^ok/);
});

test("static files: path traversal is refused", async () => {
  for (const p of [
    "/../secret.txt",
    "/m/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/m/%2E%2E/%2e%2e/secret.txt",
    "/m/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/app.js%00.html",
  ]) {
    const r = await raw({ path: p });
    assert.notEqual(r.status, 200, p);
    assert.ok(!r.body.toString().includes("TOP-SECRET"), p);
  }
});

test("aborting a stream in the client cancels the upstream call", async () => {
  const before = await stats();
  const controller = new AbortController();
  let received = 0;
  await assert.rejects(
    (async () => {
      for await (const m of client.serverStream(
        { count: 1000, delayMs: 20, tag: "abort-me" },
        { signal: controller.signal },
      )) {
        received++;
        if (received === 3) controller.abort();
      }
    })(),
    (err) => {
      assert.equal(ConnectError.from(err).code, Code.Canceled);
      return true;
    },
  );
  assert.equal(received, 3);
  const deadline = Date.now() + 5000;
  let now;
  do {
    await new Promise((r) => setTimeout(r, 50));
    now = await stats();
  } while (now.streamsCancelled <= before.streamsCancelled && Date.now() < deadline);
  assert.equal(now.streamsCancelled, before.streamsCancelled + 1n, "upstream saw no cancellation");
  assert.equal(now.streamsCompleted, before.streamsCompleted, "the stream must not have run to its end");
});

test("SIGTERM drains: an in-flight stream completes, then the proxy exits 0", async () => {
  const got = [];
  let signalled = false;
  for await (const m of client.serverStream({ count: 10, delayMs: 50, tag: "drain" })) {
    got.push(m.index);
    if (!signalled) {
      signalled = true;
      proxy.kill("SIGTERM");
    }
  }
  assert.equal(got.length, 10);
  let timer;
  const exit = await Promise.race([
    proxyExit,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("proxy did not exit")), 8000))),
  ]);
  clearTimeout(timer);
  assert.deepEqual(exit, { code: 0, signal: null });
});
