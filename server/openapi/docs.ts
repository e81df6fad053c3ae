import path from "node:path";
import express, { type Router } from "express";

const SWAGGER_UI_DIR = path.dirname(require.resolve("swagger-ui-dist/package.json"));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>TraceFin API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs" });`;

/** A docs page rendering /openapi.json with Swagger UI, served from the npm package (no CDN). */
export function docsRouter(): Router {
  const router = express.Router();
  const relaxedPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";
  router.use("/docs", (_req, res, next) => {
    res.setHeader("Content-Security-Policy", relaxedPolicy);
    next();
  });
  router.use("/docs/assets", express.static(SWAGGER_UI_DIR, { index: false, maxAge: "1h" }));
  router.get("/docs/init.js", (_req, res) => void res.type("application/javascript").send(INIT));
  router.get("/docs", (_req, res) => void res.type("html").send(PAGE));
  return router;
}
