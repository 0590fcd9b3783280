package api

import "time"

// Menu is a navigation menu as readers of one language get it: items
// whose target is gone are left out.
type Menu struct {
	Name      string     `json:"name" example:"header" validate:"required"`
	Items     []MenuItem `json:"items" validate:"required"`
	Version   int        `json:"version" example:"2" validate:"required"`
	UpdatedAt time.Time  `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// MenuItem is a first-level entry, with its sub-entries.
type MenuItem struct {
	MenuLink
	Children []MenuLink `json:"children" validate:"required"`
}

// MenuLink is one entry: its label in the language asked for and in
// every language, what it points at, and the address on the site (or
// outside it) it leads to.
type MenuLink struct {
	Label  string            `json:"label" example:"أخبار" validate:"required"`
	Labels map[string]string `json:"labels" example:"ar:أخبار,en:News" validate:"required"`
	Kind   string            `json:"kind" example:"section" enums:"section,tag,author,article,page,path,url" validate:"required"`
	Ref    string            `json:"ref" example:"news" validate:"required"`
	URL    string            `json:"url" example:"https://www.example.com/news" validate:"required"`
}

// MenuResponse wraps one menu.
type MenuResponse struct {
	Data Menu `json:"data" validate:"required"`
}

// MenuList lists the menus.
type MenuList struct {
	Data []Menu   `json:"data" validate:"required"`
	Meta ListMeta `json:"meta" validate:"required"`
}

// MenuRequest replaces a menu's items: a tree two levels deep.
type MenuRequest struct {
	Items []MenuItemRequest `json:"items" validate:"required"`
}

// MenuItemRequest is a first-level entry and its sub-entries.
type MenuItemRequest struct {
	MenuLinkRequest
	Children []MenuLinkRequest `json:"children,omitempty"`
}

// MenuLinkRequest is one entry: labels by language, and a target: a
// section, tag, author or static page by slug, an article by id, a path
// on the site (/about) or an outside http(s) URL.
type MenuLinkRequest struct {
	Labels map[string]string `json:"labels" example:"ar:أخبار,en:News" validate:"required"`
	Kind   string            `json:"kind" example:"section" enums:"section,tag,author,article,page,path,url" validate:"required"`
	Ref    string            `json:"ref" example:"news" validate:"required"`
}
