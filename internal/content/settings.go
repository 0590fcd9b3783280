package content

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Settings are the site's settings the newsroom edits without a deploy:
// the publication's name and description in each language, its logo,
// social accounts and the newsletter block's copy. A field left empty
// falls back to the environment's value (Site), so a fresh install runs
// on its environment alone.
type Settings struct {
	Name            string   `json:"name,omitempty"`
	Names           Texts    `json:"names,omitempty"`
	Descriptions    Texts    `json:"descriptions,omitempty"`
	DefaultLanguage string   `json:"default_language,omitempty"`
	Languages       []string `json:"languages,omitempty"`
	Logo            Picture  `json:"logo"`
	// LogoMedia is the logo's media item, filled when the store reads
	// the settings (nil for a URL, none, or a deleted item).
	LogoMedia *Media  `json:"-"`
	Favicon   Picture `json:"favicon"`
	OGImage   Picture `json:"og_image"`
	// Social maps a network (SocialNetworks) to the site's account there:
	// a handle or a URL.
	Social       map[string]string `json:"social,omitempty"`
	Copyright    Texts             `json:"copyright,omitempty"`
	ContactEmail string            `json:"contact_email,omitempty"`
	Newsletter   NewsletterCopy    `json:"newsletter"`
	Version      int               `json:"-"`
	UpdatedAt    time.Time         `json:"-"`
}

// Picture is an image of the site: a media item from the library, or a
// URL until there is one.
type Picture struct {
	MediaID string `json:"media_id,omitempty"`
	URL     string `json:"url,omitempty"`
}

// NewsletterCopy is the newsletter block's text in each language and the
// sections a reader may choose.
type NewsletterCopy struct {
	Title    Texts    `json:"title,omitempty"`
	Lead     Texts    `json:"lead,omitempty"`
	Button   Texts    `json:"button,omitempty"`
	Consent  Texts    `json:"consent,omitempty"`
	Sections []string `json:"sections,omitempty"` // slugs
}

// SocialNetworks are the networks a site may list accounts on.
var SocialNetworks = []string{"x", "facebook", "instagram", "youtube", "telegram", "whatsapp"}

// Site is the environment's site with these settings over it: the name
// and default language set through the API win.
func (st *Settings) Site(env Site) Site {
	if st == nil {
		return env
	}
	out := env
	if st.Name != "" {
		out.Name = st.Name
	}
	if len(st.Names) > 0 {
		out.Names = Texts{}
		for k, v := range env.Names {
			out.Names[k] = v
		}
		for k, v := range st.Names {
			out.Names[k] = v
		}
	}
	if st.DefaultLanguage != "" {
		out.DefaultLanguage = st.DefaultLanguage
	}
	out.Logo, out.LogoMedia = st.Logo, st.LogoMedia
	return out
}

// SettingsUpdate changes the settings sent; nil fields stay.
type SettingsUpdate struct {
	Name            *string
	Names           *Texts
	Descriptions    *Texts
	DefaultLanguage *string
	Languages       *[]string
	Logo            *Picture
	Favicon         *Picture
	OGImage         *Picture
	Social          *map[string]string
	Copyright       *Texts
	ContactEmail    *string
	Newsletter      *NewsletterCopy
}

// Limits of the settings.
const (
	MaxSiteNameLen    = 200
	MaxSiteDescLen    = 1000
	MaxNewsletterText = 1000
)

// Check validates the fields sent, making language tags canonical, and
// reports every problem. Media items and sections are checked by the
// store, which knows them.
func (u *SettingsUpdate) Check() error {
	var p Problems
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		if *u.Name == "" {
			p.Add("name", "required: a name readers of any language get")
		} else if msg := CheckPlain(*u.Name, MaxSiteNameLen, false); msg != "" {
			p.Add("name", msg)
		}
	}
	if u.Names != nil {
		u.Names.check(&p, "names", MaxSiteNameLen, false, false)
	}
	if u.Descriptions != nil {
		u.Descriptions.check(&p, "descriptions", MaxSiteDescLen, true, false)
	}
	if u.Copyright != nil {
		u.Copyright.check(&p, "copyright", MaxSiteNameLen, false, false)
	}
	if u.Languages != nil {
		seen := map[string]bool{}
		for i, l := range *u.Languages {
			canonical, _, err := ParseLanguage(l)
			switch {
			case err != nil:
				p.Add("languages", fmt.Sprintf("%q is not a BCP 47 language tag", l))
			case seen[canonical]:
				p.Add("languages", fmt.Sprintf("%q is given twice", canonical))
			default:
				seen[canonical], (*u.Languages)[i] = true, canonical
			}
		}
		if len(*u.Languages) > MaxLanguages {
			p.Add("languages", fmt.Sprintf("at most %d languages", MaxLanguages))
		}
	}
	if u.DefaultLanguage != nil && *u.DefaultLanguage != "" {
		canonical, _, err := ParseLanguage(*u.DefaultLanguage)
		if err != nil {
			p.Add("default_language", "must be a BCP 47 language tag such as ar or en")
		} else {
			*u.DefaultLanguage = canonical
			if u.Languages != nil && len(*u.Languages) > 0 && !slices.Contains(*u.Languages, canonical) {
				p.Add("default_language", "must be one of languages")
			}
		}
	}
	for _, f := range []struct {
		name string
		pic  *Picture
	}{{"logo", u.Logo}, {"favicon", u.Favicon}, {"og_image", u.OGImage}} {
		if f.pic == nil {
			continue
		}
		f.pic.MediaID, f.pic.URL = strings.TrimSpace(f.pic.MediaID), strings.TrimSpace(f.pic.URL)
		switch {
		case f.pic.MediaID != "" && f.pic.URL != "":
			p.Add(f.name, "give a media_id or a url, not both")
		case f.pic.MediaID != "" && !mediaID.MatchString(f.pic.MediaID):
			p.Add(f.name+".media_id", "must be a media item id")
		case f.pic.URL != "":
			if msg := CheckURL(f.pic.URL, MaxURLLen); msg != "" {
				p.Add(f.name+".url", msg)
			}
		}
	}
	if u.Social != nil {
		for network, account := range *u.Social {
			if !slices.Contains(SocialNetworks, network) {
				p.Add("social", fmt.Sprintf("%q is not a network: use %s", network, strings.Join(SocialNetworks, ", ")))
				continue
			}
			account = strings.TrimSpace(account)
			if account == "" {
				(*u.Social)[network] = "" // removes the account
				continue
			}
			if strings.Contains(account, ":") {
				if msg := CheckURL(account, MaxURLLen); msg != "" {
					p.Add("social."+network, msg)
				}
			} else if account == "" || CheckPlain(account, 100, false) != "" || strings.ContainsAny(account, " /<>\"") {
				p.Add("social."+network, "must be a handle such as @thedaily or an http(s) URL")
			}
			(*u.Social)[network] = account
		}
	}
	if u.ContactEmail != nil && *u.ContactEmail != "" {
		if msg := CheckEmail(*u.ContactEmail); msg != "" {
			p.Add("contact_email", msg)
		}
	}
	if n := u.Newsletter; n != nil {
		for _, f := range []struct {
			name string
			t    *Texts
		}{{"newsletter.title", &n.Title}, {"newsletter.lead", &n.Lead}, {"newsletter.button", &n.Button}, {"newsletter.consent", &n.Consent}} {
			f.t.check(&p, f.name, MaxNewsletterText, true, false)
		}
		for i, slug := range n.Sections {
			n.Sections[i] = NormalizeSlug(slug)
			if msg := CheckSlug(n.Sections[i]); msg != "" {
				p.Add("newsletter.sections", msg)
			}
		}
	}
	return p.Err("Settings")
}

// Apply copies the fields sent onto st.
func (u *SettingsUpdate) Apply(st *Settings) {
	set := func(dst *Texts, src *Texts) {
		if src != nil {
			*dst = *src
		}
	}
	if u.Name != nil {
		st.Name = *u.Name
	}
	set(&st.Names, u.Names)
	set(&st.Descriptions, u.Descriptions)
	set(&st.Copyright, u.Copyright)
	if u.DefaultLanguage != nil {
		st.DefaultLanguage = *u.DefaultLanguage
	}
	if u.Languages != nil {
		st.Languages = *u.Languages
	}
	for _, f := range []struct{ dst, src *Picture }{{&st.Logo, u.Logo}, {&st.Favicon, u.Favicon}, {&st.OGImage, u.OGImage}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if u.Social != nil {
		st.Social = map[string]string{}
		for k, v := range *u.Social {
			if v != "" {
				st.Social[k] = v
			}
		}
	}
	if u.ContactEmail != nil {
		st.ContactEmail = *u.ContactEmail
	}
	if u.Newsletter != nil {
		st.Newsletter = *u.Newsletter
	}
}
