package server

import (
	"cmp"
	"time"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
)

// Conversions from domain types to wire types: nothing internal reaches
// the wire without passing through one of these.

func (s *Server) toAPISummary(a *content.Article, now time.Time) api.ArticleSummary {
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
	out.Cover = s.toAPIImage(a.Cover, a.Language)
	return out
}

// toAPIImage is an image as pages show it, its texts in lang: a media
// item's unless the place that shows it (c) gives its own. Nil for none.
func (s *Server) toAPIImage(c content.Cover, lang string) *api.Image {
	m := c.Media
	if m == nil {
		if c.URL == "" {
			return nil // none, or a media item deleted meanwhile
		}
		return &api.Image{URL: c.URL, Alt: c.Alt, Caption: c.Caption, Credit: c.Credit}
	}
	img := &api.Image{
		ID: m.ID, Width: m.Width, Height: m.Height, Placeholder: m.Placeholder, Color: m.Color,
		Alt: cmp.Or(c.Alt, m.Alt.Pick(lang, "")), Caption: cmp.Or(c.Caption, m.Caption.Pick(lang, "")),
		Credit: cmp.Or(c.Credit, m.Credit.Pick(lang, "")),
		OGURL:  s.mediaURL(m, "og"),
	}
	typ := "image/" + map[bool]string{true: "png", false: "jpeg"}[m.Alpha]
	for _, src := range media.Srcset(m.Width) {
		img.Srcset = append(img.Srcset, api.ImageSource{URL: s.mediaURL(m, src.Variant), Width: src.Width, Type: typ})
	}
	// The src of an <img> without srcset: wide enough for an article
	// column on a large screen.
	img.URL = img.Srcset[len(img.Srcset)-1].URL
	for _, src := range img.Srcset {
		if src.Width >= 1280 {
			img.URL = src.URL
			break
		}
	}
	return img
}

// mediaVersion names the bytes of m's renditions (media.Version).
func (s *Server) mediaVersion(m *content.Media) string {
	return media.Version(m.Hash, media.Focal{X: m.FocalX, Y: m.FocalY})
}

// mediaURL is where variant of m is served ("original" too).
func (s *Server) mediaURL(m *content.Media, variant string) string {
	ext := media.RenditionExt(m.Alpha)
	if variant == "original" {
		ext = m.Ext
	}
	return s.mediaBase + "/media/" + m.ID + "/" + s.mediaVersion(m) + "/" + variant + "." + ext
}

func (s *Server) toAPIMedia(m *content.Media) api.Media {
	out := api.Media{
		ID: m.ID, Type: m.Type, Width: m.Width, Height: m.Height, Bytes: m.Bytes, Color: m.Color,
		Placeholder: m.Placeholder, Focal: api.Focal{X: m.FocalX, Y: m.FocalY},
		Alt: texts(m.Alt), Caption: texts(m.Caption), Credit: texts(m.Credit), Filename: m.Filename,
		URL: s.mediaURL(m, "original"), Crops: map[string]string{}, CreatedBy: m.CreatedBy, Version: m.Version,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
	typ := "image/" + map[bool]string{true: "png", false: "jpeg"}[m.Alpha]
	for _, src := range media.Srcset(m.Width) {
		out.Srcset = append(out.Srcset, api.ImageSource{URL: s.mediaURL(m, src.Variant), Width: src.Width, Type: typ})
	}
	for name := range media.Crops {
		out.Crops[name] = s.mediaURL(m, name)
	}
	return out
}

// texts is never null on the wire.
func texts(t content.Texts) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

func (s *Server) toAPIArticle(a *content.Article) api.Article {
	return api.Article{
		ArticleSummary: s.toAPISummary(a, s.store.Now()),
		Body:           a.Body, BodyFormat: a.BodyFormat, BodyHTML: a.BodyHTML, Version: a.Version,
		JSONLD: s.jsonLD(s.site, a),
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
func (s *Server) jsonLD(site content.Site, a *content.Article) api.NewsArticleLD {
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
	if m := a.Cover.Media; m != nil {
		// The 16:9, 4:3 and 1:1 crops Google asks of news articles.
		ld.Image = []string{s.mediaURL(m, "16x9"), s.mediaURL(m, "4x3"), s.mediaURL(m, "square")}
	} else if a.Cover.URL != "" {
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
		u.Cover = &content.Cover{MediaID: r.Cover.MediaID, URL: r.Cover.URL, Alt: r.Cover.Alt, Caption: r.Cover.Caption, Credit: r.Cover.Credit}
	}
	return u
}
