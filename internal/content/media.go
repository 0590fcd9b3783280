package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Media is an image in the newsroom's library.
type Media struct {
	ID            string
	Hash          string // SHA-256 of the original as served
	Type, Ext     string // sniffed from the bytes
	Width, Height int
	Bytes         int64
	Color         string // dominant, #rrggbb
	Placeholder   string // BlurHash
	Alpha         bool
	FocalX        float64 // 0–1 from the left
	FocalY        float64 // 0–1 from the top
	Alt           Texts
	Caption       Texts
	Credit        Texts
	Filename      string
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

// Pick is the text in lang, else in fallback, else in the first language
// there is one in: a reader always gets a caption when one was written.
func (t Texts) Pick(lang, fallback string) string {
	if v := t[lang]; v != "" {
		return v
	}
	if v := t[fallback]; v != "" {
		return v
	}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// MediaUpdate is a change to a media item's editorial metadata; nil
// fields stay as they are. A text map replaces the languages it names; a
// language given "" is removed.
type MediaUpdate struct {
	Alt, Caption, Credit Texts
	FocalX, FocalY       *float64
}

// Limits of a media item's texts.
const (
	MaxAltLen    = 300
	MaxCreditLen = 200
)

// Validate checks u, canonicalising its language tags.
func (u *MediaUpdate) Validate() error {
	var p Problems
	for _, f := range []struct {
		name string
		t    *Texts
		max  int
	}{{"alt", &u.Alt, MaxAltLen}, {"caption", &u.Caption, MaxCaptionLen}, {"credit", &u.Credit, MaxCreditLen}} {
		if *f.t == nil {
			continue
		}
		out := Texts{}
		for tag, v := range *f.t {
			lang, _, err := ParseLanguage(tag)
			if err != nil {
				p.Add(f.name, fmt.Sprintf("%q is not a BCP 47 language tag such as ar or en", tag))
				continue
			}
			if msg := CheckPlain(v, f.max, false); msg != "" {
				p.Add(f.name+"."+tag, msg)
				continue
			}
			out[lang] = strings.TrimSpace(v)
		}
		*f.t = out
	}
	if (u.FocalX == nil) != (u.FocalY == nil) {
		p.Add("focal", "needs both x and y")
	}
	for name, v := range map[string]*float64{"focal.x": u.FocalX, "focal.y": u.FocalY} {
		if v != nil && !(*v >= 0 && *v <= 1) {
			p.Add(name, "must be from 0 to 1")
		}
	}
	return p.Err("Media item")
}

// Apply writes u onto m.
func (u *MediaUpdate) Apply(m *Media) {
	for _, f := range []struct{ from, to *Texts }{{&u.Alt, &m.Alt}, {&u.Caption, &m.Caption}, {&u.Credit, &m.Credit}} {
		if *f.from == nil {
			continue
		}
		if *f.to == nil {
			*f.to = Texts{}
		}
		for k, v := range *f.from {
			if v == "" {
				delete(*f.to, k)
			} else {
				(*f.to)[k] = v
			}
		}
	}
	if u.FocalX != nil {
		m.FocalX, m.FocalY = *u.FocalX, *u.FocalY
	}
}

// MediaUse is a place a media item is shown.
type MediaUse struct {
	Kind  string // "article cover", "author avatar"
	ID    string
	Title string
}

// MediaFilter selects the library's items, newest first.
type MediaFilter struct {
	Type  string // a MIME type
	Query string // in captions and credits
	Limit int
	Page  int
}

// Errors of the media rules.
var (
	ErrNotYourMedia = &Error{Code: EFORBIDDEN, Message: "Writers may change only the media items they uploaded."}
	ErrForceDelete  = &Error{Code: EFORBIDDEN, Message: "Deleting a media item in use needs the editor role."}
)

// CanEditMedia reports whether who may change or delete m: editors and
// admins any item, writers those they uploaded.
func CanEditMedia(who Actor, m *Media) error {
	if who.Role.AtLeast(RoleEditor) || m.CreatedBy == who.UserID {
		return nil
	}
	return ErrNotYourMedia
}

// CanDeleteMedia reports whether who may delete m, shown in uses: an
// item in use goes only when an editor forces it, and the places that
// showed it lose the image.
func CanDeleteMedia(who Actor, m *Media, uses []MediaUse, force bool) error {
	if err := CanEditMedia(who, m); err != nil {
		return err
	}
	if len(uses) == 0 {
		return nil
	}
	if !force {
		where := make([]string, 0, len(uses))
		for i, u := range uses {
			if i == 5 {
				where = append(where, fmt.Sprintf("and %d more", len(uses)-5))
				break
			}
			where = append(where, fmt.Sprintf("%s %s (%q)", u.Kind, u.ID, u.Title))
		}
		return Errorf(ECONFLICT, "The media item is in use: %s. Remove it there first, or delete with force=true (editors).", strings.Join(where, ", "))
	}
	if !who.Role.AtLeast(RoleEditor) {
		return ErrForceDelete
	}
	return nil
}
