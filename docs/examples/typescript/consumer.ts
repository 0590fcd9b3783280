// A strict TypeScript client of Masthead: the calls an article page, a
// front page and an editor's tool make, typed from docs/openapi.yaml by
// openapi-typescript and sent with openapi-fetch. No casts, no non-null
// assertions: if the document loosens, this stops compiling.
//
//   npm ci && npm run check                       type-check (CI does)
//   npm run build && node build/consumer.js URL EMAIL PASSWORD   run it
import createClient from "openapi-fetch";
import type { components, paths } from "./masthead";

type Summary = components["schemas"]["api.ArticleSummary"];
type ApiError = components["schemas"]["api.Error"];

export function client(baseUrl: string) {
  return createClient<paths>({ baseUrl });
}

type Client = ReturnType<typeof client>;

// fail turns an error answer into an exception that says what it was.
function fail(what: string, error: ApiError | undefined, response: Response): never {
  const detail = error ? `${error.error.code}: ${error.error.message}` : `HTTP ${response.status}`;
  throw new Error(`${what}: ${detail}`);
}

function line(a: Summary): string {
  const when = a.published_at ? new Date(a.published_at).toISOString() : "not published";
  return `${a.title} (${a.category.name}, ${a.language}, ${a.direction}) by ${a.authors.map((x) => x.name).join(", ")}, ${when}`;
}

// The article page: the story, "You May Also Like" and "Popular Posts".
export async function articlePage(api: Client, slug: string): Promise<string[]> {
  const { data, error, response } = await api.GET("/api/v1/articles/slug/{slug}", {
    params: { path: { slug }, query: { include: "related,popular", related_limit: 4, popular_window: "7d" } },
  });
  if (!data) fail("article", error, response);
  const a = data.data;
  const out = [line(a), `${a.body_html.length} characters of HTML, version ${a.version}, ${a.json_ld["@type"]}`];
  for (const r of a.related ?? []) out.push(`  related: ${r.title}`);
  for (const p of a.popular ?? []) out.push(`  popular: ${p.title} (${p.view_count} reads)`);
  return out;
}

export async function latest(api: Client, lang: string): Promise<Summary[]> {
  const { data, error, response } = await api.GET("/api/v1/articles", {
    params: { query: { lang, limit: 10, sort: "-published_at" } },
  });
  if (!data) fail("list", error, response);
  return data.data;
}

export async function related(api: Client, id: string): Promise<string[]> {
  const { data, error, response } = await api.GET("/api/v1/articles/{id}/related", {
    params: { path: { id }, query: { limit: 6 } },
  });
  if (!data) fail("related", error, response);
  return data.data.map((a) => a.slug);
}

export async function popular(api: Client): Promise<string[]> {
  const { data, error, response } = await api.GET("/api/v1/articles/popular", {
    params: { query: { window: "24h", limit: 5 } },
  });
  if (!data) fail("popular", error, response);
  return data.data.map((a) => `${a.title}: ${a.view_count}`);
}

export async function search(api: Client, q: string): Promise<string[]> {
  const { data, error, response } = await api.GET("/api/v1/search", { params: { query: { q, limit: 5 } } });
  if (!data) fail("search", error, response);
  const total = data.meta.total ?? data.data.length;
  return [`${total} found`, ...data.data.map((h) => `${h.score.toFixed(2)} ${h.title}: ${h.snippet}`)];
}

export async function home(api: Client): Promise<string[]> {
  const { data, error, response } = await api.GET("/api/v1/home", { params: { query: { per_section: 3 } } });
  if (!data) fail("home", error, response);
  const h = data.data;
  return [
    ...h.breaking.map((a) => `breaking: ${a.title}`),
    ...h.sections.map((s) => `${s.category.name}: ${s.articles.map((a) => a.title).join(" | ")}`),
  ];
}

// An editor's session: log in, draft, publish.
export async function login(baseUrl: string, email: string, password: string): Promise<Client> {
  const api = client(baseUrl);
  const { data, error, response } = await api.POST("/api/v1/auth/login", { body: { email, password } });
  if (!data) fail("login", error, response);
  const token = data.data.access_token;
  api.use({
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });
  return api;
}

export async function createAndPublish(api: Client, category: string, author: string): Promise<Summary> {
  const created = await api.POST("/api/v1/articles", {
    body: {
      title: "مرفأ بيروت يعود إلى العمل",
      body: "عادت **السفن** إلى مرفأ بيروت صباح اليوم.",
      language: "ar",
      category,
      authors: [author],
      source: "Agencies",
      cover: { url: "https://cdn.example.com/port.jpg", alt: "The port" },
    },
  });
  if (!created.data) fail("create", created.error, created.response);
  const id = created.data.data.id;
  const published = await api.POST("/api/v1/articles/{id}/publish", { params: { path: { id } }, body: {} });
  if (!published.data) fail("publish", published.error, published.response);
  return published.data.data;
}

async function main(argv: string[]): Promise<void> {
  const [baseUrl, email, password] = argv;
  if (!baseUrl || !email || !password) {
    throw new Error("usage: node build/consumer.js BASE_URL EMAIL PASSWORD");
  }
  const reader = client(baseUrl);
  const list = await latest(reader, "ar");
  const first = list[0];
  if (!first) throw new Error("no Arabic articles: start the server with --demo");
  console.log((await articlePage(reader, first.slug)).join("\n"));
  console.log("related:", (await related(reader, first.id)).join(", "));
  console.log("popular:", (await popular(reader)).join("; "));
  console.log((await search(reader, "بيروت")).join("\n"));
  console.log((await home(reader)).join("\n"));
  const editor = await login(baseUrl, email, password);
  const story = await createAndPublish(editor, first.category.slug, first.authors[0]?.slug ?? "");
  console.log("published:", line(story));
}

// Run when executed, not when imported.
if (typeof process !== "undefined" && process.argv[1]?.endsWith("consumer.js")) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
