package api

import "time"

// Site is what a reader's client needs of the site around the story: its
// name and description (in the language asked for, and in every one),
// languages, pictures, social accounts, where its pages are, and the
// newsletter block's copy.
type Site struct {
	Name         string            `json:"name" example:"The Daily" validate:"required"`
	Names        map[string]string `json:"names" example:"ar:اليومية,en:The Daily" validate:"required"`
	Description  string            `json:"description" example:"News from the Levant." validate:"required"`
	Descriptions map[string]string `json:"descriptions" example:"ar:أخبار المشرق,en:News from the Levant." validate:"required"`
	// DefaultLanguage is the language of links made for none in
	// particular; Languages are those the site offers.
	DefaultLanguage string   `json:"default_language" example:"ar" validate:"required"`
	Languages       []string `json:"languages" example:"ar,en" validate:"required"`
	// URL and Paths are where the site's pages are ({slug}, {lang},
	// {category}, {id}).
	URL     string    `json:"url" example:"https://www.example.com" validate:"required"`
	Paths   SitePaths `json:"paths" validate:"required"`
	Logo    *Image    `json:"logo,omitempty"`
	Favicon *Image    `json:"favicon,omitempty"`
	OGImage *Image    `json:"og_image,omitempty"`
	// Social maps networks (x, facebook, instagram, youtube, telegram,
	// whatsapp) to the site's handle or URL there.
	Social       map[string]string `json:"social" example:"x:@thedaily" validate:"required"`
	Copyright    string            `json:"copyright" example:"© The Daily" validate:"required"`
	ContactEmail string            `json:"contact_email" example:"desk@example.com" validate:"required"`
	Newsletter   NewsletterBlock   `json:"newsletter" validate:"required"`
	Version      int               `json:"version" example:"3" validate:"required"`
	UpdatedAt    *time.Time        `json:"updated_at,omitempty" example:"2026-11-26T09:00:00Z"`
}

// SitePaths are the site's page templates.
type SitePaths struct {
	Article string `json:"article" example:"/{category}/{slug}" validate:"required"`
	Section string `json:"section" example:"/{slug}" validate:"required"`
	Tag     string `json:"tag" example:"/tag/{slug}" validate:"required"`
	Author  string `json:"author" example:"/author/{slug}" validate:"required"`
}

// NewsletterBlock is the newsletter block: its copy in the language asked
// for, the copy in every language, and the sections a reader may choose.
type NewsletterBlock struct {
	Title    string          `json:"title" example:"Subscribe to our mailing list to get the new updates!" validate:"required"`
	Lead     string          `json:"lead" example:"" validate:"required"`
	Button   string          `json:"button" example:"Subscribe" validate:"required"`
	Consent  string          `json:"consent" example:"" validate:"required"`
	Copy     NewsletterTexts `json:"copy" validate:"required"`
	Sections []string        `json:"sections" example:"news,opinion" validate:"required"`
}

// NewsletterTexts are the newsletter block's texts by language.
type NewsletterTexts struct {
	Title   map[string]string `json:"title,omitempty" example:"ar:اشترك في نشرتنا,en:Subscribe to our mailing list to get the new updates!"`
	Lead    map[string]string `json:"lead,omitempty"`
	Button  map[string]string `json:"button,omitempty" example:"ar:اشترك,en:Subscribe"`
	Consent map[string]string `json:"consent,omitempty"`
}

// SiteResponse wraps the site.
type SiteResponse struct {
	Data Site `json:"data" validate:"required"`
}

// SitePicture is a logo, favicon or sharing image: a media item or a URL
// ({} removes it).
type SitePicture struct {
	MediaID string `json:"media_id,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"`
	URL     string `json:"url,omitempty" example:""`
}

// SiteRequest changes the settings sent; a value set here wins over the
// environment's (MASTHEAD_PUBLICATION_NAME, …), which only fills a fresh
// install.
type SiteRequest struct {
	Name            *string            `json:"name,omitempty" example:"The Daily"`
	Names           map[string]string  `json:"names,omitempty" example:"ar:اليومية,en:The Daily"`
	Descriptions    map[string]string  `json:"descriptions,omitempty" example:"ar:أخبار المشرق,en:News from the Levant."`
	DefaultLanguage *string            `json:"default_language,omitempty" example:"ar"`
	Languages       []string           `json:"languages,omitempty" example:"ar,en"`
	Logo            *SitePicture       `json:"logo,omitempty"`
	Favicon         *SitePicture       `json:"favicon,omitempty"`
	OGImage         *SitePicture       `json:"og_image,omitempty"`
	Social          map[string]string  `json:"social,omitempty" example:"x:@thedaily"`
	Copyright       map[string]string  `json:"copyright,omitempty" example:"ar:© اليومية,en:© The Daily"`
	ContactEmail    *string            `json:"contact_email,omitempty" example:"desk@example.com"`
	Newsletter      *NewsletterRequest `json:"newsletter,omitempty"`
}

// NewsletterRequest replaces the newsletter block's copy and sections.
type NewsletterRequest struct {
	Title    map[string]string `json:"title,omitempty" example:"ar:اشترك في نشرتنا,en:Subscribe to our mailing list to get the new updates!"`
	Lead     map[string]string `json:"lead,omitempty"`
	Button   map[string]string `json:"button,omitempty" example:"ar:اشترك,en:Subscribe"`
	Consent  map[string]string `json:"consent,omitempty"`
	Sections []string          `json:"sections,omitempty" example:"news,opinion"`
}
