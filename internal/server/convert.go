package server

import (
	"time"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// Conversions from domain types to wire types: nothing internal reaches
// the wire without passing through one of these.

func toAPISummary(a *content.Article, now time.Time) api.ArticleSummary {
	out := api.ArticleSummary{
		ID: a.ID, Slug: a.Slug, Title: a.Title, Subtitle: a.Subtitle, Excerpt: a.Excerpt,
		Format: a.Format, Language: a.Language, Direction: a.Direction,
		Category:      api.CategoryRef{ID: a.Category.ID, Slug: a.Category.Slug, Name: a.Category.Name},
		Tags:          make([]api.TagRef, len(a.Tags)),
		Authors:       make([]api.AuthorRef, len(a.Authors)),
		Source:        a.Source,
		Featured:      a.Featured,
		Breaking:      a.IsBreaking(now),
		BreakingUntil: a.BreakingUntil,
		Status:        string(a.PublicStatus(now)),
		PublishedAt:   a.PublishedAt,
		WordCount:     a.WordCount, ReadingTime: a.ReadingTime, ViewCount: a.ViewCount,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
	for i, t := range a.Tags {
		out.Tags[i] = api.TagRef{ID: t.ID, Slug: t.Slug, Name: t.Name}
	}
	for i, au := range a.Authors {
		out.Authors[i] = api.AuthorRef{ID: au.ID, Slug: au.Slug, Name: au.Name, AvatarURL: au.AvatarURL}
	}
	if a.Cover.URL != "" {
		c := api.Cover(a.Cover)
		out.Cover = &c
	}
	return out
}

func (s *Server) toAPIArticle(a *content.Article) api.Article {
	return api.Article{
		ArticleSummary: toAPISummary(a, s.store.Now()),
		Body:           a.Body, BodyFormat: a.BodyFormat, BodyHTML: a.BodyHTML, Version: a.Version,
		JSONLD: jsonLD(s.site, a),
	}
}

// ldTypes maps article formats to the schema.org NewsArticle subtypes
// search engines know; other formats are plain NewsArticle.
var ldTypes = map[string]string{
	"opinion": "OpinionNewsArticle", "report": "ReportageNewsArticle", "analysis": "AnalysisNewsArticle",
	"review": "ReviewNewsArticle", "feature": "BackgroundNewsArticle",
}

// jsonLD describes a as schema.org structured data with links to the
// public site.
func jsonLD(site content.Site, a *content.Article) api.NewsArticleLD {
	typ := ldTypes[a.Format]
	if typ == "" {
		typ = "NewsArticle"
	}
	url := site.ArticleURL(a)
	ld := api.NewsArticleLD{
		Context: "https://schema.org", Type: typ, Headline: a.Title, Description: a.Excerpt,
		DatePublished: a.PublishedAt, DateModified: a.UpdatedAt, Author: make([]api.LDPerson, len(a.Authors)),
		Publisher:      api.LDOrganization{Type: "NewsMediaOrganization", Name: site.Name, URL: site.HomeURL()},
		ArticleSection: a.Category.Name, InLanguage: a.Language, WordCount: a.WordCount, URL: url,
		MainEntityOfPage: api.LDWebPage{Type: "WebPage", ID: url},
	}
	if a.Cover.URL != "" {
		ld.Image = []string{a.Cover.URL}
	}
	for i, au := range a.Authors {
		ld.Author[i] = api.LDPerson{Type: "Person", Name: au.Name, URL: site.AuthorURL(au.Slug)}
	}
	for _, t := range a.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	return ld
}

func toAPICategory(c *content.Category) api.Category {
	return api.Category{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Parent: c.ParentSlug,
		Position: c.Position, ArticleCount: c.ArticleCount, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func toAPITag(t *content.Tag) api.Tag {
	return api.Tag{ID: t.ID, Slug: t.Slug, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func toAPIAuthor(a *content.Author) api.Author {
	return api.Author{ID: a.ID, Slug: a.Slug, Name: a.Name, Bio: a.Bio, AvatarURL: a.AvatarURL,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
}

func toAPIUser(u *content.User) api.User {
	return api.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Disabled: u.Disabled,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

func toArticleUpdate(r *api.ArticleRequest) content.ArticleUpdate {
	u := content.ArticleUpdate{
		Slug: r.Slug, Title: r.Title, Subtitle: r.Subtitle, Excerpt: r.Excerpt, Body: r.Body,
		BodyFormat: r.BodyFormat, Format: r.Format, Language: r.Language, Source: r.Source,
		Featured: r.Featured, Breaking: r.Breaking,
		CategoryRef: r.Category, TagRefs: r.Tags, AuthorRefs: r.Authors,
	}
	if r.Cover != nil {
		c := content.Cover(*r.Cover)
		u.Cover = &c
	}
	return u
}
