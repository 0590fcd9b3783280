package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Placement is a named ad slot the frontend renders (top-leaderboard,
// sidebar-1, in-article-1, …): its sizes, the pages it appears on, and
// the creatives that fill it. Rotation among creatives is the client's,
// by weight, so answers stay cacheable.
type Placement struct {
	Name     string   `json:"name"`
	Sizes    []AdSize `json:"sizes"`
	Pages    []string `json:"pages"`              // AdPages
	Sections []string `json:"sections,omitempty"` // section slugs; none: every section
	// ExcludeFormats are article formats the slot never shows on (no
	// ads beside an obituary).
	ExcludeFormats []string `json:"exclude_formats,omitempty"`
	// Paragraph places an in-article slot after that paragraph; 0 for
	// slots outside the story.
	Paragraph int        `json:"paragraph,omitempty"`
	Active    bool       `json:"active"`
	Creatives []Creative `json:"creatives"`
	Version   int        `json:"-"`
	UpdatedAt time.Time  `json:"-"`
}

// AdSize is a creative size in CSS pixels.
type AdSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Creative is one ad a placement shows: an image with a click-through,
// an ad-server unit for the frontend's tag to fill, or raw HTML that
// only admins may set and that is answered as it is, marked unsanitised
// for the frontend to sandbox.
type Creative struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"` // CreativeKinds
	Image    Picture    `json:"image"`
	ClickURL string     `json:"click_url,omitempty"`
	Alt      string     `json:"alt,omitempty"`
	Unit     string     `json:"unit,omitempty"`  // e.g. /1234/home/leaderboard
	HTML     string     `json:"html,omitempty"`  // admins only
	Start    *time.Time `json:"start,omitempty"` // none: from now
	End      *time.Time `json:"end,omitempty"`   // none: until switched off
	Weight   int        `json:"weight"`          // 1 to 100, for rotation
	Language string     `json:"language,omitempty"`
	Active   bool       `json:"active"`
}

// Ad page kinds and creative kinds.
var (
	AdPages       = []string{"home", "section", "article"}
	CreativeKinds = []string{"image", "unit", "html"}
)

// Limits of placements.
const (
	MaxAdSide      = 2000
	MaxAdSizes     = 10
	MaxCreatives   = 20
	MaxAdParagraph = 50
	MaxAdHTML      = 20 << 10
)

var (
	placementName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,59}$`)
	adUnit        = regexp.MustCompile(`^/[0-9]{1,20}(/[A-Za-z0-9_.\-]{1,100}){1,10}$`)
)

// CheckPlacementName reports what is wrong with a placement's name, or "".
func CheckPlacementName(name string) string {
	if !placementName.MatchString(name) {
		return "must be 1 to 60 lower-case letters, digits and hyphens, such as top-leaderboard"
	}
	return ""
}

// CheckPlacement validates p as who sets it, reporting every problem:
// sizes within 1 to MaxAdSide a side, known pages and formats, schedules
// that end after they start, http(s) click-throughs, and raw HTML only
// from admins (a 403 for anyone else).
func CheckPlacement(p *Placement, who Actor) error {
	var pr Problems
	if len(p.Sizes) == 0 || len(p.Sizes) > MaxAdSizes {
		pr.Add("sizes", fmt.Sprintf("1 to %d sizes", MaxAdSizes))
	}
	for i, s := range p.Sizes {
		if s.Width < 1 || s.Height < 1 || s.Width > MaxAdSide || s.Height > MaxAdSide {
			pr.Add(fmt.Sprintf("sizes[%d]", i), fmt.Sprintf("%dx%d: each side must be 1 to %d pixels", s.Width, s.Height, MaxAdSide))
		}
	}
	if len(p.Pages) == 0 {
		pr.Add("pages", "required: some of "+strings.Join(AdPages, ", "))
	}
	for _, pg := range p.Pages {
		if !slices.Contains(AdPages, pg) {
			pr.Add("pages", fmt.Sprintf("%q is not a page: use %s", pg, strings.Join(AdPages, ", ")))
		}
	}
	for i, s := range p.Sections {
		p.Sections[i] = NormalizeSlug(s)
		if msg := CheckSlug(p.Sections[i]); msg != "" {
			pr.Add("sections", msg)
		}
	}
	for _, f := range p.ExcludeFormats {
		if !slices.Contains(Formats, f) {
			pr.Add("exclude_formats", fmt.Sprintf("%q is not a format: use %s", f, strings.Join(Formats, ", ")))
		}
	}
	switch {
	case p.Paragraph < 0 || p.Paragraph > MaxAdParagraph:
		pr.Add("paragraph", fmt.Sprintf("must be 0 to %d", MaxAdParagraph))
	case p.Paragraph > 0 && !slices.Equal(p.Pages, []string{"article"}):
		pr.Add("paragraph", "only a slot on article pages alone goes inside the story")
	}
	if len(p.Creatives) > MaxCreatives {
		pr.Add("creatives", fmt.Sprintf("at most %d", MaxCreatives))
	}
	for i := range p.Creatives {
		if err := p.Creatives[i].check(&pr, fmt.Sprintf("creatives[%d]", i), who); err != nil {
			return err
		}
	}
	return pr.Err("Placement")
}

func (c *Creative) check(p *Problems, at string, who Actor) error {
	if c.Weight == 0 {
		c.Weight = 1
	}
	if c.Weight < 1 || c.Weight > 100 {
		p.Add(at+".weight", "must be 1 to 100")
	}
	if c.Language != "" {
		if lang, _, err := ParseLanguage(c.Language); err != nil {
			p.Add(at+".language", "must be a BCP 47 language tag such as ar or en")
		} else {
			c.Language = lang
		}
	}
	if c.Start != nil && c.End != nil && !c.End.After(*c.Start) {
		p.Add(at+".end", "must be after start")
	}
	for _, t := range []*time.Time{c.Start, c.End} {
		if t != nil && !SaneTime(*t) {
			p.Add(at+".start", "must be a time from 1900 to 2199")
		}
	}
	switch c.Kind {
	case "image":
		c.Image.MediaID, c.Image.URL = strings.TrimSpace(c.Image.MediaID), strings.TrimSpace(c.Image.URL)
		switch {
		case (c.Image.MediaID == "") == (c.Image.URL == ""):
			p.Add(at+".image", "give a media_id or a url")
		case c.Image.MediaID != "" && !mediaID.MatchString(c.Image.MediaID):
			p.Add(at+".image.media_id", "must be a media item id")
		case c.Image.URL != "":
			if msg := CheckURL(c.Image.URL, MaxURLLen); msg != "" {
				p.Add(at+".image.url", msg)
			}
		}
		if msg := CheckURL(c.ClickURL, MaxURLLen); msg != "" {
			p.Add(at+".click_url", msg)
		}
		if msg := CheckPlain(c.Alt, 200, false); msg != "" || strings.TrimSpace(c.Alt) == "" {
			p.Add(at+".alt", "required: plain text of at most 200 characters")
		}
	case "unit":
		if !adUnit.MatchString(c.Unit) {
			p.Add(at+".unit", "must be an ad unit path such as /1234/home/leaderboard")
		}
	case "html":
		if !who.Role.AtLeast(RoleAdmin) {
			return Errorf(EFORBIDDEN, "Only admins may set raw HTML creatives (%s): the API answers them unsanitised.", at)
		}
		if strings.TrimSpace(c.HTML) == "" || len(c.HTML) > MaxAdHTML {
			p.Add(at+".html", fmt.Sprintf("required, at most %d KB", MaxAdHTML>>10))
		}
	default:
		p.Add(at+".kind", "must be one of "+strings.Join(CreativeKinds, ", "))
	}
	return nil
}

// AdPage is the page a reader's client renders: its kind, and for
// section and article pages the section, and for articles the format;
// Language is the page's.
type AdPage struct {
	Kind, Section, Format, Language string
}

// Shows returns the placements and creatives that apply to page at now:
// active placements for that kind of page, section and format, with their
// active creatives in schedule and in the page's language (or in none).
// Placements left with no creative are left out.
func Shows(placements []Placement, page AdPage, now time.Time) []Placement {
	var out []Placement
	for _, p := range placements {
		if !p.Active || !slices.Contains(p.Pages, page.Kind) ||
			(len(p.Sections) > 0 && page.Kind != "home" && !slices.Contains(p.Sections, page.Section)) ||
			(page.Format != "" && slices.Contains(p.ExcludeFormats, page.Format)) {
			continue
		}
		var creatives []Creative
		for _, c := range p.Creatives {
			if c.Active && (c.Start == nil || !now.Before(*c.Start)) && (c.End == nil || now.Before(*c.End)) &&
				(c.Language == "" || page.Language == "" || c.Language == page.Language) {
				creatives = append(creatives, c)
			}
		}
		if len(creatives) > 0 {
			p.Creatives = creatives
			out = append(out, p)
		}
	}
	return out
}

// Boundaries are the times at which what p shows changes by itself: its
// creatives' starts and ends, for caches to end then.
func (p *Placement) Boundaries() []time.Time {
	var out []time.Time
	for _, c := range p.Creatives {
		for _, t := range []*time.Time{c.Start, c.End} {
			if t != nil {
				out = append(out, *t)
			}
		}
	}
	return out
}
