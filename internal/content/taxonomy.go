package content

import (
	"strings"
	"time"
)

// Limits for sections, tags and authors, in runes.
const (
	MaxNameLen        = 120
	MaxDescriptionLen = 2000
	MaxBioLen         = 4000
)

// Category is a section of the site: News, Opinion, Report, Caricature.
// Sections nest one level deep.
type Category struct {
	ID           string
	Slug         string
	Name         string
	Description  string
	ParentID     string // "" for a top-level section
	ParentSlug   string
	Position     int
	ArticleCount int // visible articles, when the store counts them
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Tag labels articles across sections.
type Tag struct {
	ID        string
	Slug      string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Author is a byline: a person or a desk ("Levant Desk"), optionally
// linked to a user account.
type Author struct {
	ID        string
	Slug      string
	Name      string
	Bio       string
	AvatarURL string
	UserID    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TermUpdate carries the editable fields of a section, tag or author; nil
// means not sent. Fields that do not apply to a kind are refused by Check.
type TermUpdate struct {
	Slug        *string
	Name        *string
	Description *string // sections
	ParentRef   *string // sections: id or slug of the parent, "" for none
	Position    *int    // sections
	Bio         *string // authors
	AvatarURL   *string // authors
	UserID      *string // authors: "" unlinks
}

// Check validates the sent fields of a term named what ("Category",
// "Tag", "Author"), reporting every problem; creating makes name required.
func (u *TermUpdate) Check(what string, creating bool) error {
	var p Problems
	if u.Name == nil && creating || u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		p.Add("name", "required")
	} else if u.Name != nil {
		if msg := CheckPlain(*u.Name, MaxNameLen, false); msg != "" {
			p.Add("name", msg)
		}
	}
	if u.Slug != nil {
		*u.Slug = NormalizeSlug(*u.Slug)
		if msg := CheckSlug(*u.Slug); msg != "" {
			p.Add("slug", msg)
		}
	}
	if u.Description != nil {
		if msg := CheckPlain(*u.Description, MaxDescriptionLen, true); msg != "" {
			p.Add("description", msg)
		}
	}
	if u.ParentRef != nil {
		if msg := CheckText(*u.ParentRef, MaxSlugLen, false); msg != "" {
			p.Add("parent", msg)
		}
	}
	if u.Position != nil && (*u.Position < 0 || *u.Position > 1_000_000) {
		p.Add("position", "must be between 0 and 1000000")
	}
	if u.Bio != nil {
		if msg := CheckPlain(*u.Bio, MaxBioLen, true); msg != "" {
			p.Add("bio", msg)
		}
	}
	if u.AvatarURL != nil && *u.AvatarURL != "" {
		if msg := CheckURL(*u.AvatarURL, MaxURLLen); msg != "" {
			p.Add("avatar_url", msg)
		}
	}
	if u.UserID != nil {
		if msg := CheckText(*u.UserID, 64, false); msg != "" {
			p.Add("user_id", msg)
		}
	}
	return p.Err(what)
}

// slugOrName returns the slug to store: the one sent, else one made from
// the name.
func slugOrName(slug, name string) string {
	if slug != "" {
		return slug
	}
	return Slugify(name)
}

// ApplyCategory copies the sent fields onto c (ParentRef is the store's).
func (u *TermUpdate) ApplyCategory(c *Category) {
	applyCommon(u, &c.Slug, &c.Name)
	if u.Description != nil {
		c.Description = strings.TrimSpace(*u.Description)
	}
	if u.Position != nil {
		c.Position = *u.Position
	}
}

// ApplyTag copies the sent fields onto t.
func (u *TermUpdate) ApplyTag(t *Tag) { applyCommon(u, &t.Slug, &t.Name) }

// ApplyAuthor copies the sent fields onto a.
func (u *TermUpdate) ApplyAuthor(a *Author) {
	applyCommon(u, &a.Slug, &a.Name)
	if u.Bio != nil {
		a.Bio = strings.TrimSpace(*u.Bio)
	}
	if u.AvatarURL != nil {
		a.AvatarURL = *u.AvatarURL
	}
	if u.UserID != nil {
		a.UserID = *u.UserID
	}
}

func applyCommon(u *TermUpdate, slug, name *string) {
	if u.Name != nil {
		*name = strings.TrimSpace(*u.Name)
	}
	if u.Slug != nil {
		*slug = *u.Slug
	}
	*slug = slugOrName(*slug, *name)
}
