package content

import "time"

// ViewCount is how many reads one article had in one hour.
type ViewCount struct {
	ArticleID string
	Hour      time.Time // start of the hour, UTC
	Views     int64
}
