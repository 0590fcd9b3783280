// Starts Swagger UI on the API's own OpenAPI 3 document.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: false,
});
