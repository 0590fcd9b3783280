// Package api is Masthead's wire contract: the JSON request and response
// types of /api/v1 and the error envelope. swag documents these types and
// a Go client may import them; the package imports nothing internal.
package api

// Error is the body of every error response.
type Error struct {
	Error ErrorBody `json:"error" validate:"required"`
}

// ErrorBody says what went wrong. Code is stable and machine-readable;
// the published document lists every value.
type ErrorBody struct {
	Code      string            `json:"code" example:"invalid" validate:"required"`
	Message   string            `json:"message" example:"Article is invalid." validate:"required"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
}

// ListMeta describes a page of a list. Offset paging (page=N) sets page
// and total; keyset paging (the default, or cursor=…) sets next_cursor
// while more items follow.
type ListMeta struct {
	Limit      int    `json:"limit" example:"20" validate:"required"`
	Page       int    `json:"page,omitempty" example:"1"`
	Total      *int   `json:"total,omitempty" example:"134"`
	NextCursor string `json:"next_cursor,omitempty" example:"eyJrIjoiMjAyNi0xMS0yNlQxMDowMDowMFoiLCJpIjoiMDFKRDZRN1IyWiJ9"`
	// TotalCapped says that more match than total, which a search counts
	// only up to 10,000.
	TotalCapped bool `json:"total_capped,omitempty" example:"false"`
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status string `json:"status" example:"ok" validate:"required"`
}

// Index is the body of GET /api/v1: where things are.
type Index struct {
	Data IndexData `json:"data" validate:"required"`
}

// IndexData names the API and links its main collections and its docs.
type IndexData struct {
	Name    string            `json:"name" example:"Masthead" validate:"required"`
	Version string            `json:"version" example:"1" validate:"required"`
	Docs    string            `json:"docs" example:"/docs" validate:"required"`
	OpenAPI string            `json:"openapi" example:"/openapi.json" validate:"required"`
	Links   map[string]string `json:"links" validate:"required"`
}
