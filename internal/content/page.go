package content

import (
	"slices"
	"strings"
	"time"
)

// Page is a static page of the site (About, Contact, Privacy, Terms,
// Advertise with us) in one language, with a body sanitised like an
// article's. Readers see it only once published.
type Page struct {
	ID          string
	Slug        string
	Language    string
	Direction   string
	Title       string
	Body        string
	BodyFormat  string
	BodyHTML    string
	Published   bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
}

// PageUpdate carries a page's editable fields; nil fields were not sent.
type PageUpdate struct {
	Slug, Title, Body, BodyFormat, Language *string
	Published                               *bool
}

// Check validates the fields sent, reporting every problem; creating
// makes title, body and language required.
func (u *PageUpdate) Check(creating bool) error {
	var p Problems
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"title", u.Title, MaxTitleLen}, {"body", u.Body, MaxBodyLen}} {
		switch {
		case f.v == nil && creating, f.v != nil && strings.TrimSpace(*f.v) == "":
			p.Add(f.name, "required")
		case f.v != nil && f.name == "title":
			if msg := CheckPlain(*f.v, f.max, false); msg != "" {
				p.Add(f.name, msg)
			}
		case f.v != nil:
			if msg := CheckText(*f.v, f.max, true); msg != "" {
				p.Add(f.name, msg)
			}
		}
	}
	if u.Language == nil && creating {
		p.Add("language", "required")
	} else if u.Language != nil {
		if _, _, err := ParseLanguage(*u.Language); err != nil {
			p.Add("language", "must be a BCP 47 language tag such as ar or en")
		}
	}
	if u.BodyFormat != nil && !slices.Contains(BodyFormats, *u.BodyFormat) {
		p.Add("body_format", "must be one of "+strings.Join(BodyFormats, ", "))
	}
	if u.Slug != nil {
		*u.Slug = NormalizeSlug(*u.Slug)
		if msg := CheckSlug(*u.Slug); msg != "" {
			p.Add("slug", msg)
		}
	}
	return p.Err("Page")
}

// Apply copies the sent fields onto pg at now, rendering the body; a
// page without a slug gets one from its title, and its first
// publication is dated.
func (u *PageUpdate) Apply(pg *Page, now time.Time) {
	if u.Title != nil {
		pg.Title = strings.TrimSpace(*u.Title)
	}
	if u.Body != nil {
		pg.Body = StripHidden(*u.Body)
	}
	if u.BodyFormat != nil {
		pg.BodyFormat = *u.BodyFormat
	}
	if pg.BodyFormat == "" {
		pg.BodyFormat = "markdown"
	}
	if u.Language != nil {
		pg.Language, pg.Direction, _ = ParseLanguage(*u.Language)
	}
	if u.Slug != nil {
		pg.Slug = *u.Slug
	}
	if pg.Slug == "" {
		pg.Slug = Slugify(pg.Title)
	}
	if u.Published != nil {
		pg.Published = *u.Published
		if pg.Published && pg.PublishedAt == nil {
			pg.PublishedAt = &now
		}
	}
	pg.BodyHTML = RenderBody(pg.BodyFormat, pg.Body)
}
