package content

import (
	"fmt"
	"time"
)

// Preview is a link that shows one article, whatever its status, to
// whoever holds its token (an editor's colleague, a source checking a
// quote, the frontend's preview page) until it expires or is revoked.
type Preview struct {
	ID        string // the token's SHA-256; the token itself is never kept
	ArticleID string
	CreatedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// Preview lifetimes.
const (
	DefaultPreviewTTL = 24 * time.Hour
	MinPreviewTTL     = time.Minute
	MaxPreviewTTL     = 30 * 24 * time.Hour
)

// PreviewTTL is how long a new preview link lasts: seconds when given,
// else DefaultPreviewTTL.
func PreviewTTL(seconds *int) (time.Duration, error) {
	if seconds == nil {
		return DefaultPreviewTTL, nil
	}
	d := time.Duration(*seconds) * time.Second
	if d < MinPreviewTTL || d > MaxPreviewTTL {
		return 0, &Error{Code: EINVALID, Message: "Preview is invalid.", Fields: map[string]string{
			"expires_in": fmt.Sprintf("must be between %d and %d seconds", int(MinPreviewTTL.Seconds()), int(MaxPreviewTTL.Seconds()))}}
	}
	return d, nil
}

// ErrBadPreview answers a preview token that was never issued, or was
// altered: nothing about any article is told.
var ErrBadPreview = &Error{Code: EFORBIDDEN, Message: "This preview link is not valid."}

// Admits reports whether p, a preview found by its token (nil: none),
// shows the article articleID at now.
func (p *Preview) Admits(articleID string, now time.Time) error {
	switch {
	case p == nil:
		return ErrBadPreview
	case p.ArticleID != articleID:
		return Errorf(EFORBIDDEN, "This preview link is for another article.")
	case p.RevokedAt != nil && !p.RevokedAt.After(now):
		return Errorf(EFORBIDDEN, "This preview link was revoked.")
	case !now.Before(p.ExpiresAt):
		return Errorf(EFORBIDDEN, "This preview link expired at %s.", p.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}
