package content

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Status is where an article is in its life.
type Status string

// The statuses. A scheduled article whose PublishedAt has passed is
// visible to readers and reported as published.
const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Statuses lists every status, in the order editors think of them.
var Statuses = []Status{StatusDraft, StatusScheduled, StatusPublished, StatusArchived}

// Formats lists the editorial formats an article may have.
var Formats = []string{"news", "opinion", "report", "analysis", "interview", "caricature", "feature", "review", "live"}

// BodyFormats lists the formats a body may be written in.
var BodyFormats = []string{"markdown", "html"}

// Field limits, in runes.
const (
	MaxTitleLen    = 300
	MaxSubtitleLen = 500
	MaxExcerptLen  = 1000
	MaxBodyLen     = 200_000
	MaxSourceLen   = 200
	MaxURLLen      = 2000
	MaxCaptionLen  = 500
	MaxRefs        = 50
	excerptRunes   = 220
	wordsPerMinute = 200
)

// Cover is an article's lead image: a media item from the library
// (MediaID; Media is filled when the store reads it), or an external
// URL, with no renditions. Alt, caption and credit given here win over
// the item's own.
type Cover struct {
	URL, Alt, Caption, Credit string
	MediaID                   string
	Media                     *Media
}

// Article is a story. Category, Tags and Authors are filled by the store
// when it reads one.
type Article struct {
	ID         string
	Slug       string
	Title      string
	Subtitle   string
	Excerpt    string
	Body       string
	BodyFormat string
	BodyHTML   string
	// BodyMedia are the media items BodyHTML places (MediaRefs), filled
	// when the store reads the body; an id missing here was deleted.
	BodyMedia     map[string]*Media
	Format        string
	Language      string
	Direction     string
	Category      Category
	Tags          []Tag
	Authors       []Author
	Source        string
	Cover         Cover
	Featured      bool
	Breaking      bool
	BreakingUntil *time.Time
	Status        Status
	PublishedAt   *time.Time
	CreatedBy     string // user id of the author of record; "" once that user is gone
	WordCount     int
	ReadingTime   int   // minutes
	Version       int   // bumped on every write; the ETag
	ViewCount     int64 // reads counted so far
	CreatedAt     time.Time
	UpdatedAt     time.Time // any write
	// ModifiedAt is the last editorial edit or correction ("Updated …").
	ModifiedAt  time.Time
	Corrections Corrections // filled when the store reads one article
	// TranslationGroup links the versions of one story in several
	// languages ("" for none); Translations are the other versions,
	// filled when the store reads one article.
	TranslationGroup string
	Translations     []Translation
	// Languages are those readers can read the story in, when more than
	// one (lists carry them).
	Languages []string

	// excerptDerived remembers that Excerpt came from the body, so an
	// edit of the body derives it again.
	ExcerptDerived bool
}

// PublicStatus is the status a reader would infer at now: a scheduled
// article whose time has come counts as published.
func (a *Article) PublicStatus(now time.Time) Status {
	if a.Status == StatusScheduled && a.PublishedAt != nil && !a.PublishedAt.After(now) {
		return StatusPublished
	}
	return a.Status
}

// Visible reports whether readers may see a at now.
func (a *Article) Visible(now time.Time) bool {
	return a.PublicStatus(now) == StatusPublished && a.PublishedAt != nil && !a.PublishedAt.After(now)
}

// IsBreaking reports whether a counts as breaking at now.
func (a *Article) IsBreaking(now time.Time) bool {
	return a.Breaking && (a.BreakingUntil == nil || a.BreakingUntil.After(now))
}

// ArticleUpdate carries the editable fields of an article. A nil field was
// not sent and leaves the article as it is. The refs name a category, tags
// and authors by id or slug; the store resolves them.
type ArticleUpdate struct {
	Slug               *string
	Title              *string
	Subtitle           *string
	Excerpt            *string
	Body               *string
	BodyFormat         *string
	Format             *string
	Language           *string
	Source             *string
	Cover              *Cover
	Featured           *bool
	Breaking           *bool
	BreakingUntil      *time.Time
	ClearBreakingUntil bool
	CategoryRef        *string
	TagRefs            *[]string
	AuthorRefs         *[]string
	// TranslationOf, on create, makes the new article a version of this
	// one (an id): its translation group, in another language.
	TranslationOf *string
}

// Check validates the fields that were sent, reporting every problem.
// creating says that absent required fields are problems too.
func (u *ArticleUpdate) Check(creating bool) error {
	var p Problems
	text := func(field string, v *string, max int, required, multiline bool) {
		check := CheckPlain
		if field == "body" {
			check = CheckText
		}
		switch {
		case v == nil && required && creating:
			p.Add(field, "required")
		case v == nil:
		case required && strings.TrimSpace(*v) == "":
			p.Add(field, "required")
		default:
			if msg := check(*v, max, multiline); msg != "" {
				p.Add(field, msg)
			}
		}
	}
	text("title", u.Title, MaxTitleLen, true, false)
	text("subtitle", u.Subtitle, MaxSubtitleLen, false, false)
	text("excerpt", u.Excerpt, MaxExcerptLen, false, true)
	text("body", u.Body, MaxBodyLen, true, true)
	text("source", u.Source, MaxSourceLen, false, false)
	text("category", u.CategoryRef, MaxSlugLen, true, false)
	if u.Slug != nil {
		*u.Slug = NormalizeSlug(*u.Slug)
		if msg := CheckSlug(*u.Slug); msg != "" {
			p.Add("slug", msg)
		}
	}
	enum := func(field string, v *string, allowed []string) {
		if v != nil && !slices.Contains(allowed, *v) {
			p.Add(field, "must be one of "+strings.Join(allowed, ", "))
		}
	}
	if u.BreakingUntil != nil && !SaneTime(*u.BreakingUntil) {
		p.Add("breaking_until", "must be a time from 1900 to 2199")
	}
	enum("body_format", u.BodyFormat, BodyFormats)
	enum("format", u.Format, Formats)
	if u.Language != nil {
		if _, _, err := ParseLanguage(*u.Language); err != nil {
			p.Add("language", "must be a BCP 47 language tag such as ar or en")
		}
	} else if creating {
		p.Add("language", "required")
	}
	if c := u.Cover; c != nil {
		switch {
		case c.URL != "" && c.MediaID != "":
			p.Add("cover.media_id", "give a media item or a url, not both")
		case c.URL != "":
			if msg := CheckURL(c.URL, MaxURLLen); msg != "" {
				p.Add("cover.url", msg)
			}
		case c.MediaID != "":
		case c.Alt != "" || c.Caption != "" || c.Credit != "":
			p.Add("cover.media_id", "a media item or a url is required when the cover has alt, caption or credit")
		}
		for field, v := range map[string]string{"cover.alt": c.Alt, "cover.caption": c.Caption, "cover.credit": c.Credit} {
			if msg := CheckPlain(v, MaxCaptionLen, false); msg != "" {
				p.Add(field, msg)
			}
		}
	}
	refs := func(field string, v *[]string, required bool) {
		if v == nil {
			return
		}
		if required && len(*v) == 0 {
			p.Add(field, "must name at least one")
		}
		if len(*v) > MaxRefs {
			p.Add(field, "must name at most 50")
		}
		for _, r := range *v {
			if msg := CheckText(r, MaxSlugLen, false); msg != "" || strings.TrimSpace(r) == "" {
				p.Add(field, "must be ids or slugs")
			}
		}
	}
	refs("tags", u.TagRefs, false)
	refs("authors", u.AuthorRefs, true)
	return p.Err("Article")
}

// Apply copies the sent fields onto a and derives what follows from them:
// slug (from the title when a has none), excerpt (from the body unless
// one was written), direction, rendered body, word count, reading time.
func (u *ArticleUpdate) Apply(a *Article) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&a.Title, u.Title)
	set(&a.Subtitle, u.Subtitle)
	set(&a.Source, u.Source)
	set(&a.BodyFormat, u.BodyFormat)
	set(&a.Format, u.Format)
	if u.Body != nil {
		a.Body = StripHidden(*u.Body)
	}
	if u.Slug != nil {
		a.Slug = NormalizeSlug(*u.Slug)
	}
	if u.Language != nil {
		a.Language, a.Direction, _ = ParseLanguage(*u.Language)
	}
	if u.Cover != nil {
		a.Cover = *u.Cover
	}
	if u.Featured != nil {
		a.Featured = *u.Featured
	}
	if u.Breaking != nil {
		a.Breaking = *u.Breaking
	}
	if u.BreakingUntil != nil {
		t := u.BreakingUntil.UTC()
		a.BreakingUntil = &t
	}
	if u.ClearBreakingUntil {
		a.BreakingUntil = nil
	}
	if a.BodyFormat == "" {
		a.BodyFormat = "markdown"
	}
	if a.Format == "" {
		a.Format = "news"
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Title)
	}
	a.BodyHTML = RenderBody(a.BodyFormat, a.Body)
	plain := PlainText(a.BodyHTML)
	a.WordCount = len(strings.Fields(plain))
	a.ReadingTime = max(1, (a.WordCount+wordsPerMinute-1)/wordsPerMinute)
	switch {
	case u.Excerpt != nil && strings.TrimSpace(*u.Excerpt) != "":
		a.Excerpt, a.ExcerptDerived = strings.TrimSpace(*u.Excerpt), false
	case u.Excerpt != nil || a.ExcerptDerived || a.Excerpt == "":
		a.Excerpt, a.ExcerptDerived = truncateWords(plain, excerptRunes), true
	}
}

var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// policy allows what stories need (links, images, tables, quotes) and
	// the dir attribute for mixed Arabic and English text; it drops
	// scripts, event handlers and javascript: URLs.
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
		p.RequireNoReferrerOnLinks(true)
		// media:ID places a media item: ![alt](media:ID) in Markdown,
		// <img src="media:ID"> in HTML. Answers replace it with the
		// image's <figure> (MediaRefs).
		p.AllowURLSchemeWithCustomPolicy("media", func(u *url.URL) bool { return mediaID.MatchString(u.Opaque) })
		// Embeds of the allowed providers (embed.go): their players, and
		// their blockquote markup with what their scripts read.
		p.AllowAttrs("src").Matching(embedSrc).OnElements("iframe")
		p.AllowAttrs("class").Matching(embedQuote).OnElements("blockquote")
		p.AllowAttrs("data-instgrm-permalink").Matching(regexp.MustCompile(`^https://www\.instagram\.com/(p|reel)/[A-Za-z0-9_-]{5,40}/?(\?[A-Za-z0-9_=&;%.-]*)?$`)).OnElements("blockquote")
		p.AllowAttrs("data-video-id").Matching(regexp.MustCompile(`^[0-9]{1,25}$`)).OnElements("blockquote")
		return p
	}()
	strip = bluemonday.StrictPolicy()
)

// RenderBody turns a Markdown or HTML body into sanitised HTML.
func RenderBody(format, body string) string {
	if format == "markdown" {
		var buf bytes.Buffer
		if err := markdown.Convert([]byte(body), &buf); err != nil {
			// goldmark fails only on writer errors; a bytes.Buffer has none.
			return policy.Sanitize(html.EscapeString(body))
		}
		body = buf.String()
	}
	return hardenFrames(policy.Sanitize(body))
}

var (
	mediaID = regexp.MustCompile(`^[0-9A-Z]{26}$`)
	// MediaImg matches an <img> of sanitised HTML that places a media
	// item; the first group is its id.
	MediaImg = regexp.MustCompile(`<img\b[^>]*\bsrc="media:([0-9A-Z]{26})"[^>]*>`)
)

// MediaRefs returns the ids of the media items a rendered body places,
// once each, in order.
func MediaRefs(bodyHTML string) []string {
	var out []string
	if !strings.Contains(bodyHTML, `"media:`) {
		return nil
	}
	for _, m := range MediaImg.FindAllStringSubmatch(bodyHTML, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// blockTag matches the tags that separate words when stripped.
var blockTag = regexp.MustCompile(`(?i)<(/?(p|br|div|li|h[1-6]|blockquote|tr|td|th|pre|hr|ul|ol|table|figure|figcaption|section|article|img))\b`)

// PlainText returns the text of sanitised HTML with whitespace collapsed.
// Block boundaries become spaces; inline tags vanish without one, so
// "<em>text</em>." stays "text.".
func PlainText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(strip.Sanitize(blockTag.ReplaceAllString(h, " <$1")))), " ")
}

// truncateWords cuts s to at most n runes at a word boundary, adding an
// ellipsis when it cut.
func truncateWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return strings.TrimRight(string(r)[:i], " ,.;:،") + "…"
	}
	return string(r) + "…"
}

// Moved says that an article is found under another slug now; readers
// asking by the old one are redirected.
type Moved struct{ Slug string }

func (m *Moved) Error() string { return "article moved to " + m.Slug }
