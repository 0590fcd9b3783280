package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// feedSize is how many articles a feed carries.
const feedSize = 50

// feed is what every feed format is rendered from.
type feed struct {
	site                           content.Site // as readers see it now
	title, description, home, self string
	language                       string // when every item shares it
	updated                        time.Time
	items                          []*content.Article
}

// feedFormats maps a feed file's extension to its content type.
var feedFormats = map[string]string{
	"rss":  "application/rss+xml; charset=utf-8",
	"atom": "application/atom+xml; charset=utf-8",
	"json": "application/feed+json; charset=utf-8",
}

// handleFeedRSS, handleFeedAtom and handleFeedJSON document the feed
// routes; handleFeed serves them all.
//
//	@Summary		RSS 2.0 feed
//	@Description	The latest 50 reader-visible articles with their full HTML (content:encoded), authors (dc:creator), section and tags as categories, the cover as enclosure, and per-item language (dc:language). Links point to the public site (MASTHEAD_SITE_URL + MASTHEAD_ARTICLE_PATH). Send If-None-Match or If-Modified-Since for a 304.
//	@Tags			feeds
//	@Produce		application/rss+xml,json
//	@Param			slug	path		string	true	"Section, tag or author slug"
//	@Param			lang	query		string	false	"Only articles in this language; the feed's language is then set"	example(ar)
//	@Success		200		{string}	string	"RSS 2.0"
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/feeds/latest.rss [get]
//	@Router			/feeds/category/{slug}.rss [get]
//	@Router			/feeds/tag/{slug}.rss [get]
//	@Router			/feeds/author/{slug}.rss [get]
func (s *Server) handleFeedRSS(c echo.Context) error { return s.handleFeed(c) }

// handleFeedAtom documents the Atom feeds.
//
//	@Summary		Atom 1.0 feed
//	@Description	As the RSS feed, in Atom: content type="html", xml:lang on each entry (ar entries are right-to-left), author with name and URI, the cover as link rel="enclosure".
//	@Tags			feeds
//	@Produce		application/atom+xml,json
//	@Param			slug	path		string	true	"Section, tag or author slug"
//	@Param			lang	query		string	false	"Only articles in this language; the feed's language is then set"	example(ar)
//	@Success		200		{string}	string	"Atom 1.0"
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/feeds/latest.atom [get]
//	@Router			/feeds/category/{slug}.atom [get]
//	@Router			/feeds/tag/{slug}.atom [get]
//	@Router			/feeds/author/{slug}.atom [get]
func (s *Server) handleFeedAtom(c echo.Context) error { return s.handleFeed(c) }

// handleFeedJSON documents the JSON feeds.
//
//	@Summary		JSON Feed 1.1
//	@Description	As the RSS feed, in JSON Feed 1.1 with per-item language.
//	@Tags			feeds
//	@Produce		application/feed+json,json
//	@Param			slug	path		string	true	"Section, tag or author slug"
//	@Param			lang	query		string	false	"Only articles in this language; the feed's language is then set"	example(ar)
//	@Success		200		{object}	api.JSONFeed
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/feeds/latest.json [get]
//	@Router			/feeds/category/{slug}.json [get]
//	@Router			/feeds/tag/{slug}.json [get]
//	@Router			/feeds/author/{slug}.json [get]
func (s *Server) handleFeedJSON(c echo.Context) error { return s.handleFeed(c) }

// handleFeed serves /feeds/latest.{ext} and /feeds/{kind}/{slug}.{ext}.
func (s *Server) handleFeed(c echo.Context) error {
	q := newQueryParser(c)
	lang := q.language("lang")
	if err := q.err(); err != nil {
		return err
	}
	kind, slug, ext, err := feedPath(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, filter, err := s.feedOf(ctx, s.siteAt(ctx), kind, slug, lang)
	if err != nil {
		return err
	}
	filter.Language = lang
	if f.items, err = s.store.FeedArticles(ctx, filter); err != nil {
		return err
	}
	// The site's proxy passes /feeds/* to the API: the feed's own address,
	// like every link in it, is on the site.
	f.self = f.site.URL + c.Request().URL.EscapedPath()
	if lang != "" {
		f.self += "?lang=" + url.QueryEscape(lang)
	}
	etag := f.summarise(ext)
	if lang != "" {
		f.language = lang
	}
	if notModified(c, etag, f.updated) {
		return c.NoContent(http.StatusNotModified)
	}
	return s.writeFeed(c, f, ext)
}

// feedPath reads the feed's kind ("" for latest), slug and format from
// the path.
func feedPath(c echo.Context) (kind, slug, ext string, err error) {
	file := pathParam(c, "file")
	if file == "" {
		file = path.Base(c.Request().URL.Path) // the latest.* routes
	}
	ext = strings.TrimPrefix(path.Ext(file), ".")
	name := strings.TrimSuffix(file, "."+ext)
	if _, ok := feedFormats[ext]; !ok || name == "" {
		return "", "", "", content.Errorf(content.ENOTFOUND, "No feed %q: feeds end in .rss, .atom or .json.", file)
	}
	kind = c.Param("kind")
	if kind == "" && name != "latest" {
		return "", "", "", content.Errorf(content.ENOTFOUND, "No feed %q.", file)
	}
	return kind, content.NormalizeSlug(name), ext, nil
}

// feedOf describes the feed of kind and slug and the articles it lists;
// its title names the section, tag or author in lang where it can.
func (s *Server) feedOf(ctx context.Context, site content.Site, kind, slug, lang string) (feed, content.ArticleFilter, error) {
	publication := site.NameIn(lang)
	f := feed{site: site, title: publication, home: site.HomeURL(), description: "The latest from " + publication}
	filter := content.ArticleFilter{Limit: feedSize}
	switch kind {
	case "":
	case "category":
		cat, err := s.store.FindCategory(ctx, slug)
		if err != nil {
			return f, filter, err
		}
		filter.Category, f.home = cat.Slug, site.SectionURL(cat.Slug, lang)
		name := cat.Names.In(lang, cat.Name)
		f.title, f.description = publication+" — "+name, "The latest from "+name
	case "tag":
		t, err := s.store.FindTag(ctx, slug)
		if err != nil {
			return f, filter, err
		}
		filter.Tag, f.home = t.Slug, site.TagURL(t.Slug, lang)
		name := t.Names.In(lang, t.Name)
		f.title, f.description = publication+" — "+name, "The latest on "+name
	case "author":
		a, err := s.store.FindAuthor(ctx, slug)
		if err != nil {
			return f, filter, err
		}
		filter.Author, f.home = a.Slug, site.AuthorURL(a.Slug, lang)
		name := a.Names.In(lang, a.Name)
		f.title, f.description = publication+" — "+name, "The latest by "+name
	default:
		return f, filter, content.Errorf(content.ENOTFOUND, "No feeds of %q: there are category, tag and author feeds.", kind)
	}
	return f, filter, nil
}

// summarise sets the feed's update time and shared language from its
// items and returns its ETag in format ext.
func (f *feed) summarise(ext string) string {
	f.updated = time.Unix(0, 0).UTC()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", ext, f.title, f.self)
	for i, a := range f.items {
		if a.UpdatedAt.After(f.updated) {
			f.updated = a.UpdatedAt
		}
		if i == 0 {
			f.language = a.Language
		} else if a.Language != f.language {
			f.language = ""
		}
		fmt.Fprintf(h, "%s:%d\x00", a.ID, a.Version)
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// writeFeed encodes f in format ext straight into the response: the
// documents are built from articles already checked, so encoding cannot
// fail halfway but for a client gone away.
func (s *Server) writeFeed(c echo.Context, f feed, ext string) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, feedFormats[ext])
	res.WriteHeader(http.StatusOK)
	w := bufio.NewWriterSize(res, 32<<10)
	var err error
	switch ext {
	case "rss":
		err = writeXML(w, s.rss(f))
	case "atom":
		err = writeXML(w, s.atom(f))
	default:
		err = json.NewEncoder(w).Encode(s.jsonFeed(f))
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		s.log.Warn("write feed", "err", err, "request_id", requestID(c))
	}
	return nil
}

// notModified sets ETag and Last-Modified and reports whether the
// client's copy (If-None-Match, else If-Modified-Since) is current.
func notModified(c echo.Context, etag string, lastmod time.Time) bool {
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set(echo.HeaderLastModified, lastmod.UTC().Format(http.TimeFormat))
	r := c.Request()
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
		return !lastmod.Truncate(time.Second).After(ims)
	}
	return false
}

func writeXML(w *bufio.Writer, v any) error {
	w.WriteString(xml.Header)
	return xml.NewEncoder(w).Encode(v)
}

// coverFile is the URL and type of a's cover as feeds carry it: a media
// item's 1280-wide rendition, or the external image.
func (s *Server) coverFile(a *content.Article) (url, typ string) {
	if img := s.toAPIImage(a.Cover, a.Language); img != nil && img.ID != "" {
		return img.URL, img.Srcset[0].Type
	}
	return a.Cover.URL, imageType(a.Cover.URL)
}

// imageType guesses a cover's media type from its file extension.
func imageType(u string) string {
	switch strings.ToLower(path.Ext(strings.SplitN(u, "?", 2)[0])) {
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return "image/jpeg"
}

// categories are an article's section and tags, as feed categories.
func categories(a *content.Article) []string {
	out := []string{a.Category.Name}
	for _, t := range a.Tags {
		out = append(out, t.Name)
	}
	return out
}

// articleGUID is an article's permanent id in feeds: it survives renames.
func articleGUID(a *content.Article) string { return "urn:masthead:article:" + a.ID }

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	Description string   `xml:"description"`
	Content     cdata    `xml:"content:encoded"`
	Creators    []string `xml:"dc:creator"`
	Language    string   `xml:"dc:language"`
	Categories  []string `xml:"category"`
	// Alternates link the story's versions in other languages.
	Alternates []atomLink    `xml:"atom:link"`
	PubDate    string        `xml:"pubDate,omitempty"`
	Enclosure  *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length string `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

type atomLink struct {
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

// alternates are the links to the other language versions of a, which
// readers can read.
func (s *Server) alternates(site content.Site, a *content.Article) []atomLink {
	var out []atomLink
	for _, t := range a.Translations {
		out = append(out, atomLink{Href: site.ArticleURL(t.Version()), Rel: "alternate", Type: "text/html", HrefLang: t.Language})
	}
	return out
}

func (s *Server) rss(f feed) rssDoc {
	ch := rssChannel{Title: f.title, Link: f.home, Description: f.description, Language: f.language,
		LastBuildDate: f.updated.Format(time.RFC1123Z), Generator: "Masthead",
		Self: atomLink{Href: f.self, Rel: "self", Type: "application/rss+xml"}, Items: []rssItem{}}
	for _, a := range f.items {
		it := rssItem{Title: a.Title, Link: f.site.ArticleURL(a), GUID: rssGUID{IsPermaLink: "false", Value: articleGUID(a)}, Alternates: s.alternates(f.site, a),
			Description: a.Excerpt, Content: cdata{s.bodyHTML(a)}, Language: a.Language, Categories: categories(a)}
		for _, au := range a.Authors {
			it.Creators = append(it.Creators, au.Name)
		}
		if a.PublishedAt != nil {
			it.PubDate = a.PublishedAt.Format(time.RFC1123Z)
		}
		if u, typ := s.coverFile(a); u != "" {
			it.Enclosure = &rssEnclosure{URL: u, Length: "0", Type: typ}
		}
		ch.Items = append(ch.Items, it)
	}
	return rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/", Channel: ch}
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr"`
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published,omitempty"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func (s *Server) atom(f feed) atomFeed {
	out := atomFeed{Lang: f.language, Title: f.title, Subtitle: f.description, ID: f.self, Updated: f.updated.Format(time.RFC3339),
		Links: []atomLink{{Href: f.home, Rel: "alternate", Type: "text/html"}, {Href: f.self, Rel: "self", Type: "application/atom+xml"}},
		Gen:   "Masthead", Entries: []atomEntry{}}
	for _, a := range f.items {
		e := atomEntry{Lang: a.Language, Title: a.Title, ID: articleGUID(a),
			Links:   append([]atomLink{{Href: f.site.ArticleURL(a), Rel: "alternate", Type: "text/html", HrefLang: a.Language}}, s.alternates(f.site, a)...),
			Updated: a.Revised().Format(time.RFC3339), Summary: a.Excerpt, Content: atomText{Type: "html", Value: s.bodyHTML(a)}}
		if a.PublishedAt != nil {
			e.Published = a.PublishedAt.Format(time.RFC3339)
		}
		for _, au := range a.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: au.Name, URI: f.site.AuthorURL(au.Slug, a.Language)})
		}
		for _, c := range categories(a) {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		if u, typ := s.coverFile(a); u != "" {
			e.Links = append(e.Links, atomLink{Href: u, Rel: "enclosure", Type: typ})
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

func (s *Server) jsonFeed(f feed) api.JSONFeed {
	out := api.JSONFeed{Version: "https://jsonfeed.org/version/1.1", Title: f.title, HomePageURL: f.home, FeedURL: f.self,
		Description: f.description, Language: f.language, Items: []api.JSONFeedItem{}}
	for _, a := range f.items {
		it := api.JSONFeedItem{ID: articleGUID(a), URL: f.site.ArticleURL(a), Title: a.Title, ContentHTML: s.bodyHTML(a),
			Summary: a.Excerpt, DatePublished: a.PublishedAt, DateModified: a.Revised(), Tags: categories(a), Language: a.Language}
		for _, au := range a.Authors {
			it.Authors = append(it.Authors, api.JSONFeedAuthor{Name: au.Name, URL: f.site.AuthorURL(au.Slug, a.Language)})
		}
		if u, typ := s.coverFile(a); u != "" {
			it.Image = u
			it.Attachments = []api.JSONFeedFile{{URL: u, MimeType: typ}}
		}
		out.Items = append(out.Items, it)
	}
	return out
}
