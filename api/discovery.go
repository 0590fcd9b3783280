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
