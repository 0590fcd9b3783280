// Checks the docs page in a real browser (Chromium, headless) against a
// running server: the header description renders as written (the
// signature text is code, not eaten as HTML), no request is blocked by
// the page's CSP, Arabic example values read right to left, and "try it
// out" works with a pasted token.
//
//   node .ci/lint/docspage.mjs BASE_URL EMAIL PASSWORD
import puppeteer from "puppeteer-core";

const [base, email, password] = process.argv.slice(2);
const chrome = process.env.CHROME_BIN || "/usr/bin/chromium";
const problems = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) problems.push(what);
};

const login = await fetch(`${base}/api/v1/auth/login`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ email, password }),
});
const token = (await login.json()).data.access_token;

// expand opens an operation by clicking its summary, as a reader does
// (a reload would forget the pasted token).
async function expand(page, id) {
  const op = `#${id}`;
  await page.waitForSelector(`${op} .opblock-summary`);
  if (!(await page.$eval(op, (el) => el.classList.contains("is-open")))) {
    await page.click(`${op} .opblock-summary-control`);
  }
  await page.waitForSelector(`${op} .try-out__btn`);
  await page.click(`${op} .try-out__btn`);
  return op;
}

const browser = await puppeteer.launch({ executablePath: chrome, args: ["--no-sandbox", "--headless=new"] });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}/docs`, { waitUntil: "networkidle0" });
  await page.waitForSelector(".swagger-ui .info .title");

  const info = await page.$eval(".swagger-ui .info", (el) => ({
    title: el.querySelector(".title")?.textContent ?? "",
    text: el.textContent ?? "",
    codes: [...el.querySelectorAll("code")].map((c) => c.textContent),
    stray: el.querySelectorAll("t, raw").length,
  }));
  check(info.title.startsWith("Masthead API"), `header title: ${info.title}`);
  check(info.codes.includes("<t>.<raw body>"), "signature text <t>.<raw body> is shown as code");
  check(info.codes.some((c) => c.startsWith("X-Masthead-Signature: t=<unix seconds>")), "signature header is shown as code");
  check(info.stray === 0, "no part of the description became an HTML element");

  // Arabic: the slug example fills the field right to left.
  const op = await expand(page, "operations-articles-getArticleBySlug");
  await page.waitForSelector(`${op} tr[data-param-name="slug"] input`);
  const slug = await page.$eval(`${op} tr[data-param-name="slug"] input`, (el) => ({ value: el.value, rtl: el.matches(":dir(rtl)") }));
  check(/[\u0600-\u06FF]/.test(slug.value) && slug.rtl, `Arabic slug example "${slug.value}" reads right to left`);

  // Try it out with a pasted token: GET /auth/me answers 200 with us.
  await page.click(".swagger-ui .auth-wrapper .authorize");
  await page.waitForSelector(".swagger-ui .modal-ux input");
  await page.type(".swagger-ui .modal-ux input", token);
  await page.click(".swagger-ui .modal-ux .auth-btn-wrapper .authorize");
  await page.click(".swagger-ui .modal-ux .btn-done");
  const me = await expand(page, "operations-auth-getMe");
  await page.click(`${me} .execute`);
  await page.waitForSelector(`${me} .live-responses-table .response .response-col_status`);
  const answer = await page.$eval(`${me} .live-responses-table`, (el) => ({
    status: el.querySelector(".response .response-col_status")?.textContent?.trim() ?? "",
    body: el.querySelector(".microlight")?.textContent ?? "",
  }));
  check(answer.status === "200" && answer.body.includes(email), `try it out GET /auth/me with the pasted token: ${answer.status}`);
  check(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(`docs page: ${problems.length} problem(s)`);
  process.exit(1);
}
