// Vite build of the НМС admin web client. `npm run dev` proxies gRPC-web calls to a running
// nms-proxy (NMS_PROXY, default http://127.0.0.1:8080) so the dev server is same-origin too.
// No source maps in the release; every compressible file gets .br/.gz siblings for nms-proxy.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { precompress, SHARED_DEDUPE, sharedAlias } from "../shared/build.mts";

const proxyTarget = process.env.NMS_PROXY ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 2000 },
  plugins: [precompress()],
  resolve: { dedupe: SHARED_DEDUPE, alias: sharedAlias(fileURLToPath(new URL(".", import.meta.url))) },
  server: { proxy: { "/nms.v1.": { target: proxyTarget, changeOrigin: false } } },
});
