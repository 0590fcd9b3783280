package api

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
// (safe to insert as HTML), and its score (higher is better).
type SearchResult struct {
	ArticleSummary
	Snippet string  `json:"snippet" example:"هزّ <mark>انفجار</mark> قوي مرفأ بيروت…" validate:"required"`
	Score   float64 `json:"score" example:"0.61" validate:"required"`
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
	IDs []string `json:"ids" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W,01JD6Q7R2ZK3WJ5M8N9P0Q1R2X"`
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
