package server

import (
	"cmp"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
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
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, ModifiedAt: a.ModifiedAt,
	}
	for i, t := range a.Tags {
		out.Tags[i] = api.TagRef{ID: t.ID, Slug: t.Slug, Name: t.Name}
	}
	for i, au := range a.Authors {
		avatarURL, avatar := s.avatar(&au, a.Language)
		out.Authors[i] = api.AuthorRef{ID: au.ID, Slug: au.Slug, Name: au.Name, AvatarURL: avatarURL, Avatar: avatar}
	}
	out.Cover = s.toAPIImage(a.Cover, a.Language)
	out.Languages = a.Languages
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

// bodyHTML is a's body with each media item it places as a <figure>: the
// image at the sizes a column needs (srcset, sizes, width and height,
// so the page does not shift, loaded lazily) and its caption and credit
// in the article's language. A deleted item leaves nothing.
func (s *Server) bodyHTML(a *content.Article) string {
	body := a.BodyHTML
	if s.embeds != nil && strings.Contains(body, "<iframe") {
		// Players of providers this site does not take are left out.
		body = content.EmbedFrame.ReplaceAllStringFunc(body, func(f string) string {
			if s.embeds[content.EmbedProviderOf(html.UnescapeString(content.EmbedFrame.FindStringSubmatch(f)[1]))] {
				return f
			}
			return ""
		})
	}
	if strings.Contains(body, "nofollow") {
		// A link to the site itself is the publication's own: no nofollow.
		body = s.ownLink.ReplaceAllStringFunc(body, func(tag string) string {
			return strings.Replace(tag, ` rel="nofollow noreferrer"`, ` rel="noreferrer"`, 1)
		})
	}
	if len(a.BodyMedia) == 0 && !strings.Contains(body, `"media:`) {
		return body
	}
	// An image alone in its paragraph (Markdown's way) becomes the
	// figure, which may not sit inside a <p>.
	body = mediaParagraph.ReplaceAllString(body, "$1")
	return content.MediaImg.ReplaceAllStringFunc(body, func(tag string) string {
		m := a.BodyMedia[content.MediaImg.FindStringSubmatch(tag)[1]]
		if m == nil {
			return ""
		}
		img := s.toAPIImage(content.Cover{Media: m}, a.Language)
		alt := img.Alt
		if v := altAttr.FindStringSubmatch(tag); v != nil && v[1] != "" {
			alt = html.UnescapeString(v[1]) // the writer's own, in the body
		}
		var b strings.Builder
		b.WriteString(`<figure><img src="` + html.EscapeString(img.URL) + `" srcset="`)
		for i, src := range img.Srcset {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(html.EscapeString(src.URL) + " " + strconv.Itoa(src.Width) + "w")
		}
		fmt.Fprintf(&b, `" sizes="(max-width: 800px) 100vw, 800px" width="%d" height="%d" loading="lazy" decoding="async" alt="%s">`,
			img.Width, img.Height, html.EscapeString(alt))
		if img.Caption != "" || img.Credit != "" {
			b.WriteString("<figcaption>" + html.EscapeString(img.Caption))
			if img.Credit != "" {
				b.WriteString(` <small>` + html.EscapeString(img.Credit) + `</small>`)
			}
			b.WriteString("</figcaption>")
		}
		b.WriteString("</figure>")
		return b.String()
	})
}

var (
	altAttr        = regexp.MustCompile(`\balt="([^"]*)"`)
	mediaParagraph = regexp.MustCompile(`<p>\s*(<img\b[^>]*\bsrc="media:[0-9A-Z]{26}"[^>]*>)\s*</p>`)
)

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

func (s *Server) toAPIArticle(site content.Site, a *content.Article) api.Article {
	return api.Article{
		ArticleSummary: s.toAPISummary(a, s.store.Now()),
		Body:           a.Body, BodyFormat: a.BodyFormat, BodyHTML: s.bodyHTML(a), Version: a.Version,
		Translations: s.translationRefs(site, a),
		Corrections:  corrections(a.Corrections),
		JSONLD:       s.jsonLD(site, a),
	}
}

// corrections is never null on the wire.
func corrections(cs content.Corrections) []api.Correction {
	out := make([]api.Correction, len(cs))
	for i, c := range cs {
		out[i] = api.Correction{ID: c.ID, Text: c.Text, At: c.At.UTC()}
	}
	return out
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
		DatePublished: a.PublishedAt, DateModified: a.Revised(), Author: make([]api.LDPerson, len(a.Authors)),
		Publisher:      api.LDOrganization{Type: "NewsMediaOrganization", Name: site.NameIn(a.Language), URL: site.HomeURL()},
		ArticleSection: a.Category.Name, InLanguage: a.Language, WordCount: a.WordCount, URL: url,
		MainEntityOfPage: api.LDWebPage{Type: "WebPage", ID: url},
	}
	if m := site.LogoMedia; m != nil {
		ld.Publisher.Logo = &api.LDImage{Type: "ImageObject", URL: s.mediaURL(m, "w640")}
	} else if site.Logo.URL != "" {
		ld.Publisher.Logo = &api.LDImage{Type: "ImageObject", URL: site.Logo.URL}
	}
	if m := a.Cover.Media; m != nil {
		// The 16:9, 4:3 and 1:1 crops Google asks of news articles.
		ld.Image = []string{s.mediaURL(m, "16x9"), s.mediaURL(m, "4x3"), s.mediaURL(m, "square")}
	} else if a.Cover.URL != "" {
		ld.Image = []string{a.Cover.URL}
	}
	for i, au := range a.Authors {
		ld.Author[i] = api.LDPerson{Type: "Person", Name: au.Name, URL: site.AuthorURL(au.Slug, a.Language)}
	}
	for _, t := range a.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	for _, c := range a.Corrections {
		ld.Correction = append(ld.Correction, api.LDCorrection{Type: "CorrectionComment", Text: c.Text, DatePublished: c.At})
	}
	// The first version written is the work; the others translate it.
	first := a
	for _, t := range a.Translations {
		if v := t.Version(); v.CreatedAt.Before(first.CreatedAt) {
			first = v
		}
	}
	if first == a {
		for _, t := range a.Translations {
			ld.WorkTranslation = append(ld.WorkTranslation, api.LDWork{Type: typ, ID: site.ArticleURL(t.Version()), InLanguage: t.Language})
		}
	} else {
		ld.TranslationOfWork = &api.LDWork{Type: typ, ID: site.ArticleURL(first), InLanguage: first.Language}
	}
	return ld
}

// translationRefs links a's other versions (as the caller may see them:
// the handler drops what the caller may not read).
func (s *Server) translationRefs(site content.Site, a *content.Article) []api.TranslationRef {
	out := make([]api.TranslationRef, len(a.Translations))
	for i, t := range a.Translations {
		out[i] = api.TranslationRef{Language: t.Language, ID: t.ID, Slug: t.Slug, Title: t.Title, URL: site.ArticleURL(t.Version())}
	}
	return out
}

// toAPICategory, toAPITag and toAPIAuthor give the name (description,
// bio) in lang where there is one, and every language's beside it.
func toAPICategory(c *content.Category, lang string) api.Category {
	in := c.In(lang)
	return api.Category{ID: c.ID, Slug: c.Slug, Name: in.Name, Description: in.Description, Names: c.Names, Descriptions: c.Descriptions,
		Parent: c.ParentSlug, Position: c.Position, ArticleCount: c.ArticleCount, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func toAPITag(t *content.Tag, lang string) api.Tag {
	return api.Tag{ID: t.ID, Slug: t.Slug, Name: t.Names.In(lang, t.Name), Names: t.Names, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func (s *Server) toAPIAuthor(a *content.Author, lang string) api.Author {
	avatarURL, avatar := s.avatar(a, lang)
	in := a.In(lang)
	return api.Author{ID: a.ID, Slug: a.Slug, Name: in.Name, Bio: in.Bio, Names: a.Names, Bios: a.Bios, AvatarURL: avatarURL, Avatar: avatar,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
}

// avatar is an author's photo: its URL (the square crop of a media item,
// or the external URL) and the image with its sizes (nil for none).
func (s *Server) avatar(a *content.Author, lang string) (string, *api.Image) {
	if a.Avatar != nil {
		return s.mediaURL(a.Avatar, "square"), s.toAPIImage(content.Cover{Media: a.Avatar}, lang)
	}
	if a.AvatarURL == "" {
		return "", nil
	}
	return a.AvatarURL, s.toAPIImage(content.Cover{URL: a.AvatarURL}, lang)
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
		CategoryRef: r.Category, TagRefs: r.Tags, AuthorRefs: r.Authors, TranslationOf: r.TranslationOf,
	}
	if r.Cover != nil {
		u.Cover = &content.Cover{MediaID: r.Cover.MediaID, URL: r.Cover.URL, Alt: r.Cover.Alt, Caption: r.Cover.Caption, Credit: r.Cover.Credit}
	}
	return u
}
