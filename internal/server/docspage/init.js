// Starts Swagger UI on the API's own OpenAPI 3 document.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#ui",
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: false,
});

// Arabic examples and inputs read right to left: every field and code
// block takes its direction from its first strong letter (dir="auto"),
// as Swagger UI renders them, so "انفجار-في-مرفأ-بيروت" is not shown
// reversed in a left-to-right box.
new MutationObserver(() => {
  for (const el of document.querySelectorAll("#ui input:not([dir]), #ui textarea:not([dir]), #ui .renderedMarkdown p:not([dir])")) {
    el.setAttribute("dir", "auto");
  }
}).observe(document.getElementById("ui"), { childList: true, subtree: true });
