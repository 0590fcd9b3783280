package webhook

import (
	"encoding/json"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// Encoder returns the one encoder of webhook payloads: it turns a
// content.Event into the documented api.WebhookEvent JSON, with links to
// the public site. The store calls it in the transaction of the change
// and keeps the bytes, which are sent, and signed, as they are.
func Encoder(site content.Site) func(content.Event) ([]byte, error) {
	// Without a site URL there is nothing to link to.
	link := func(url string) string {
		if site.URL == "" {
			return ""
		}
		return url
	}
	return func(ev content.Event) ([]byte, error) {
		out := api.WebhookEvent{ID: ev.ID, Type: ev.Type, CreatedAt: ev.CreatedAt, Data: api.WebhookEventData{}, SurrogateKeys: content.PurgeKeys(ev)}
		if a := ev.Data.Article; a != nil {
			out.Data.Article = &api.EventArticle{ID: a.ID, Slug: a.Slug, PreviousSlug: a.PreviousSlug,
				URL: link(site.ArticleURLOf(a.ID, a.Slug, a.Category, a.Language)), Title: a.Title, Language: a.Language,
				Format: a.Format, Category: a.Category, CategoryName: a.CategoryName, Excerpt: a.Excerpt, CoverURL: a.CoverURL,
				Featured: a.Featured, Breaking: a.Breaking, Tags: a.Tags, Authors: a.Authors, Status: string(a.Status),
				PublishedAt: a.PublishedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
		}
		// Terms have no language of their own: their pages in the
		// default one.
		term := func(t *content.EventTerm, url func(slug, lang string) string) *api.EventTerm {
			if t == nil {
				return nil
			}
			return &api.EventTerm{ID: t.ID, Slug: t.Slug, PreviousSlug: t.PreviousSlug, Name: t.Name, URL: link(url(t.Slug, ""))}
		}
		out.Data.Category = term(ev.Data.Category, site.SectionURL)
		out.Data.Tag = term(ev.Data.Tag, site.TagURL)
		out.Data.Author = term(ev.Data.Author, site.AuthorURL)
		return json.Marshal(out)
	}
}
