package api

import "time"

// Page is a static page of the site in one language.
type Page struct {
	ID         string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R50" validate:"required"`
	Slug       string `json:"slug" example:"about" validate:"required"`
	Language   string `json:"language" example:"en" validate:"required"`
	Direction  string `json:"direction" example:"ltr" enums:"rtl,ltr" validate:"required"`
	Title      string `json:"title" example:"About us" validate:"required"`
	Body       string `json:"body" example:"We report from Beirut, Damascus and Amman." validate:"required"`
	BodyFormat string `json:"body_format" example:"markdown" enums:"markdown,html" validate:"required"`
	BodyHTML   string `json:"body_html" example:"<p>We report from Beirut, Damascus and Amman.</p>" validate:"required"`
	Published  bool   `json:"published" example:"true" validate:"required"`
	// URL is the page on the public site (MASTHEAD_PAGE_PATH).
	URL         string     `json:"url" example:"https://www.example.com/about" validate:"required"`
	Version     int        `json:"version" example:"2" validate:"required"`
	CreatedAt   time.Time  `json:"created_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	UpdatedAt   time.Time  `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	PublishedAt *time.Time `json:"published_at,omitempty" example:"2026-11-26T09:00:00Z"`
}

// PageList lists pages by slug.
type PageList struct {
	Data []Page   `json:"data" validate:"required"`
	Meta ListMeta `json:"meta" validate:"required"`
}

// PageResponse wraps one page.
type PageResponse struct {
	Data Page `json:"data" validate:"required"`
}

// PageRequest creates or edits a page; title, body and language are
// required on create, the slug is made from the title when absent.
type PageRequest struct {
	Slug       *string `json:"slug,omitempty" example:"about"`
	Title      *string `json:"title,omitempty" example:"About us"`
	Body       *string `json:"body,omitempty" example:"We report from Beirut, Damascus and Amman."`
	BodyFormat *string `json:"body_format,omitempty" example:"markdown" enums:"markdown,html"`
	Language   *string `json:"language,omitempty" example:"en"`
	Published  *bool   `json:"published,omitempty" example:"true"`
}
