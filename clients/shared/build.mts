// Build-time helpers shared by both clients' vite.config.ts (Node only, never bundled into an app).
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { Plugin } from "vite";

const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".html", ".svg", ".json", ".webmanifest", ".txt"]);

/** Every file below dir (paths joined to dir). */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/**
 * Writes x.br and x.gz next to every compressible file of outDir that they make smaller;
 * nms-proxy sends them to browsers that accept the encoding (no compression work per request).
 */
export function compressDist(outDir: string): void {
  for (const file of listFiles(outDir)) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    const raw = readFileSync(file);
    if (raw.length < 512) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length * 0.9) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length * 0.9) writeFileSync(`${file}.gz`, gz);
  }
}

/** True for files compressDist wrote (not part of the release's own file list). */
export function isPrecompressed(file: string): boolean {
  return file.endsWith(".br") || file.endsWith(".gz");
}

/** Runs compressDist after a (non-SSR) build. */
export function precompress(): Plugin {
  let outDir = "dist";
  let ssr = false;
  return {
    name: "nms-precompress",
    apply: "build",
    configResolved(c) {
      outDir = c.build.outDir;
      ssr = !!c.build.ssr;
    },
    closeBundle() {
      if (!ssr) compressDist(outDir);
    },
  };
}

/** @connectrpc packages imported by clients/shared resolve from the building client's node_modules. */
export const SHARED_DEDUPE = ["@connectrpc/connect", "@connectrpc/connect-web", "@bufbuild/protobuf"];

/**
 * "@gen/…" in clients/shared is the building client's generated stubs (clientDir/src/gen; the
 * tsconfig `paths` say the same to tsc), so shared code names enums, never copies their numbers.
 */
export function sharedAlias(clientDir: string): Record<string, string> {
  return { "@gen": join(clientDir, "src/gen") };
}
