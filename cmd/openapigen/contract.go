package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/masthead/masthead/internal/content"
)

// What swag cannot say, said once here and applied to every operation:
// a stable operationId, the tags with their descriptions, and the bearer
// scheme. The generator fails when an operation has no id or an id names
// no operation, so the table and the routes cannot drift apart.

// operationIDs names every operation, by method and path.
var operationIDs = map[string]string{
	"GET /api/v1":                                            "getIndex",
	"GET /api/v1/articles":                                   "listArticles",
	"POST /api/v1/articles":                                  "createArticle",
	"GET /api/v1/articles/popular":                           "listPopularArticles",
	"GET /api/v1/articles/slug/{slug}":                       "getArticleBySlug",
	"GET /api/v1/articles/{id}":                              "getArticle",
	"PATCH /api/v1/articles/{id}":                            "updateArticle",
	"DELETE /api/v1/articles/{id}":                           "deleteArticle",
	"POST /api/v1/articles/{id}/archive":                     "archiveArticle",
	"POST /api/v1/articles/{id}/publish":                     "publishArticle",
	"POST /api/v1/articles/{id}/unpublish":                   "unpublishArticle",
	"GET /api/v1/articles/{id}/related":                      "listRelatedArticles",
	"PUT /api/v1/articles/{id}/related":                      "pinRelatedArticles",
	"PUT /api/v1/articles/{id}/translations":                 "setArticleTranslations",
	"POST /api/v1/articles/{id}/corrections":                 "addArticleCorrection",
	"GET /api/v1/articles/{id}/revisions":                    "listArticleRevisions",
	"POST /api/v1/articles/{id}/previews":                    "createArticlePreview",
	"DELETE /api/v1/articles/{id}/previews":                  "revokeArticlePreviews",
	"GET /api/v1/articles/{id}/revisions/{rev}":              "getArticleRevision",
	"POST /api/v1/articles/{id}/revisions/{rev}/restore":     "restoreArticleRevision",
	"POST /api/v1/articles/{id}/views":                       "recordArticleView",
	"POST /api/v1/auth/login":                                "login",
	"POST /api/v1/auth/logout":                               "logout",
	"GET /api/v1/auth/me":                                    "getMe",
	"POST /api/v1/auth/password":                             "changePassword",
	"POST /api/v1/auth/refresh":                              "refreshTokens",
	"GET /api/v1/authors":                                    "listAuthors",
	"POST /api/v1/authors":                                   "createAuthor",
	"GET /api/v1/authors/{slug}":                             "getAuthor",
	"PATCH /api/v1/authors/{slug}":                           "updateAuthor",
	"DELETE /api/v1/authors/{slug}":                          "deleteAuthor",
	"GET /api/v1/categories":                                 "listCategories",
	"POST /api/v1/categories":                                "createCategory",
	"GET /api/v1/categories/{slug}":                          "getCategory",
	"PATCH /api/v1/categories/{slug}":                        "updateCategory",
	"DELETE /api/v1/categories/{slug}":                       "deleteCategory",
	"GET /api/v1/home":                                       "getHome",
	"POST /api/v1/newsletter/confirm":                        "confirmSubscription",
	"POST /api/v1/newsletter/subscriptions":                  "subscribe",
	"POST /api/v1/newsletter/unsubscribe":                    "unsubscribe",
	"GET /api/v1/newsletter/subscribers":                     "listSubscribers",
	"GET /api/v1/newsletter/subscribers.csv":                 "exportSubscribers",
	"DELETE /api/v1/newsletter/subscribers/{id}":             "deleteSubscriber",
	"GET /api/v1/changes":                                    "listChanges",
	"POST /api/v1/media":                                     "uploadMedia",
	"GET /api/v1/media":                                      "listMedia",
	"GET /api/v1/media/{id}":                                 "getMedia",
	"PATCH /api/v1/media/{id}":                               "updateMedia",
	"DELETE /api/v1/media/{id}":                              "deleteMedia",
	"GET /media/{id}/{version}/{file}":                       "getMediaFile",
	"GET /api/v1/search":                                     "searchArticles",
	"GET /api/v1/tags":                                       "listTags",
	"POST /api/v1/tags":                                      "createTag",
	"GET /api/v1/tags/{slug}":                                "getTag",
	"GET /api/v1/site":                                       "getSite",
	"PATCH /api/v1/site":                                     "updateSite",
	"GET /api/v1/menus":                                      "listMenus",
	"GET /api/v1/menus/{name}":                               "getMenu",
	"PUT /api/v1/menus/{name}":                               "replaceMenu",
	"DELETE /api/v1/menus/{name}":                            "deleteMenu",
	"GET /api/v1/ads":                                        "listAds",
	"GET /api/v1/pages":                                      "listPages",
	"GET /api/v1/pages/{slug}":                               "getPage",
	"POST /api/v1/pages":                                     "createPage",
	"PATCH /api/v1/pages/{slug}":                             "updatePage",
	"DELETE /api/v1/pages/{slug}":                            "deletePage",
	"GET /api/v1/ads/placements":                             "listAdPlacements",
	"PUT /api/v1/ads/placements/{name}":                      "replaceAdPlacement",
	"DELETE /api/v1/ads/placements/{name}":                   "deleteAdPlacement",
	"PATCH /api/v1/tags/{slug}":                              "updateTag",
	"DELETE /api/v1/tags/{slug}":                             "deleteTag",
	"GET /api/v1/users":                                      "listUsers",
	"POST /api/v1/users":                                     "createUser",
	"GET /api/v1/users/{id}":                                 "getUser",
	"PATCH /api/v1/users/{id}":                               "updateUser",
	"GET /api/v1/webhooks":                                   "listWebhooks",
	"POST /api/v1/webhooks":                                  "createWebhook",
	"GET /api/v1/webhooks/{id}":                              "getWebhook",
	"PATCH /api/v1/webhooks/{id}":                            "updateWebhook",
	"DELETE /api/v1/webhooks/{id}":                           "deleteWebhook",
	"GET /api/v1/webhooks/{id}/deliveries":                   "listWebhookDeliveries",
	"POST /api/v1/webhooks/{id}/deliveries/{delivery}/retry": "retryWebhookDelivery",
	"POST /api/v1/webhooks/{id}/ping":                        "pingWebhook",
	"GET /feeds/latest.rss":                                  "getLatestFeedRSS",
	"GET /feeds/latest.atom":                                 "getLatestFeedAtom",
	"GET /feeds/latest.json":                                 "getLatestFeedJSON",
	"GET /feeds/category/{slug}.rss":                         "getCategoryFeedRSS",
	"GET /feeds/category/{slug}.atom":                        "getCategoryFeedAtom",
	"GET /feeds/category/{slug}.json":                        "getCategoryFeedJSON",
	"GET /feeds/tag/{slug}.rss":                              "getTagFeedRSS",
	"GET /feeds/tag/{slug}.atom":                             "getTagFeedAtom",
	"GET /feeds/tag/{slug}.json":                             "getTagFeedJSON",
	"GET /feeds/author/{slug}.rss":                           "getAuthorFeedRSS",
	"GET /feeds/author/{slug}.atom":                          "getAuthorFeedAtom",
	"GET /feeds/author/{slug}.json":                          "getAuthorFeedJSON",
	"GET /healthz":                                           "getHealth",
	"GET /readyz":                                            "getReadiness",
	"GET /sitemap.xml":                                       "getSitemapIndex",
	"GET /sitemap-news.xml":                                  "getNewsSitemap",
	"GET /sitemaps/{file}":                                   "getSitemap",
}

// tags describes every tag an operation may carry, in the order the docs
// page shows them.
var tags = []struct{ name, description string }{
	{"articles", "Stories: readers list and read what is published; editors draft, edit, schedule, publish, unpublish and archive."},
	{"discovery", "What a page shows around a story: related, popular, search, reads, the home page."},
	{"categories", "Sections (News, Opinion, Report, Caricature…), nested one level deep."},
	{"tags", "Labels across sections."},
	{"authors", "Bylines: people and desks, optionally linked to a user account."},
	{"site", "What surrounds the story: the site's settings, editable by admins."},
	{"newsletter", "Double opt-in sign-up, confirmation, unsubscription; subscribers for editors."},
	{"feeds", "RSS, Atom and JSON Feed of the latest stories, by section, tag or author."},
	{"sitemaps", "Sitemaps for search engines, and the Google News sitemap."},
	{"media", "The image library: uploads (metadata removed, turned upright), texts per language, focal points; renditions by width and crops, cached forever."},
	{"webhooks", "Signed POSTs to the newsroom's endpoints when content changes."},
	{"auth", "Logins, tokens and the editor's own account."},
	{"users", "Editor accounts, for admins."},
	{"operations", "Liveness and readiness, for load balancers and orchestrators."},
}

// applyContract sets the operation ids, declares the tags, describes the
// bearer scheme as HTTP bearer with a JWT, marks operations without a
// security requirement as public (security: []), and closes request
// bodies to unknown fields.
func applyContract(doc *openapi3.T) error {
	used := map[string]bool{}
	declared := map[string]bool{}
	for _, t := range tags {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t.name, Description: t.description})
		declared[t.name] = true
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			id, ok := operationIDs[key]
			if !ok {
				return fmt.Errorf("operation %s has no operationId: add it to operationIDs in cmd/openapigen/contract.go", key)
			}
			op.OperationID, used[key] = id, true
			for _, tag := range op.Tags {
				if !declared[tag] {
					return fmt.Errorf("operation %s has tag %q, which is not declared in cmd/openapigen/contract.go", key, tag)
				}
			}
			if op.Security == nil {
				op.Security = openapi3.NewSecurityRequirements() // public: no token
			}
		}
	}
	var stale []string
	for key := range operationIDs {
		if !used[key] {
			stale = append(stale, key)
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		return fmt.Errorf("operationIDs names operations that do not exist: %s", strings.Join(stale, ", "))
	}
	// Request bodies refuse unknown fields, as the server does: a
	// validating proxy refuses what the server refuses.
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt.Schema != nil && mt.Schema.Value != nil {
					closed := false
					mt.Schema.Value.AdditionalProperties = openapi3.AdditionalProperties{Has: &closed}
				}
			}
		}
	}
	// Each error response's example says what that status means.
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for status, resp := range op.Responses.Map() {
				ex, ok := errorExamples[status]
				if !ok || resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					if mt.Schema != nil && strings.HasSuffix(mt.Schema.Ref, "/api.Error") {
						mt.Example = map[string]any{"error": ex}
					}
				}
			}
		}
	}
	// Error codes are an enum, from the one list in package content.
	code := doc.Components.Schemas["api.ErrorBody"].Value.Properties["code"].Value
	code.Enum = nil
	for _, c := range content.Codes {
		code.Enum = append(code.Enum, c)
	}
	if s := doc.Components.SecuritySchemes["BearerAuth"]; s != nil && s.Value != nil {
		s.Value = openapi3.NewJWTSecurityScheme()
		s.Value.Description = "An access token from POST /api/v1/auth/login, sent as Authorization: Bearer <token>."
	}
	return nil
}

// errorExamples is the error body each status carries.
var errorExamples = map[string]map[string]any{
	"301": {"code": "moved_permanently", "message": "The article moved to port-blast-beirut.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"400": {"code": "invalid", "message": "Article is invalid.", "fields": map[string]any{"title": "required"}, "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"401": {"code": "unauthorized", "message": "The access token is invalid or expired.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"403": {"code": "forbidden", "message": "This needs the editor role or higher.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"404": {"code": "not_found", "message": "Article \"port-blast\" not found.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"409": {"code": "conflict", "message": "Slug \"port-blast\" is taken.", "fields": map[string]any{"slug": "taken"}, "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"410": {"code": "cursor_expired", "message": "This sync cursor is older than the 30 days of changes kept.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"412": {"code": "precondition_failed", "message": "Article was changed since version 3; it is at version 4 now.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"413": {"code": "too_large", "message": "The request body is larger than 1 MB.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"415": {"code": "unsupported_media_type", "message": "Send JSON with Content-Type: application/json.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"429": {"code": "rate_limited", "message": "Too many failed logins; try again later.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
	"503": {"code": "unavailable", "message": "The database is unavailable; try again shortly.", "request_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2Z"},
}

// copyParamExamples carries the examples swag writes on Swagger 2.0
// parameters (where the format has no place for them, so the converter
// drops them) onto the OpenAPI 3 parameters, which have one: the docs
// page fills "try it out" with them.
func copyParamExamples(swagger []byte, doc *openapi3.T) error {
	var v2 struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name    string `json:"name"`
				In      string `json:"in"`
				Example any    `json:"example"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(swagger, &v2); err != nil {
		return err
	}
	for path, ops := range v2.Paths {
		for method, op := range ops {
			item := doc.Paths.Find(path)
			if item == nil || item.GetOperation(strings.ToUpper(method)) == nil {
				continue
			}
			for _, p := range op.Parameters {
				if p.Example == nil || p.In == "body" {
					continue
				}
				if param := item.GetOperation(strings.ToUpper(method)).Parameters.GetByInAndName(p.In, p.Name); param != nil {
					param.Example = p.Example
				}
			}
		}
	}
	return nil
}

// cachedOperations are the operations served through the response cache
// (internal/server/respcache.go): their answers carry a strong ETag,
// Cache-Control and surrogate keys, and a client holding the answer gets
// 304. The server tests fail when an answer carries these headers and
// its operation does not say so.
var cachedOperations = []string{
	"listArticles", "getArticleBySlug", "getArticle", "listPopularArticles", "listRelatedArticles", "searchArticles", "getHome",
	"listCategories", "getCategory", "listTags", "getTag", "listAuthors", "getAuthor", "getSite", "listMenus", "getMenu", "listAds", "listPages", "getPage",
	"getLatestFeedRSS", "getLatestFeedAtom", "getLatestFeedJSON", "getCategoryFeedRSS", "getCategoryFeedAtom", "getCategoryFeedJSON",
	"getTagFeedRSS", "getTagFeedAtom", "getTagFeedJSON", "getAuthorFeedRSS", "getAuthorFeedAtom", "getAuthorFeedJSON",
	"getSitemapIndex", "getNewsSitemap", "getSitemap",
}

// cacheHeaders documents the cache's headers and 304 on every cached
// operation.
func cacheHeaders(doc *openapi3.T) error {
	str := func(desc string) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: desc, Schema: openapi3.NewStringSchema().NewRef()}}}
	}
	headers := openapi3.Headers{
		"ETag":          str("A strong validator computed from the bytes of the answer (for anonymous readers): send it back in If-None-Match for a 304."),
		"Cache-Control": str("public, max-age, s-maxage, stale-while-revalidate and stale-if-error for anonymous readers; no-store with a token or a preview link."),
		"Surrogate-Key": str("Space-separated keys a CDN can purge by: the kind of answer (articles, taxonomy) and the id of every entity it shows. Webhook events carry the keys to purge in surrogate_keys. Absent on answers that are not cached: with a token or a preview link."),
		"Cache-Tag":     str("Surrogate-Key, comma-separated (Cloudflare)."),
	}
	byID := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			byID[op.OperationID] = op
		}
	}
	for _, id := range cachedOperations {
		op := byID[id]
		if op == nil {
			return fmt.Errorf("cachedOperations names %s, which is not an operation", id)
		}
		ok := op.Responses.Status(200)
		if ok == nil || ok.Value == nil {
			return fmt.Errorf("cached operation %s has no 200 answer", id)
		}
		ok.Value.Headers = headers
		desc := "Not modified: the copy named by If-None-Match (or, without it, dated by If-Modified-Since) is current."
		op.Responses.Set("304", &openapi3.ResponseRef{Value: &openapi3.Response{Description: &desc, Headers: openapi3.Headers{"ETag": headers["ETag"], "Cache-Control": headers["Cache-Control"]}}})
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
			Name: "If-None-Match", In: "header", Description: "The ETag of the copy the client holds", Schema: openapi3.NewStringSchema().NewRef(),
		}})
	}
	return nil
}
