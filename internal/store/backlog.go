package store

import (
	"context"
	"fmt"
	"time"

	"github.com/masthead/masthead/internal/content"
	"gorm.io/gorm"
)

// Backlog reports the work waiting in the outboxes and the scheduled
// stories whose time has come, for operators' metrics. Each count reads
// a partial index of the pending rows only.
func (s *Store) Backlog(ctx context.Context) (content.Backlog, error) {
	now := s.now()
	var b content.Backlog
	for _, q := range []struct {
		sql    string
		args   []any
		n      *int
		oldest *time.Time
	}{
		{`SELECT count(*), min(created_at) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL`, nil, &b.Mail, &b.OldestMail},
		{`SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'`, nil, &b.Deliveries, &b.OldestDelivery},
		{`SELECT count(*), min(published_at) FROM articles WHERE status = 'scheduled' AND published_at <= ?`, []any{now}, &b.DueArticles, &b.OldestDue},
	} {
		var oldest nullTimeAny
		if err := s.conn(ctx).Raw(q.sql, q.args...).Row().Scan(q.n, &oldest); err != nil {
			return b, fmt.Errorf("backlog: %w", err)
		}
		if oldest.Valid {
			*q.oldest = oldest.Time
		}
	}
	return b, nil
}

// ObserveQueries calls fn with the duration of every statement the store
// runs, for operators' metrics.
func (s *Store) ObserveQueries(fn func(time.Duration)) {
	const key = "masthead:start"
	s.onStatements("masthead:time",
		func(db *gorm.DB) { db.InstanceSet(key, time.Now()) },
		func(db *gorm.DB) {
			if t, ok := db.InstanceGet(key); ok {
				fn(time.Since(t.(time.Time)))
			}
		})
}
