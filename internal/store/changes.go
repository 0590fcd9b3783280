package store

import (
	"context"
	"fmt"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// The sync log: a row each time readers' view of an article changes,
// written in the transaction of the change (content.ChangeOf says which
// events count), read by apps keeping an offline copy.

// recordChange appends the change event makes to the article id, if any.
func recordChange(tx *txn, id, event string) error {
	kind := content.ChangeOf(event)
	if kind == "" {
		return nil
	}
	if err := tx.Exec(`INSERT INTO article_changes (article_id, kind, at) VALUES (?, ?, ?)`, id, kind, tx.now).Error; err != nil {
		return fmt.Errorf("record change: %w", err)
	}
	return nil
}

// LatestChange returns the sequence number of the newest change, 0 when
// there is none: a cursor from which only later changes are read.
func (s *Store) LatestChange(ctx context.Context) (int64, error) {
	var seq *int64
	if err := s.conn(ctx).Raw(`SELECT max(seq) FROM article_changes`).Scan(&seq).Error; err != nil {
		return 0, fmt.Errorf("latest change: %w", err)
	}
	if seq == nil {
		return 0, nil
	}
	return *seq, nil
}

// FindChanges returns up to limit changes after since (-1: from the
// oldest kept), oldest first, each article once at its latest change in
// the page, with the article as readers see it now (an article that is
// no longer visible comes as a delete). A cursor older than the log
// keeps is ErrCursorExpired. With full, articles come with their text.
func (s *Store) FindChanges(ctx context.Context, since int64, limit int, full bool) (*content.ChangePage, error) {
	db := s.conn(ctx)
	if since >= 0 {
		var oldest *int64
		if err := db.Raw(`SELECT min(seq) FROM article_changes`).Scan(&oldest).Error; err != nil {
			return nil, fmt.Errorf("find changes: %w", err)
		}
		if oldest != nil && *oldest > since+1 {
			return nil, content.ErrCursorExpired
		}
	}
	var rows []struct {
		Seq       int64
		ArticleID string
		Kind      string
		At        time.Time
	}
	if err := db.Raw(`SELECT seq, article_id, kind, at FROM article_changes WHERE seq > ? ORDER BY seq LIMIT ?`, since, limit+1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find changes: %w", err)
	}
	page := &content.ChangePage{Next: max(since, 0)}
	if len(rows) > limit {
		rows, page.More = rows[:limit], true
	}
	latest := map[string]int{} // article → index of its latest change
	for i, r := range rows {
		latest[r.ArticleID] = i
	}
	var upserts []string
	for i, r := range rows {
		if latest[r.ArticleID] == i && r.Kind == content.ChangeUpsert {
			upserts = append(upserts, r.ArticleID)
		}
	}
	var articles map[string]*content.Article
	if len(upserts) > 0 {
		var err error
		if articles, err = s.findVisible(db, upserts, s.now(), full); err != nil {
			return nil, err
		}
		list := make([]*content.Article, 0, len(articles))
		for _, a := range articles {
			list = append(list, a)
		}
		if err := loadBylines(db, list, s.now()); err != nil {
			return nil, err
		}
	}
	for i, r := range rows {
		page.Next = r.Seq
		if latest[r.ArticleID] != i {
			continue
		}
		c := content.Change{Seq: r.Seq, ArticleID: r.ArticleID, Kind: r.Kind, At: r.At.UTC()}
		if c.Kind == content.ChangeUpsert {
			if c.Article = articles[r.ArticleID]; c.Article == nil {
				c.Kind = content.ChangeDelete // hidden again since
			}
		}
		page.Changes = append(page.Changes, c)
	}
	return page, nil
}

// PruneChanges drops changes made before cutoff, always keeping the
// newest, so a cursor can still tell that it is too old.
func (s *Store) PruneChanges(ctx context.Context, cutoff time.Time) error {
	err := s.conn(ctx).Exec(`DELETE FROM article_changes WHERE at < ? AND seq < (SELECT max(seq) FROM article_changes)`, cutoff.UTC()).Error
	if err != nil {
		return fmt.Errorf("prune changes: %w", err)
	}
	return nil
}
