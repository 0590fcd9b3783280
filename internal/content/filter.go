package content

import "time"

// Page sizes for lists.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxPage      = 10_000
)

// TermPage is one page of a tag or author list, by name.
type TermPage struct {
	Limit int // 1 to MaxTermLimit
	Page  int // from 1
}

// Tag and author lists: a newsroom has hundreds, so a page holds up to
// a thousand and the default page all of them for most sites.
const (
	DefaultTermLimit = 1000
	MaxTermLimit     = 1000
)

// ArticleSort names an order for article lists.
type ArticleSort string

// The orders readers may ask for; each has an index behind it.
const (
	SortNewest         ArticleSort = "-published_at"
	SortOldest         ArticleSort = "published_at"
	SortRecentlyEdited ArticleSort = "-updated_at"
)

// ArticleSorts lists the accepted orders.
var ArticleSorts = []ArticleSort{SortNewest, SortOldest, SortRecentlyEdited}

// Cursor marks where a keyset page ended: the sort key and id of its last
// article.
type Cursor struct {
	Key time.Time
	ID  string
}

// ArticleFilter selects articles. Zero fields do not filter. With
// Statuses empty, only reader-visible articles match.
type ArticleFilter struct {
	Category string // slug; includes child sections
	Tag      string // slug
	Author   string // slug
	Format   string
	Language string
	Featured *bool
	Breaking *bool
	Since    *time.Time
	Until    *time.Time
	// UpdatedSince keeps articles edited at or after it (apps refreshing
	// a copy).
	UpdatedSince *time.Time

	// Statuses, for editors, lists non-public articles by status.
	Statuses []Status
	// CreatedBy limits the list to one user's articles (writers).
	CreatedBy string

	// WithBody fetches the body too, for feeds that carry it.
	WithBody bool

	Sort   ArticleSort
	Limit  int
	Page   int     // offset paging when > 0
	Cursor *Cursor // keyset paging
}

// ArticlePage is one page of articles. Total is set for offset paging;
// Next for keyset paging when more follow.
type ArticlePage struct {
	Articles []*Article
	Total    int
	Next     *Cursor
}

// Window is a span of time popular articles are ranked over.
type Window string

// The windows; trending ranks by a time-decayed score instead.
const (
	Window1h       Window = "1h"
	Window24h      Window = "24h"
	Window7d       Window = "7d"
	Window30d      Window = "30d"
	WindowAll      Window = "all"
	WindowTrending Window = "trending"
)

// Windows lists the accepted windows.
var Windows = []Window{Window1h, Window24h, Window7d, Window30d, WindowAll, WindowTrending}

// PopularFilter selects popular articles.
type PopularFilter struct {
	Window   Window
	Category string // slug; includes child sections
	Language string
	Exclude  string // an article id to leave out (the one being read)
	Limit    int
}
