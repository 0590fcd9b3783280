package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// revisionRow is a row of article_revisions; the lists and values are
// JSON.
type revisionRow struct {
	ID        string
	ArticleID string
	Version   int
	CreatedAt time.Time
	CreatedBy *string
	Fields    string
	Previous  string
	Snapshot  string
}

func (r revisionRow) revision() (content.Revision, error) {
	out := content.Revision{ID: r.ID, ArticleID: r.ArticleID, Version: r.Version, CreatedAt: r.CreatedAt.UTC()}
	if r.CreatedBy != nil {
		out.CreatedBy = *r.CreatedBy
	}
	for _, f := range []struct {
		src string
		dst any
	}{{r.Fields, &out.Fields}, {r.Previous, &out.Previous}, {r.Snapshot, &out.Snapshot}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return out, fmt.Errorf("read revision %s: %w", r.ID, err)
		}
	}
	return out, nil
}

const revisionColumns = `id, article_id, version, created_at, created_by, fields, previous, snapshot`

// keepRevision records the save of a that changed it from before, by
// user id by: a new revision, or, for a draft saved again by the same
// person within content.RevisionWindow, folded into the last one.
func keepRevision(tx *txn, a *content.Article, before content.Editorial, by string) error {
	next := content.NewRevision(NewID(), a, before, by, tx.now)
	var rows []revisionRow
	if err := tx.Raw(`SELECT `+revisionColumns+` FROM article_revisions WHERE article_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, a.ID).Scan(&rows).Error; err != nil {
		return fmt.Errorf("last revision: %w", err)
	}
	if len(rows) == 1 {
		last, err := rows[0].revision()
		if err != nil {
			return err
		}
		if last.Absorbs(next, a.Status == content.StatusDraft) {
			last.Absorb(next)
			fields, snapshot, _ := marshalRevision(last)
			return tx.Exec(`UPDATE article_revisions SET version = ?, created_at = ?, fields = ?, snapshot = ? WHERE id = ?`,
				last.Version, last.CreatedAt, fields, snapshot, last.ID).Error
		}
	}
	fields, snapshot, previous := marshalRevision(next)
	return tx.Exec(`INSERT INTO article_revisions (`+revisionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		next.ID, next.ArticleID, next.Version, next.CreatedAt, nullable(next.CreatedBy), fields, previous, snapshot).Error
}

func marshalRevision(r content.Revision) (fields, snapshot, previous string) {
	if r.Fields == nil {
		r.Fields = []string{}
	}
	f, _ := json.Marshal(r.Fields)
	s, _ := json.Marshal(r.Snapshot)
	p, _ := json.Marshal(r.Previous)
	return string(f), string(s), string(p)
}

// FindRevisions returns page p of the revisions of the article id,
// newest first, and how many it has.
func (s *Store) FindRevisions(ctx context.Context, id string, p content.TermPage) ([]content.Revision, int, error) {
	db := s.conn(ctx)
	var n []int64
	if err := db.Raw(`SELECT count(*) FROM articles WHERE id = ?`, id).Scan(&n).Error; err != nil {
		return nil, 0, fmt.Errorf("find article: %w", err)
	}
	if len(n) == 0 || n[0] == 0 {
		return nil, 0, content.Errorf(content.ENOTFOUND, "Article %q not found.", id)
	}
	var total int64
	if err := db.Raw(`SELECT count(*) FROM article_revisions WHERE article_id = ?`, id).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count revisions: %w", err)
	}
	var rows []revisionRow
	if err := db.Raw(`SELECT `+revisionColumns+` FROM article_revisions WHERE article_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, id, p.Limit, (p.Page-1)*p.Limit).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("find revisions: %w", err)
	}
	out := make([]content.Revision, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.revision(); err != nil {
			return nil, 0, err
		}
	}
	return out, int(total), nil
}

// FindRevision returns the revision rev of the article id; a revision of
// another article is not found.
func (s *Store) FindRevision(ctx context.Context, id, rev string) (*content.Revision, error) {
	var rows []revisionRow
	if err := s.conn(ctx).Raw(`SELECT `+revisionColumns+` FROM article_revisions WHERE id = ? AND article_id = ?`, rev, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find revision: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Article %q has no revision %q.", id, rev)
	}
	r, err := rows[0].revision()
	return &r, err
}

// RestoreRevision brings the article id back to the values revision rev
// saved, as who asks, once pre holds: an edit like any other, kept as a
// new revision.
func (s *Store) RestoreRevision(ctx context.Context, id, rev string, pre Precondition, who content.Actor) (*content.Article, error) {
	r, err := s.FindRevision(ctx, id, rev)
	if err != nil {
		return nil, err
	}
	u := r.RestoreUpdate()
	if err := u.Check(false); err != nil {
		return nil, err
	}
	return s.UpdateArticle(ctx, id, u, pre, who)
}
