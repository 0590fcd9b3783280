package server

import (
	"bufio"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// Sitemap limits from the protocol (sitemaps.org) and Google News.
const (
	sitemapMaxURLs  = 50_000
	sitemapMaxBytes = 50 << 20
	newsWindow      = 48 * time.Hour
	newsMaxURLs     = 1000
	// sitemapEntryOverhead is an entry's bytes besides its URL.
	sitemapEntryOverhead = len("<url><loc></loc><lastmod>2006-01-02T15:04:05Z</lastmod></url>\n")
)

// articlesPerSitemap is how many articles one sitemap page lists: 50,000,
// or fewer when the longest URL the site's patterns allow could make a
// full page pass 50 MB.
func articlesPerSitemap(site content.Site) int {
	return min(sitemapMaxURLs, (sitemapMaxBytes-1024)/(site.MaxArticleURLLen()+sitemapEntryOverhead))
}

const sitemapXML = "application/xml; charset=utf-8"

// handleSitemapIndex serves GET /sitemap.xml.
//
//	@Summary		Sitemap index
//	@Description	Lists the article sitemaps, one per month of publication (articles-2026-11.xml; a month with more articles than a sitemap may hold continues in articles-2026-11-2.xml and so on, each at most 50,000 URLs and 50 MB), the section and author sitemaps and the news sitemap. Their locations are on the public site (MASTHEAD_SITE_URL), which is expected to pass /sitemap.xml, /sitemap-news.xml and /sitemaps/* through to the API.
//	@Tags			sitemaps
//	@Produce		application/xml,json
//	@Success		200		{string}	string	"sitemapindex"
//	@Failure		400		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/sitemap.xml [get]
func (s *Server) handleSitemapIndex(c echo.Context) error {
	site := s.siteAt(c.Request().Context())
	if err := noQuery(c); err != nil {
		return err
	}
	months, err := s.store.SitemapMonths(c.Request().Context())
	if err != nil {
		return err
	}
	w := s.startSitemap(c, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	entry := func(loc string) {
		w.WriteString("<sitemap><loc>")
		xml.EscapeText(w, []byte(loc))
		w.WriteString("</loc></sitemap>\n")
	}
	per := s.sitemapPage
	for _, m := range months {
		for part := 1; (part-1)*per < m.Count; part++ {
			entry(site.URL + "/sitemaps/" + monthFile(m.Month, part))
		}
	}
	entry(site.URL + "/sitemaps/sections.xml")
	entry(site.URL + "/sitemaps/authors.xml")
	entry(site.URL + "/sitemaps/pages.xml")
	entry(site.URL + "/sitemap-news.xml")
	w.WriteString("</sitemapindex>\n")
	return w.Flush()
}

// monthFile names part of a month's article sitemap.
func monthFile(month time.Time, part int) string {
	name := "articles-" + month.Format("2006-01")
	if part > 1 {
		name += "-" + strconv.Itoa(part)
	}
	return name + ".xml"
}

// parseMonthFile reads a name monthFile gave.
func parseMonthFile(file string) (month time.Time, part int, ok bool) {
	name, found := strings.CutSuffix(strings.TrimPrefix(file, "articles-"), ".xml")
	if !found || !strings.HasPrefix(file, "articles-") || len(name) < 7 {
		return time.Time{}, 0, false
	}
	month, err := time.Parse("2006-01", name[:7])
	if err != nil {
		return time.Time{}, 0, false
	}
	part = 1
	if rest := name[7:]; rest != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(rest, "-"))
		if err != nil || !strings.HasPrefix(rest, "-") || n < 2 || strconv.Itoa(n) != rest[1:] {
			return time.Time{}, 0, false
		}
		part = n
	}
	return month, part, true
}

// startSitemap sends the headers and the XML prolog and root element.
func (s *Server) startSitemap(c echo.Context, root string) *bufio.Writer {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, sitemapXML)
	res.Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	res.WriteHeader(http.StatusOK)
	w := bufio.NewWriterSize(res, 64<<10)
	w.WriteString(xml.Header)
	w.WriteString(root + "\n")
	return w
}

// handleSitemap serves GET /sitemaps/:file: articles-N.xml, sections.xml
// and authors.xml.
//
//	@Summary		Article, section and author sitemaps
//	@Description	articles-YYYY-MM[-N].xml lists (part N of) the reader-visible articles published that month, oldest first, with lastmod (the last edit), streamed from the database row by row. sections.xml and authors.xml list the pages of sections and authors with a visible article, lastmod being the newest one's publication (for authors, when it is among the newest 20,000 articles).
//	@Tags			sitemaps
//	@Produce		application/xml,json
//	@Param			file	path		string	true	"articles-2026-11.xml, articles-2026-11-2.xml, sections.xml or authors.xml"
//	@Success		200		{string}	string	"urlset"
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/sitemaps/{file} [get]
func (s *Server) handleSitemap(c echo.Context) error {
	site := s.siteAt(c.Request().Context())
	if err := noQuery(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	file := pathParam(c, "file")
	const urlset = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`
	switch file {
	case "pages.xml":
		pages, err := s.store.FindPages(ctx, true)
		if err != nil {
			return err
		}
		w := s.startSitemap(c, urlset)
		for _, p := range pages {
			writeURL(w, site.PageURL(p.Slug, p.Language), p.UpdatedAt)
		}
		w.WriteString("</urlset>\n")
		return w.Flush()
	case "sections.xml", "authors.xml":
		find, url := s.store.SitemapSections, site.SectionURL
		if file == "authors.xml" {
			find, url = s.store.SitemapAuthors, site.AuthorURL
		}
		list, err := find(ctx)
		if err != nil {
			return err
		}
		w := s.startSitemap(c, urlset)
		for _, t := range list {
			writeURL(w, url(t.Slug, ""), t.Lastmod) // pages in the default language
		}
		w.WriteString("</urlset>\n")
		return w.Flush()
	}
	month, part, ok := parseMonthFile(file)
	if !ok {
		return content.Errorf(content.ENOTFOUND, "No sitemap %q.", file)
	}
	per := s.sitemapPage
	var w *bufio.Writer
	err := s.store.EachSitemapArticle(ctx, month, month.AddDate(0, 1, 0), (part-1)*per, per, func(e *store.SitemapEntry) error {
		if w == nil {
			w = s.startSitemap(c, urlset)
		}
		var alternates []alternate
		for _, v := range e.Versions {
			alternates = append(alternates, alternate{v.Language, site.ArticleURLOf(v.ID, v.Slug, v.Category, v.Language)})
		}
		for _, a := range alternates {
			if a.lang == site.DefaultLanguage {
				alternates = append(alternates, alternate{"x-default", a.url})
				break
			}
		}
		writeURL(w, site.ArticleURLOf(e.ID, e.Slug, e.Category, e.Language), e.UpdatedAt, alternates...)
		return nil
	})
	if err != nil {
		if w != nil {
			s.log.Error("stream sitemap", "err", err, "request_id", requestID(c))
			panic(http.ErrAbortHandler) // the status is out: cut the body short
		}
		return err
	}
	if w == nil {
		return content.Errorf(content.ENOTFOUND, "No sitemap %q: /sitemap.xml lists the article sitemaps there are.", file)
	}
	w.WriteString("</urlset>\n")
	return w.Flush()
}

// alternate is a version of a page in another language.
type alternate struct{ lang, url string }

// writeURL writes a sitemap entry; a story told in several languages
// lists every version as an hreflang alternate, itself included, as
// search engines ask.
func writeURL(w *bufio.Writer, loc string, lastmod time.Time, alternates ...alternate) {
	w.WriteString("<url><loc>")
	xml.EscapeText(w, []byte(loc))
	w.WriteString("</loc>")
	if !lastmod.IsZero() {
		w.WriteString("<lastmod>" + lastmod.UTC().Format(time.RFC3339) + "</lastmod>")
	}
	for _, a := range alternates {
		w.WriteString(`<xhtml:link rel="alternate" hreflang="`)
		xml.EscapeText(w, []byte(a.lang))
		w.WriteString(`" href="`)
		xml.EscapeText(w, []byte(a.url))
		w.WriteString(`"/>`)
	}
	w.WriteString("</url>\n")
}

// handleNewsSitemap serves GET /sitemap-news.xml.
//
//	@Summary		Google News sitemap
//	@Description	Articles published in the last 48 hours, newest first, at most 1,000, with the publication name (MASTHEAD_PUBLICATION_NAME), language, publication date and title, and the cover as image:image.
//	@Tags			sitemaps
//	@Produce		application/xml,json
//	@Success		200		{string}	string	"urlset with news:news"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Failure		400	{object}	api.Error	"Bad parameter (every route refuses control characters and unknown parameters)"
//	@Router			/sitemap-news.xml [get]
func (s *Server) handleNewsSitemap(c echo.Context) error {
	site := s.siteAt(c.Request().Context())
	if err := noQuery(c); err != nil {
		return err
	}
	list, err := s.store.NewsSitemap(c.Request().Context(), s.store.Now().Add(-newsWindow), newsMaxURLs)
	if err != nil {
		return err
	}
	w := s.startSitemap(c, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">`)
	esc := func(v string) { xml.EscapeText(w, []byte(v)) }
	for _, e := range list {
		w.WriteString("<url><loc>")
		esc(site.ArticleURLOf(e.ID, e.Slug, e.Category, e.Language))
		w.WriteString("</loc><news:news><news:publication><news:name>")
		esc(site.NameIn(e.Language))
		w.WriteString("</news:name><news:language>")
		esc(newsLanguage(e.Language))
		w.WriteString("</news:language></news:publication><news:publication_date>")
		w.WriteString(e.PublishedAt.Format(time.RFC3339))
		w.WriteString("</news:publication_date><news:title>")
		esc(e.Title)
		w.WriteString("</news:title></news:news>")
		if img := s.toAPIImage(e.Cover, e.Language); img != nil {
			w.WriteString("<image:image><image:loc>")
			esc(img.URL)
			w.WriteString("</image:loc></image:image>")
		}
		w.WriteString("</url>\n")
	}
	w.WriteString("</urlset>\n")
	return w.Flush()
}

// newsLanguage is the ISO 639 code Google News wants: the base language,
// except Chinese, which keeps its script (zh-cn, zh-tw).
func newsLanguage(tag string) string {
	base, rest, _ := strings.Cut(strings.ToLower(tag), "-")
	if base == "zh" {
		if strings.Contains(rest, "hant") || strings.Contains(rest, "tw") {
			return "zh-tw"
		}
		return "zh-cn"
	}
	return base
}
