// Vite build of the НМС admin web client. `npm run dev` proxies gRPC-web calls to a running
// nms-proxy (NMS_PROXY, default http://127.0.0.1:8080) so the dev server is same-origin too.
import { defineConfig } from "vite";

const proxyTarget = process.env.NMS_PROXY ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { "/nms.v1.": { target: proxyTarget, changeOrigin: false } } },
});
