package content

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Editorial is what a story says: the fields whose change is an
// editorial edit, which readers see as "Updated …" (ModifiedAt). Flags
// (featured, breaking), status, publication time and counts are not.
type Editorial struct {
	Slug       string         `json:"slug"`
	Title      string         `json:"title"`
	Subtitle   string         `json:"subtitle"`
	Excerpt    string         `json:"excerpt"`
	Body       string         `json:"body"`
	BodyFormat string         `json:"body_format"`
	Format     string         `json:"format"`
	Language   string         `json:"language"`
	Source     string         `json:"source"`
	Category   string         `json:"category"` // slug
	Tags       []string       `json:"tags"`     // slugs, in order
	Authors    []string       `json:"authors"`  // slugs, in order
	Cover      EditorialCover `json:"cover"`
	// ExcerptDerived: the excerpt was made from the body, not written.
	ExcerptDerived bool `json:"excerpt_derived"`
}

// EditorialCover is a cover as an editor set it.
type EditorialCover struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	MediaID string `json:"media_id"`
}

// EditorialOf returns the editorial fields of a.
func EditorialOf(a *Article) Editorial {
	e := Editorial{Slug: a.Slug, Title: a.Title, Subtitle: a.Subtitle, Excerpt: a.Excerpt, Body: a.Body, BodyFormat: a.BodyFormat,
		Format: a.Format, Language: a.Language, Source: a.Source, Category: a.Category.Slug,
		Cover: EditorialCover{URL: a.Cover.URL, Alt: a.Cover.Alt, Caption: a.Cover.Caption, Credit: a.Cover.Credit, MediaID: a.Cover.MediaID},
		Tags:  make([]string, len(a.Tags)), Authors: make([]string, len(a.Authors)), ExcerptDerived: a.ExcerptDerived}
	for i, t := range a.Tags {
		e.Tags[i] = t.Slug
	}
	for i, au := range a.Authors {
		e.Authors[i] = au.Slug
	}
	return e
}

// Changed lists the editorial fields that differ from e in after, by
// their JSON names, in a fixed order.
func (e Editorial) Changed(after Editorial) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"slug", e.Slug == after.Slug}, {"title", e.Title == after.Title}, {"subtitle", e.Subtitle == after.Subtitle},
		{"excerpt", e.Excerpt == after.Excerpt}, {"body", e.Body == after.Body && e.BodyFormat == after.BodyFormat},
		{"format", e.Format == after.Format}, {"language", e.Language == after.Language}, {"source", e.Source == after.Source},
		{"category", e.Category == after.Category}, {"tags", slices.Equal(e.Tags, after.Tags)},
		{"authors", slices.Equal(e.Authors, after.Authors)}, {"cover", e.Cover == after.Cover},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// Revised is when a last changed in a way readers are told of, for
// dateModified and a feed entry's updated time: its last editorial edit
// or correction, and never before it was published.
func (a *Article) Revised() time.Time {
	if a.PublishedAt != nil && a.PublishedAt.After(a.ModifiedAt) {
		return *a.PublishedAt
	}
	return a.ModifiedAt
}

// Correction is a public note appended to a published story: what was
// wrong and what is right now. Readers see every one, oldest first.
type Correction struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// MaxCorrectionLen bounds a correction's text, in runes.
const MaxCorrectionLen = 2000

// MaxCorrections bounds the corrections one story keeps.
const MaxCorrections = 100

// AddCorrection appends a correction with text, dated at (nil: now), to
// a, which must be published: a draft is edited, not corrected. The
// date may not be in the future nor before the story was published.
// The story's ModifiedAt moves to now.
func AddCorrection(a *Article, id, text string, at *time.Time, now time.Time) error {
	if !a.Visible(now) {
		return Errorf(ECONFLICT, "Only a published story takes corrections; a draft or scheduled story is edited instead.")
	}
	var p Problems
	text = strings.TrimSpace(text)
	if text == "" {
		p.Add("text", "required")
	} else if msg := CheckPlain(text, MaxCorrectionLen, true); msg != "" {
		p.Add("text", msg)
	}
	when := now
	if at != nil {
		when = at.UTC()
		switch {
		case when.After(now):
			p.Add("at", "must not be in the future")
		case when.Before(*a.PublishedAt):
			p.Add("at", "must not be before the story was published")
		}
	}
	if len(a.Corrections) >= MaxCorrections {
		p.Add("text", fmt.Sprintf("a story keeps at most %d corrections", MaxCorrections))
	}
	if err := p.Err("Correction"); err != nil {
		return err
	}
	a.Corrections = append(a.Corrections, Correction{ID: id, Text: text, At: when.Truncate(time.Microsecond)})
	slices.SortStableFunc(a.Corrections, func(x, y Correction) int { return x.At.Compare(y.At) })
	a.ModifiedAt = now
	return nil
}

// Corrections are stored as a JSON array.
type Corrections []Correction

// Scan reads corrections stored as a JSON array.
func (c *Corrections) Scan(src any) error {
	*c = nil
	if err := scanJSON("corrections", src, c); err != nil {
		return err
	}
	if len(*c) == 0 {
		*c = nil
	}
	return nil
}

// Value stores corrections as a JSON array.
func (c Corrections) Value() (driver.Value, error) {
	if len(c) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal([]Correction(c))
	return string(b), err
}
