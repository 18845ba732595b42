/* Start Swagger UI (served by this server from the swagger-ui-bundle package) on /openapi.json. */
"use strict";

window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  onComplete: () => { document.body.dataset.ready = "api"; },
});
