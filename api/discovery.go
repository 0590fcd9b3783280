package api

import "time"

// ViewRequest records a read. Apps that know their reader send a stable,
// opaque visitor_id; otherwise the server derives one it never stores.
type ViewRequest struct {
	VisitorID *string `json:"visitor_id,omitempty" example:"app-install-7f3c9a"`
}

// ViewResult says whether the read was counted: a reread by the same
// visitor within 30 minutes, or a read by a known bot, is not.
type ViewResult struct {
	Counted bool `json:"counted" example:"true" validate:"required"`
}

// ViewResponse wraps ViewResult.
type ViewResponse struct {
	Data ViewResult `json:"data" validate:"required"`
}

// SearchResult is an article found by a search: its summary, a snippet
// where the matches are wrapped in <mark> and everything else is escaped
// (safe to insert as HTML), and its score.
type SearchResult struct {
	ArticleSummary
	Snippet string `json:"snippet" example:"هزّ <mark>انفجار</mark> قوي مرفأ بيروت…" validate:"required"`
	// Score is the hit's relevance as a share of the query's best match,
	// 0 to 1 (the best scores 1), on both database engines: keep hits
	// scoring 0.5 or more for "half as relevant as the best" or better.
	Score float64 `json:"score" example:"0.61" minimum:"0" maximum:"1" validate:"required"`
}

// SearchList is a page of search results with the total.
type SearchList struct {
	Data []SearchResult `json:"data" validate:"required"`
	Meta ListMeta       `json:"meta" validate:"required"`
}

// PinRequest sets the related articles editors pin, in order; an empty
// list unpins all. Pinned articles lead the related block whenever
// readers may see them.
type PinRequest struct {
	IDs []string `json:"ids" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W,01JD6Q7R2ZK3WJ5M8N9P0Q1R2X" validate:"required"`
}

// Pinned lists the pinned article ids.
type Pinned struct {
	IDs []string `json:"ids" validate:"required"`
}

// PinnedResponse wraps Pinned.
type PinnedResponse struct {
	Data Pinned `json:"data" validate:"required"`
}

// Home is the front page in one response.
type Home struct {
	Breaking []ArticleSummary `json:"breaking" validate:"required"`
	Featured []ArticleSummary `json:"featured" validate:"required"`
	Sections []HomeSection    `json:"sections" validate:"required"`
	Popular  []ArticleSummary `json:"popular" validate:"required"`
	// Menus and Site are there when asked for with include=menus,site.
	Menus *[]Menu        `json:"menus,omitempty"`
	Site  *Site          `json:"site,omitempty"`
	Ads   *[]AdPlacement `json:"ads,omitempty"`
}

// HomeSection is one top-level section with its latest articles
// (sub-sections included).
type HomeSection struct {
	Category CategoryRef      `json:"category" validate:"required"`
	Articles []ArticleSummary `json:"articles" validate:"required"`
}

// HomeResponse wraps Home.
type HomeResponse struct {
	Data Home `json:"data" validate:"required"`
}

// ChangeList is a page of the sync log, oldest first: each article at
// most once, at its latest change in the page.
type ChangeList struct {
	Data []Change   `json:"data" validate:"required"`
	Meta ChangeMeta `json:"meta" validate:"required"`
}

// Change tells an app's offline copy what to do with one article:
// "upsert" it (article holds it as readers see it now) or "delete" it.
type Change struct {
	Type      string          `json:"type" enums:"upsert,delete" example:"upsert" validate:"required"`
	ID        string          `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W" validate:"required"`
	ChangedAt time.Time       `json:"changed_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	Article   *ArticleSummary `json:"article,omitempty"`
}

// ChangeMeta carries the cursor to ask from next time, and whether more
// changes wait now.
type ChangeMeta struct {
	NextCursor string `json:"next_cursor" example:"eyJxIjo0Mn0" validate:"required"`
	HasMore    bool   `json:"has_more" example:"false" validate:"required"`
	Limit      int    `json:"limit" example:"100" validate:"required"`
}
