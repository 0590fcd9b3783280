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
	Names        Texts // the name per language; Name is the fallback
	Descriptions Texts
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
	Names     Texts
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
	Names     Texts
	Bios      Texts
	AvatarURL string
	// AvatarMediaID is a photo from the library (Avatar is filled when
	// the store reads it); AvatarURL an external one.
	AvatarMediaID string `gorm:"-"`
	Avatar        *Media `gorm:"-"`
	UserID        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Term is what sections, tags and authors share: a name, in one or
// more languages, and the slug their pages are found by. A nil field was
// not sent.
type Term struct {
	Slug  *string
	Name  *string
	Names *Texts
	// DefaultLanguage is the site's: when names are sent without a
	// name, name becomes the names entry in it (the first otherwise).
	DefaultLanguage string
}

// check validates the sent name and slug; creating makes a name (or
// names) required.
func (t *Term) check(p *Problems, creating bool) {
	if t.Names != nil {
		t.Names.check(p, "names", MaxNameLen, false, false)
		if t.Name == nil {
			if v, ok := t.Names.Default(t.DefaultLanguage, creating); ok {
				t.Name = &v
			}
		}
	}
	if t.Name == nil && creating || t.Name != nil && strings.TrimSpace(*t.Name) == "" {
		p.Add("name", "required")
	} else if t.Name != nil {
		if msg := CheckPlain(*t.Name, MaxNameLen, false); msg != "" {
			p.Add("name", msg)
		}
	}
	if t.Slug != nil {
		*t.Slug = NormalizeSlug(*t.Slug)
		if msg := CheckSlug(*t.Slug); msg != "" {
			p.Add("slug", msg)
		}
	}
}

// apply copies the sent name, names and slug; a term without a slug
// gets one made from its name.
func (t *Term) apply(slug, name *string, names *Texts) {
	if t.Name != nil {
		*name = strings.TrimSpace(*t.Name)
	}
	if t.Names != nil {
		*names = *t.Names
	}
	if t.Slug != nil {
		*slug = *t.Slug
	}
	if *slug == "" {
		*slug = Slugify(*name)
	}
}

// CategoryUpdate carries the editable fields of a section.
type CategoryUpdate struct {
	Term
	Description  *string
	Descriptions *Texts
	ParentRef    *string // id or slug of the parent, "" for none
	Position     *int
}

// Check validates the fields sent, reporting every problem.
func (u *CategoryUpdate) Check(creating bool) error {
	var p Problems
	u.check(&p, creating)
	if u.Descriptions != nil {
		u.Descriptions.check(&p, "descriptions", MaxDescriptionLen, true, false)
		if u.Description == nil {
			if v, ok := u.Descriptions.Default(u.DefaultLanguage, creating); ok {
				u.Description = &v
			}
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
	return p.Err("Category")
}

// Apply copies the sent fields onto c; the parent is resolved by the
// store and checked with CheckParent.
func (u *CategoryUpdate) Apply(c *Category) {
	u.apply(&c.Slug, &c.Name, &c.Names)
	if u.Description != nil {
		c.Description = strings.TrimSpace(*u.Description)
	}
	if u.Descriptions != nil {
		c.Descriptions = *u.Descriptions
	}
	if u.Position != nil {
		c.Position = *u.Position
	}
}

// TagUpdate carries the editable fields of a tag.
type TagUpdate struct{ Term }

// Check validates the fields sent, reporting every problem.
func (u *TagUpdate) Check(creating bool) error {
	var p Problems
	u.check(&p, creating)
	return p.Err("Tag")
}

// Apply copies the sent fields onto t.
func (u *TagUpdate) Apply(t *Tag) { u.apply(&t.Slug, &t.Name, &t.Names) }

// AuthorUpdate carries the editable fields of an author.
type AuthorUpdate struct {
	Term
	Bio           *string
	Bios          *Texts
	AvatarURL     *string
	AvatarMediaID *string // "" removes
	UserID        *string // "" unlinks
}

// Check validates the fields sent, reporting every problem.
func (u *AuthorUpdate) Check(creating bool) error {
	var p Problems
	u.check(&p, creating)
	if u.Bios != nil {
		u.Bios.check(&p, "bios", MaxBioLen, true, false)
		if u.Bio == nil {
			if v, ok := u.Bios.Default(u.DefaultLanguage, creating); ok {
				u.Bio = &v
			}
		}
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
	if u.AvatarMediaID != nil && *u.AvatarMediaID != "" && u.AvatarURL != nil && *u.AvatarURL != "" {
		p.Add("avatar_media_id", "give a media item or an avatar_url, not both")
	}
	if u.UserID != nil {
		if msg := CheckText(*u.UserID, 64, false); msg != "" {
			p.Add("user_id", msg)
		}
	}
	return p.Err("Author")
}

// Apply copies the sent fields onto a.
func (u *AuthorUpdate) Apply(a *Author) {
	u.apply(&a.Slug, &a.Name, &a.Names)
	if u.Bio != nil {
		a.Bio = strings.TrimSpace(*u.Bio)
	}
	if u.Bios != nil {
		a.Bios = *u.Bios
	}
	if u.AvatarURL != nil {
		a.AvatarURL = *u.AvatarURL
	}
	if u.AvatarMediaID != nil {
		a.AvatarMediaID, a.Avatar = strings.TrimSpace(*u.AvatarMediaID), nil
	}
	if u.UserID != nil {
		a.UserID = *u.UserID
	}
}

// Section nesting errors: sections nest one level deep.
var (
	ErrParentIsSelf      = &Error{Code: EINVALID, Message: "Category is invalid.", Fields: map[string]string{"parent": "must not be the category itself"}}
	ErrParentNotTopLevel = &Error{Code: EINVALID, Message: "Category is invalid.", Fields: map[string]string{"parent": "must be a top-level category: sections nest one level deep"}}
	ErrParentHasChildren = &Error{Code: EINVALID, Message: "Category is invalid.", Fields: map[string]string{"parent": "a category with children cannot have a parent"}}
)

// CheckParent reports whether c may become a sub-section of parent;
// hasChildren says whether c has sub-sections of its own.
func CheckParent(c, parent *Category, hasChildren bool) error {
	switch {
	case parent.ID == c.ID:
		return ErrParentIsSelf
	case parent.ParentID != "":
		return ErrParentNotTopLevel
	case hasChildren:
		return ErrParentHasChildren
	}
	return nil
}
