package api

import "time"

// AdPlacement is a named ad slot and the creatives that fill it.
type AdPlacement struct {
	Name  string   `json:"name" example:"top-leaderboard" validate:"required"`
	Sizes []AdSize `json:"sizes" validate:"required"`
	Pages []string `json:"pages" example:"home,article" validate:"required"`
	// Sections limit the slot to those sections' pages and articles
	// ([] for all); ExcludeFormats are article formats it never shows on.
	Sections       []string `json:"sections" example:"news" validate:"required"`
	ExcludeFormats []string `json:"exclude_formats" example:"" validate:"required"`
	// Paragraph places an in-article slot after that paragraph (0: not
	// in the story).
	Paragraph int          `json:"paragraph" example:"3" validate:"required"`
	Active    bool         `json:"active" example:"true" validate:"required"`
	Creatives []AdCreative `json:"creatives" validate:"required"`
	Version   int          `json:"version" example:"2" validate:"required"`
	UpdatedAt time.Time    `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// AdSize is a creative size in CSS pixels.
type AdSize struct {
	Width  int `json:"width" example:"728" minimum:"1" maximum:"2000" validate:"required"`
	Height int `json:"height" example:"90" minimum:"1" maximum:"2000" validate:"required"`
}

// AdCreative is one ad: an image with its click-through, an ad-server
// unit for the frontend's tag to fill, or raw HTML (unsanitized: true),
// which the API returns exactly as an admin set it: render it only in a
// sandboxed iframe. The client rotates creatives by weight.
type AdCreative struct {
	ID          string     `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R40" validate:"required"`
	Kind        string     `json:"kind" example:"image" enums:"image,unit,html" validate:"required"`
	Image       *Image     `json:"image,omitempty"`
	ClickURL    string     `json:"click_url,omitempty" example:"https://advertiser.example.com/offer"`
	Alt         string     `json:"alt,omitempty" example:"Winter sale"`
	Unit        string     `json:"unit,omitempty" example:"/1234/home/leaderboard"`
	HTML        string     `json:"html,omitempty" example:""`
	Unsanitized bool       `json:"unsanitized,omitempty" example:"false"`
	Start       *time.Time `json:"start,omitempty" example:"2026-12-01T00:00:00Z"`
	End         *time.Time `json:"end,omitempty" example:"2026-12-31T00:00:00Z"`
	Weight      int        `json:"weight" example:"1" validate:"required"`
	Language    string     `json:"language,omitempty" example:"ar"`
	Active      bool       `json:"active" example:"true" validate:"required"`
}

// AdList lists placements.
type AdList struct {
	Data []AdPlacement `json:"data" validate:"required"`
	Meta ListMeta      `json:"meta" validate:"required"`
}

// AdPlacementResponse wraps one placement.
type AdPlacementResponse struct {
	Data AdPlacement `json:"data" validate:"required"`
}

// AdPlacementRequest sets a placement and its creatives.
type AdPlacementRequest struct {
	Sizes          []AdSize            `json:"sizes" validate:"required"`
	Pages          []string            `json:"pages" example:"home,article" validate:"required"`
	Sections       []string            `json:"sections,omitempty" example:"news"`
	ExcludeFormats []string            `json:"exclude_formats,omitempty" example:""`
	Paragraph      int                 `json:"paragraph,omitempty" example:"0"`
	Active         *bool               `json:"active,omitempty" example:"true"`
	Creatives      []AdCreativeRequest `json:"creatives,omitempty"`
}

// AdCreativeRequest is one creative; id keeps an existing one's. html is
// for admins only.
type AdCreativeRequest struct {
	ID       string       `json:"id,omitempty" example:""`
	Kind     string       `json:"kind" example:"image" enums:"image,unit,html" validate:"required"`
	Image    *SitePicture `json:"image,omitempty"`
	ClickURL string       `json:"click_url,omitempty" example:"https://advertiser.example.com/offer"`
	Alt      string       `json:"alt,omitempty" example:"Winter sale"`
	Unit     string       `json:"unit,omitempty" example:"/1234/home/leaderboard"`
	HTML     string       `json:"html,omitempty" example:""`
	Start    *time.Time   `json:"start,omitempty" example:"2026-12-01T00:00:00Z"`
	End      *time.Time   `json:"end,omitempty" example:"2026-12-31T00:00:00Z"`
	Weight   int          `json:"weight,omitempty" example:"1"`
	Language string       `json:"language,omitempty" example:"ar"`
	Active   *bool        `json:"active,omitempty" example:"true"`
}
