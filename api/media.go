package api

import "time"

// Media is an item of the media library, as editors see it: its texts in
// every language written, and where its files are served.
type Media struct {
	ID     string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"`
	Type   string `json:"type" example:"image/jpeg"`
	Width  int    `json:"width" example:"6000"`
	Height int    `json:"height" example:"4000"`
	// Bytes is the size of the original as served, metadata removed.
	Bytes       int64  `json:"bytes" example:"4821337"`
	Color       string `json:"color" example:"#6b7f8c"`
	Placeholder string `json:"placeholder" example:"LEHV6nWB2yk8pyo0adR*.7kCMdnj"`
	Focal       Focal  `json:"focal"`
	// Alt, Caption and Credit are by language tag.
	Alt      map[string]string `json:"alt"`
	Caption  map[string]string `json:"caption"`
	Credit   map[string]string `json:"credit"`
	Filename string            `json:"filename" example:"IMG_2041.jpg"`
	// URL is the original, upright, without metadata.
	URL    string        `json:"url" example:"https://api.example.com/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/3f2a9c1b7e/original.jpg"`
	Srcset []ImageSource `json:"srcset"`
	// Crops are the named cuts around the focal point: og (1200×630),
	// 16x9, 4x3 and square.
	Crops     map[string]string `json:"crops"`
	CreatedBy string            `json:"created_by,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2U"`
	Version   int               `json:"version" example:"1"`
	CreatedAt time.Time         `json:"created_at" example:"2026-11-26T09:00:00Z"`
	UpdatedAt time.Time         `json:"updated_at" example:"2026-11-26T09:00:00Z"`
}

// Focal is the point a crop keeps, x and y from 0 to 1 from the top left.
type Focal struct {
	X float64 `json:"x" example:"0.5" validate:"required"`
	Y float64 `json:"y" example:"0.4" validate:"required"`
}

// MediaResponse is one media item.
type MediaResponse struct {
	Data Media `json:"data"`
}

// MediaList is a page of the media library, newest first.
type MediaList struct {
	Data []Media  `json:"data"`
	Meta ListMeta `json:"meta"`
}

// MediaRequest edits a media item's texts and focal point. A text object
// replaces the languages it names; a language given "" is removed.
type MediaRequest struct {
	Alt     map[string]string `json:"alt,omitempty"`
	Caption map[string]string `json:"caption,omitempty"`
	Credit  map[string]string `json:"credit,omitempty"`
	Focal   *Focal            `json:"focal,omitempty"`
}
