// Starts Swagger UI on /api/docs (kept out of the page: no inline scripts under the CSP).
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    if (root) root.textContent = "The API documentation files are not installed (run make setup). The schema is at /api/v1/openapi.json.";
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
