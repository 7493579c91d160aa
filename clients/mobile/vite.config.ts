// Vite build of the НМС teachers' PWA, served by nms-proxy under /m/ (relative base, so the same
// build works under any prefix). A small plugin writes the service worker after the bundle:
// sw/sw.js with the list of built files to precache and a version hash of their contents.
// `npm run dev` proxies gRPC-web calls to a running nms-proxy (NMS_PROXY, default :8080).
// No source maps in the release; after the worker, every compressible file (sw.js included) gets
// .br/.gz siblings for nms-proxy.
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { compressDist, isPrecompressed, listFiles, SHARED_DEDUPE, sharedAlias } from "../shared/build.mts";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const proxyTarget = process.env.NMS_PROXY ?? "http://127.0.0.1:8080";

function serviceWorker(): Plugin {
  let outDir = "dist";
  let ssr = false;
  return {
    name: "nms-service-worker",
    apply: "build",
    configResolved(c) {
      outDir = c.build.outDir;
      ssr = !!c.build.ssr;
    },
    closeBundle() {
      if (ssr) return; // the unit-test bundle (npm test) is no release
      const files = listFiles(outDir)
        .map((p) => relative(outDir, p).split(sep).join("/"))
        .filter((f) => f !== "sw.js" && !f.endsWith(".map") && !isPrecompressed(f))
        .sort();
      const hash = createHash("sha256");
      for (const f of files) hash.update(f).update(readFileSync(join(outDir, f)));
      const version = hash.digest("hex").slice(0, 12);
      const precache = ["./", ...files.map((f) => `./${f}`)];
      const sw = readFileSync("sw/sw.js", "utf8").replace("__NMS_VERSION__", version).replace("__NMS_PRECACHE__", JSON.stringify(precache));
      writeFileSync(join(outDir, "sw.js"), sw);
      writeFileSync(join(outDir, "version.json"), JSON.stringify({ version, files: precache.length }) + "\n");
      compressDist(outDir);
    },
  };
}

export default defineConfig({
  base: "./",
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 2000 },
  plugins: [serviceWorker()],
  resolve: { dedupe: SHARED_DEDUPE, alias: sharedAlias(fileURLToPath(new URL(".", import.meta.url))) },
  server: { proxy: { "/nms.v1.": { target: proxyTarget, changeOrigin: false } } },
});
