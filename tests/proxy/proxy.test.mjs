// End-to-end tests of nms-proxy: a real gRPC-web client (@connectrpc/connect-web over Node's
// fetch) → nms-proxy → proxy_test_server (C++ gRPC). Raw HTTP (node:http) is used where a
// browser-grade client would hide what we check: text mode, CORS preflight, path traversal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";

import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import {
  EchoService, EchoRequestSchema, EchoResponseSchema,
  SignInRequestSchema, SignInResponseSchema, RefreshTokenRequestSchema, RefreshTokenResponseSchema,
  SignOutRequestSchema, StreamRequestSchema,
} from "./gen/echo_pb.js";

const PROXY_BIN = process.env.NMS_PROXY_BIN;
const SERVER_BIN = process.env.NMS_PROXY_TEST_SERVER_BIN;
const ALLOWED_ORIGIN = "http://allowed.example";
const AUTH = "/nms.testing.v1.AuthService";
const JS_SOURCE = "export const x = 1;\n".repeat(200);

let upstream, proxy, proxyExit, proxyPort, metricsPort, baseUrl, client, tmp;

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
  // What the clients' build writes next to compressible files.
  write("web/assets/index-1a2b3c.js", JS_SOURCE);
  write("web/assets/index-1a2b3c.js.gz", zlib.gzipSync(JS_SOURCE));
  write("web/assets/index-1a2b3c.js.br", zlib.brotliCompressSync(JS_SOURCE));
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
      "--auth_service=nms.testing.v1.AuthService",
      "--metrics_listen=127.0.0.1:0",
    ],
    /metrics on port (\d+)[\s\S]*listening on 127\.0\.0\.1:(\d+)/,
  );
  proxy = p.child;
  proxy.removeAllListeners("exit");
  proxyExit = new Promise((resolve) => proxy.on("exit", (code, signal) => resolve({ code, signal })));
  metricsPort = Number(p.match[1]);
  proxyPort = Number(p.match[2]);
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
  const trailer = parseTrailer(parseFrames(res.body).at(-1).payload);
  assert.equal(trailer["grpc-status"], String(Code.Unimplemented));
  // gRPC itself says nothing about an unknown method; the proxy names it.
  assert.equal(
    decodeURIComponent(trailer["grpc-message"]),
    "Метод /nms.testing.v1.EchoService/NoSuchMethod не поддерживается сервером",
  );
  await assert.rejects(client.echo({ text: "x", statusCode: Code.Unimplemented, statusMessage: "своё" }), (err) => {
    assert.equal(err.rawMessage, "своё", "an upstream message of its own is kept");
    return true;
  });
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
  assert.match(decodeURIComponent(r.headers["grpc-message"]), /не метод gRPC/);

  r = await post({ "content-type": "application/grpc-web+json" }, "{}");
  assert.equal(r.status, 200);
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));

  r = await post({ "content-type": "application/json" }, "{}");
  assert.equal(r.status, 415);
  assert.equal(r.headers["grpc-status"], String(Code.Unimplemented));
  assert.match(decodeURIComponent(r.headers["grpc-message"]), /Тип содержимого 'application\/json' не поддерживается/);

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
  assert.equal(pre.headers["access-control-allow-headers"], "authorization,content-type,x-grpc-web,x-user-agent");
  assert.match(pre.headers["access-control-allow-methods"], /POST/);

  // Exactly the headers that reach upstream (or that the proxy reads): a header it would drop
  // is not allowed, so a browser refuses the call instead of losing it silently.
  const some = await raw({
    method: "OPTIONS", path: "/nms.testing.v1.EchoService/Echo",
    headers: {
      origin: ALLOWED_ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,grpc-timeout,x-request-id,cookie,x-forwarded-for,user-agent",
    },
  });
  assert.equal(some.headers["access-control-allow-headers"], "content-type,grpc-timeout,x-request-id");

  // The proxy's own origin needs no listing.
  const own = await raw({
    method: "OPTIONS", path: "/nms.testing.v1.EchoService/Echo",
    headers: { origin: baseUrl, "access-control-request-method": "POST" },
  });
  assert.equal(own.status, 204);
  assert.equal(own.headers["access-control-allow-origin"], baseUrl);

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
  assert.equal(r.headers["cache-control"], "public, max-age=31536000, immutable");
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
  assert.equal(r.headers["cache-control"], "no-cache");

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


// ---------------------------------------------------------------- session cookie

function authCall(method, schema, msg, headers = {}) {
  return raw({
    method: "POST", path: `${AUTH}/${method}`,
    headers: { "content-type": "application/grpc-web+proto", ...headers },
    body: frame(0, toBinary(schema, create(schema, msg))),
  });
}

// The message and status of a binary grpc-web answer.
function answer(res, schema) {
  const frames = parseFrames(res.body);
  const data = frames.find((f) => f.flags === 0);
  const trailer = frames.length ? parseTrailer(frames.at(-1).payload) : {};
  const status = res.headers["grpc-status"] ?? trailer["grpc-status"];
  const message = decodeURIComponent(res.headers["grpc-message"] ?? trailer["grpc-message"] ?? "");
  return { status: Number(status), message, msg: data && schema ? fromBinary(schema, data.payload) : null };
}

function cookieOf(res) {
  const all = res.headers["set-cookie"] ?? [];
  assert.ok(all.length <= 1, `one Set-Cookie expected: ${all}`);
  return all[0];
}

const tokenIn = (setCookie) => /^nms_refresh=([^;]*)/.exec(setCookie)?.[1];

test("session cookie: sign-in moves the refresh token from the body into an HttpOnly cookie", async () => {
  const res = await authCall("SignIn", SignInRequestSchema, { login: "user", password: "secret" });
  const { status, msg } = answer(res, SignInResponseSchema);
  assert.equal(status, 0);
  assert.match(msg.tokens.accessToken, /^access-\d+$/);
  assert.equal(msg.tokens.refreshToken, "", "a script never sees the refresh token");
  assert.ok(msg.tokens.refreshTokenExpireTime.seconds > 0n, "its expiry still comes through");
  assert.equal(msg.principal.login, "user");
  assert.ok(!res.body.toString("latin1").includes("refresh-"), "nor anywhere in the body");

  const set = cookieOf(res);
  assert.match(tokenIn(set), /^refresh-\d+-\d+$/);
  const attrs = set.split(";").map((a) => a.trim());
  assert.ok(attrs.includes("HttpOnly"), set);
  assert.ok(attrs.includes("SameSite=Strict"), set);
  assert.ok(attrs.includes(`Path=${AUTH}/`), set);
  const maxAge = Number(attrs.find((a) => a.startsWith("Max-Age=")).slice(8));
  assert.ok(maxAge > 3500 && maxAge <= 3600, set);
  // Plain HTTP on a loopback address (the dev stack): not Secure, or browsers would drop it.
  assert.ok(!attrs.includes("Secure"), set);

  // Behind TLS, or under a real host name: Secure.
  for (const headers of [{ "x-forwarded-proto": "https" }, { host: "nms.example.ru" }]) {
    const r = await authCall("SignIn", SignInRequestSchema, { login: "user", password: "secret" }, headers);
    assert.ok(cookieOf(r).split(";").map((a) => a.trim()).includes("Secure"), JSON.stringify(headers));
  }

  // grpc-web-text: the same, under base64.
  const body = frame(0, toBinary(SignInRequestSchema, create(SignInRequestSchema, { login: "user", password: "secret" })));
  const text = await raw({
    method: "POST", path: `${AUTH}/SignIn`, body: body.toString("base64"),
    headers: { "content-type": "application/grpc-web-text" },
  });
  const decoded = decodeBase64Chunks(text.body.toString("latin1"));
  assert.ok(!decoded.toString("latin1").includes("refresh-"));
  assert.equal(fromBinary(SignInResponseSchema, parseFrames(decoded)[0].payload).tokens.refreshToken, "");
  assert.match(tokenIn(cookieOf(text)), /^refresh-/);

  // A failed sign-in sets nothing.
  const bad = await authCall("SignIn", SignInRequestSchema, { login: "user", password: "wrong" });
  assert.equal(answer(bad).status, Code.Unauthenticated);
  assert.equal(bad.headers["set-cookie"], undefined);
});

test("session cookie: refresh works through the cookie and rotates it", async () => {
  const signIn = await authCall("SignIn", SignInRequestSchema, { login: "user", password: "secret" });
  const first = tokenIn(cookieOf(signIn));

  // The script sends an empty request; the proxy supplies the token from the cookie.
  const r1 = await authCall("RefreshToken", RefreshTokenRequestSchema, {}, { cookie: `other=1; nms_refresh=${first}` });
  const a1 = answer(r1, RefreshTokenResponseSchema);
  assert.equal(a1.status, 0, a1.message);
  assert.match(a1.msg.tokens.accessToken, /^access-\d+$/);
  assert.equal(a1.msg.tokens.refreshToken, "");
  const second = tokenIn(cookieOf(r1));
  assert.ok(second && second !== first, "rotated");

  // A token a script put in the body does not override the cookie.
  const r2 = await authCall("RefreshToken", RefreshTokenRequestSchema, { refreshToken: "made-up" }, { cookie: `nms_refresh=${second}` });
  assert.equal(answer(r2).status, 0);
  const third = tokenIn(cookieOf(r2));

  // The rotated-away token is refused. The cookie is left alone: a racing tab may have just
  // replaced it with a good one.
  const dead = await authCall("RefreshToken", RefreshTokenRequestSchema, {}, { cookie: `nms_refresh=${first}` });
  assert.equal(answer(dead).status, Code.Unauthenticated);
  assert.equal(dead.headers["set-cookie"], undefined);

  // No cookie and no token: the proxy answers without bothering the server.
  const none = await authCall("RefreshToken", RefreshTokenRequestSchema, {});
  const n = answer(none);
  assert.equal(n.status, Code.Unauthenticated);
  assert.equal(n.message, "Сеанс не найден или истёк, войдите снова");

  // A page of another origin does not get the cookie used (SameSite aside).
  const evil = await authCall("RefreshToken", RefreshTokenRequestSchema, {}, { cookie: `nms_refresh=${third}`, origin: "http://evil.example" });
  assert.equal(answer(evil).status, Code.Unauthenticated);
  // ... while the token itself is still good for its own page.
  const own = await authCall("RefreshToken", RefreshTokenRequestSchema, {}, { cookie: `nms_refresh=${third}`, origin: baseUrl });
  assert.equal(answer(own).status, 0);

  // Other methods never get a cookie or a Set-Cookie.
  const echo = await raw({
    method: "POST", path: "/nms.testing.v1.EchoService/Echo", headers: { "content-type": "application/grpc-web+proto", cookie: "nms_refresh=x" },
    body: frame(0, toBinary(EchoRequestSchema, create(EchoRequestSchema, { text: "c" }))),
  });
  assert.equal(echo.headers["set-cookie"], undefined);
});

test("session cookie: sign-out clears it, and the session is over on the server", async () => {
  const signIn = await authCall("SignIn", SignInRequestSchema, { login: "user", password: "secret" });
  const token = tokenIn(cookieOf(signIn));
  const access = answer(signIn, SignInResponseSchema).msg.tokens.accessToken;

  const out = await authCall("SignOut", SignOutRequestSchema, {}, { cookie: `nms_refresh=${token}`, authorization: `Bearer ${access}` });
  assert.equal(answer(out).status, 0);
  const cleared = cookieOf(out).split(";").map((a) => a.trim());
  assert.equal(cleared[0], "nms_refresh=");
  assert.ok(cleared.includes("Max-Age=0") && cleared.includes("HttpOnly"), cleared.join("; "));

  const after = await authCall("RefreshToken", RefreshTokenRequestSchema, {}, { cookie: `nms_refresh=${token}` });
  assert.equal(answer(after).status, Code.Unauthenticated);

  // Even when the server refuses the sign-out (no access token), the browser's cookie goes.
  const refused = await authCall("SignOut", SignOutRequestSchema, {}, { cookie: "nms_refresh=whatever" });
  assert.equal(answer(refused).status, Code.Unauthenticated);
  assert.match(cookieOf(refused), /^nms_refresh=; .*Max-Age=0/);
});

// ---------------------------------------------------------------- HTTP/1.0, compression, headers

// One exchange over a raw socket, read until the server closes.
function rawSocket(request) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(proxyPort, "127.0.0.1");
    const chunks = [];
    const timer = setTimeout(() => reject(new Error("no close from the proxy")), 5000);
    sock.on("data", (c) => chunks.push(c));
    sock.on("end", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, split).toString("latin1").split("\r\n");
      const headers = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(":");
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ statusLine: head[0], headers, body: all.subarray(split + 4) });
    });
    sock.on("error", reject);
    sock.write(request);
  });
}

test("HTTP/1.0 requests get HTTP/1.0 answers: no chunks, body ended by close", async () => {
  const msg = frame(0, toBinary(EchoRequestSchema, create(EchoRequestSchema, { text: "старый клиент" })));
  const res = await rawSocket(Buffer.concat([
    Buffer.from(`POST /nms.testing.v1.EchoService/Echo HTTP/1.0\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: ${msg.length}\r\n\r\n`),
    msg,
  ]));
  assert.equal(res.statusLine, "HTTP/1.0 200 OK");
  assert.equal(res.headers["transfer-encoding"], undefined);
  const frames = parseFrames(res.body);
  assert.equal(frames.length, 2);
  assert.equal(fromBinary(EchoResponseSchema, frames[0].payload).text, "старый клиент");
  assert.equal(parseTrailer(frames[1].payload)["grpc-status"], "0");

  // Streaming too.
  const sreq = frame(0, toBinary(StreamRequestSchema, create(StreamRequestSchema, { count: 3, delayMs: 10, tag: "h10" })));
  const sres = await rawSocket(Buffer.concat([
    Buffer.from(`POST /nms.testing.v1.EchoService/ServerStream HTTP/1.0\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: ${sreq.length}\r\n\r\n`),
    sreq,
  ]));
  assert.equal(sres.statusLine, "HTTP/1.0 200 OK");
  assert.equal(parseFrames(sres.body).length, 4);

  // Proxy-made errors and files.
  const err = await rawSocket("POST /not-a-method HTTP/1.0\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: 0\r\n\r\n");
  assert.match(err.statusLine, /^HTTP\/1\.0 200/);
  assert.equal(err.headers["grpc-status"], String(Code.Unimplemented));
  const file = await rawSocket("GET /app.js HTTP/1.0\r\n\r\n");
  assert.equal(file.statusLine, "HTTP/1.0 200 OK");
  assert.equal(file.headers["content-length"], String("console.log('web');".length));
  assert.equal(file.body.toString(), "console.log('web');");
});

test("static files: precompressed variants by Accept-Encoding, long caching of hashed assets", async () => {
  const p = "/assets/index-1a2b3c.js";
  let r = await raw({ path: p, headers: { "accept-encoding": "gzip, deflate, br" } });
  assert.equal(r.status, 200);
  assert.equal(r.headers["content-encoding"], "br");
  assert.equal(zlib.brotliDecompressSync(r.body).toString(), JS_SOURCE);
  assert.match(r.headers["content-type"], /^text\/javascript/);
  assert.equal(r.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.match(r.headers.vary, /Accept-Encoding/);
  assert.ok(Number(r.headers["content-length"]) < JS_SOURCE.length / 5, "actually compressed");

  r = await raw({ path: p, headers: { "accept-encoding": "gzip" } });
  assert.equal(r.headers["content-encoding"], "gzip");
  assert.equal(zlib.gunzipSync(r.body).toString(), JS_SOURCE);

  r = await raw({ path: p });
  assert.equal(r.headers["content-encoding"], undefined);
  assert.equal(r.body.toString(), JS_SOURCE);
  assert.match(r.headers.vary, /Accept-Encoding/);

  r = await raw({ path: p, method: "HEAD", headers: { "accept-encoding": "gzip" } });
  assert.equal(r.headers["content-encoding"], "gzip");
  assert.equal(r.headers["content-length"], String(zlib.gzipSync(JS_SOURCE).length));
});

test("documents carry CSP and the other protective headers", async () => {
  for (const p of ["/", "/m/", "/app.js", "/missing.js"]) {
    const r = await raw({ path: p });
    const csp = r.headers["content-security-policy"] ?? "";
    assert.match(csp, /script-src 'self'(;|$)/, p);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/, p);
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.match(csp, /default-src 'self'/, p);
    assert.equal(r.headers["x-content-type-options"], "nosniff", p);
    assert.equal(r.headers["referrer-policy"], "no-referrer", p);
    assert.equal(r.headers["x-frame-options"], "DENY", p);
  }
});

// The series a Prometheus job scrapes from --metrics_listen; the numbers must move with the
// traffic, and the public port must not serve them.
function metricValue(text, series) {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("metrics: calls by method and code, latency histograms and gauges on their own port", async () => {
  const scrape = async () => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(r.status, 200);
    return r.text();
  };
  const ok = 'nms_proxy_calls_total{method="nms.testing.v1.EchoService/Echo",code="OK"}';
  const notFound = 'nms_proxy_calls_total{method="nms.testing.v1.EchoService/Echo",code="NOT_FOUND"}';
  const before = await scrape();
  for (let i = 0; i < 3; i++) await client.echo({ text: `m${i}` });
  await assert.rejects(client.echo({ text: "x", statusCode: Code.NotFound, statusMessage: "нет" }));
  assert.equal((await raw({ path: "/logo.svg" })).status, 200);
  const after = await scrape();
  assert.equal((metricValue(after, ok) ?? 0) - (metricValue(before, ok) ?? 0), 3, after);
  assert.equal((metricValue(after, notFound) ?? 0) - (metricValue(before, notFound) ?? 0), 1, after);
  assert.ok(metricValue(after, 'nms_proxy_calls_total{method="http",code="200"}') >= 1, after);
  const inf = metricValue(after, 'nms_proxy_duration_seconds_bucket{method="nms.testing.v1.EchoService/Echo",le="+Inf"}');
  const count = metricValue(after, 'nms_proxy_duration_seconds_count{method="nms.testing.v1.EchoService/Echo"}');
  assert.ok(inf >= 4 && inf === count, after);
  assert.equal(metricValue(after, "nms_proxy_upstream_ready"), 1, after);
  assert.ok(metricValue(after, "nms_proxy_connections_open") >= 0, after);
  assert.equal(metricValue(after, "nms_proxy_requests_in_flight"), 0, after);
  assert.doesNotMatch(after, /nms_proxy_db_statements/, "the proxy counts no database statements");
  const publicPort = await raw({ path: "/metrics" });
  assert.doesNotMatch(publicPort.body.toString(), /nms_proxy_calls_total/, "browsers never see the metrics");
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
