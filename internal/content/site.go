package content

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Site is the public website the API feeds. Feeds, sitemaps, structured
// data and e-mails link to pages there, never to the API. The paths are
// patterns: {slug}, {lang} (the language of the page: the article's, or
// the reader's), and for articles also {category} and {id}.
type Site struct {
	URL             string // scheme and host, and a path prefix if any; no trailing slash
	Name            string // the publication's name, as in a news sitemap
	ArticlePath     string // default /{category}/{slug}
	SectionPath     string // default /{slug}
	TagPath         string // default /tag/{slug}
	AuthorPath      string // default /author/{slug}
	PagePath        string // static pages; default /{slug}
	ConfirmPath     string // newsletter confirmation page; gets ?token=
	UnsubscribePath string // newsletter unsubscribe page; gets ?token=
	// DefaultLanguage is the version of a story in several languages
	// that readers of no listed language get (hreflang x-default), and
	// the {lang} of links made for no language in particular; "" names
	// none.
	DefaultLanguage string
	// Names is the publication's name in other languages than Name's
	// (MASTHEAD_PUBLICATION_NAMES).
	Names Texts
	// Logo is the publication's logo, set through the API (Settings):
	// LogoMedia when it is a library item.
	Logo      Picture
	LogoMedia *Media
}

// NameIn is the publication's name for readers of lang.
func (s Site) NameIn(lang string) string { return s.Names.In(lang, s.Name) }

// DefaultSite is the site configuration when nothing is set: a frontend
// in development on port 3000.
var DefaultSite = Site{
	URL: "http://localhost:3000", Name: "Masthead",
	ArticlePath: "/{category}/{slug}", SectionPath: "/{slug}", TagPath: "/tag/{slug}", AuthorPath: "/author/{slug}", PagePath: "/{slug}",
	ConfirmPath: "/newsletter/confirm", UnsubscribePath: "/newsletter/unsubscribe",
}

// maxSiteURLLen bounds the site URL so the size of a sitemap entry has a
// known bound.
const maxSiteURLLen = 200

// Check reports the first problem with s, as a one-line error naming the
// environment variable to fix.
func (s Site) Check() error {
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || len(s.URL) > maxSiteURLLen {
		return fmt.Errorf("MASTHEAD_SITE_URL %q must be the public site's http(s) URL, such as https://www.example.com, without query or fragment, at most %d bytes", s.URL, maxSiteURLLen)
	}
	if msg := CheckPlain(s.Name, 200, false); msg != "" || strings.TrimSpace(s.Name) == "" {
		return errors.New("MASTHEAD_PUBLICATION_NAME must be a non-empty plain-text name of at most 200 characters")
	}
	if s.DefaultLanguage != "" {
		if lang, _, err := ParseLanguage(s.DefaultLanguage); err != nil || lang != s.DefaultLanguage {
			return fmt.Errorf("MASTHEAD_DEFAULT_LANGUAGE %q must be a language tag as articles carry it, such as ar or en", s.DefaultLanguage)
		}
	}
	for lang, name := range s.Names {
		if canonical, _, err := ParseLanguage(lang); err != nil || canonical != lang {
			return fmt.Errorf("MASTHEAD_PUBLICATION_NAMES: %q is not a language tag as articles carry it, such as ar or en", lang)
		}
		if msg := CheckPlain(name, 200, false); msg != "" || strings.TrimSpace(name) == "" {
			return fmt.Errorf("MASTHEAD_PUBLICATION_NAMES: the %s name must be non-empty plain text of at most 200 characters", lang)
		}
	}
	for _, p := range []struct {
		env, value   string
		needs, takes []string
	}{
		{"MASTHEAD_ARTICLE_PATH", s.ArticlePath, []string{"{slug}", "{id}"}, []string{"{slug}", "{id}", "{category}", "{lang}"}},
		{"MASTHEAD_SECTION_PATH", s.SectionPath, []string{"{slug}"}, []string{"{slug}", "{lang}"}},
		{"MASTHEAD_TAG_PATH", s.TagPath, []string{"{slug}"}, []string{"{slug}", "{lang}"}},
		{"MASTHEAD_AUTHOR_PATH", s.AuthorPath, []string{"{slug}"}, []string{"{slug}", "{lang}"}},
		{"MASTHEAD_PAGE_PATH", s.pagePath(), []string{"{slug}"}, []string{"{slug}", "{lang}"}},
		{"MASTHEAD_NEWSLETTER_CONFIRM_PATH", s.ConfirmPath, nil, []string{"{lang}"}},
		{"MASTHEAD_NEWSLETTER_UNSUBSCRIBE_PATH", s.UnsubscribePath, nil, []string{"{lang}"}},
	} {
		// A link made for no language in particular (a section's feed
		// in every language) takes the default one.
		if p.env != "MASTHEAD_ARTICLE_PATH" && strings.Contains(p.value, "{lang}") && s.DefaultLanguage == "" {
			return fmt.Errorf("%s %q holds {lang}: set MASTHEAD_DEFAULT_LANGUAGE, the language of links made for no language in particular", p.env, p.value)
		}
		// A placeholder nothing fills would reach readers as it is
		// ("/{lang}/news" in every feed): refused at start.
		for _, ph := range placeholder.FindAllString(p.value, -1) {
			if !slices.Contains(p.takes, ph) {
				takes := "no placeholder"
				if len(p.takes) > 0 {
					takes = strings.Join(p.takes, ", ")
				}
				return fmt.Errorf("%s %q: %s is not filled here (it takes %s)", p.env, p.value, ph, takes)
			}
		}
		ok := len(p.needs) == 0
		for _, n := range p.needs {
			ok = ok || strings.Contains(p.value, n)
		}
		if !strings.HasPrefix(p.value, "/") || CheckText(p.value, 200, false) != "" || strings.ContainsAny(p.value, "?# ") || !ok {
			return fmt.Errorf("%s %q must be a path starting with / of at most 200 characters, without ? or #, holding %s", p.env, p.value, strings.Join(p.needs, " or "))
		}
	}
	return nil
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// ArticleURL is the public address of a.
func (s Site) ArticleURL(a *Article) string {
	return s.articleURL(a.ID, a.Slug, a.Category.Slug, a.Language)
}

// ArticleURLOf is ArticleURL from the parts a sitemap row carries.
func (s Site) ArticleURLOf(id, slug, category, lang string) string {
	return s.articleURL(id, slug, category, lang)
}

func (s Site) articleURL(id, slug, category, lang string) string {
	return s.URL + strings.NewReplacer(
		"{slug}", url.PathEscape(slug), "{category}", url.PathEscape(category),
		"{id}", url.PathEscape(id), "{lang}", url.PathEscape(lang),
	).Replace(s.ArticlePath)
}

// SectionURL, TagURL and AuthorURL are the public addresses of a
// section's, a tag's and an author's page for readers of lang ("": the
// default language).
func (s Site) SectionURL(slug, lang string) string { return s.URL + s.fill(s.SectionPath, slug, lang) }

// TagURL is the public address of a tag's page in lang.
func (s Site) TagURL(slug, lang string) string { return s.URL + s.fill(s.TagPath, slug, lang) }

// PageURL is the public address of a static page in lang.
func (s Site) PageURL(slug, lang string) string { return s.URL + s.fill(s.pagePath(), slug, lang) }

func (s Site) pagePath() string {
	if s.PagePath == "" {
		return DefaultSite.PagePath
	}
	return s.PagePath
}

// AuthorURL is the public address of an author's page in lang.
func (s Site) AuthorURL(slug, lang string) string { return s.URL + s.fill(s.AuthorPath, slug, lang) }

// HomeURL is the site's front page.
func (s Site) HomeURL() string { return s.URL + "/" }

// ConfirmURL is the page, in lang, that confirms a subscription with
// token.
func (s Site) ConfirmURL(token, lang string) string {
	return s.URL + s.fill(s.ConfirmPath, "", lang) + "?token=" + url.QueryEscape(token)
}

// UnsubscribeURL is the page, in lang, that ends a subscription with
// token.
func (s Site) UnsubscribeURL(token, lang string) string {
	return s.URL + s.fill(s.UnsubscribePath, "", lang) + "?token=" + url.QueryEscape(token)
}

// fill puts slug and lang (else the default language) into pattern.
func (s Site) fill(pattern, slug, lang string) string {
	if lang == "" {
		lang = s.DefaultLanguage
	}
	return strings.NewReplacer("{slug}", url.PathEscape(slug), "{lang}", url.PathEscape(lang)).Replace(pattern)
}

// MaxArticleURLLen bounds the length of any article's public URL once
// escaped for XML: every placeholder at its longest, each rune
// percent-encoded from 4 bytes, each literal byte as if it were "&amp;".
func (s Site) MaxArticleURLLen() int {
	longest := MaxSlugLen * 4 * 3
	n := 5 * (len(s.URL) + len(s.ArticlePath))
	n += strings.Count(s.ArticlePath, "{slug}")*longest + strings.Count(s.ArticlePath, "{category}")*longest
	n += strings.Count(s.ArticlePath, "{id}")*26 + strings.Count(s.ArticlePath, "{lang}")*35
	return n
}
