package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

// Webhooks: endpoints, the events written in the same transaction as the
// change they report, and their deliveries. The dispatcher in
// internal/webhook claims due deliveries and records each attempt here.

type webhookRow struct {
	ID, URL, Events, Secret, Description string
	Active                               bool
	CreatedAt, UpdatedAt                 time.Time
}

func (r webhookRow) webhook() *content.Webhook {
	return &content.Webhook{ID: r.ID, URL: r.URL, Events: strings.Fields(r.Events), Secret: r.Secret,
		Description: r.Description, Active: r.Active, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

const webhookColumns = `id, url, events, secret, description, active, created_at, updated_at`

// maxWebhooks bounds how many endpoints a site may register; every
// content write reads them all.
const maxWebhooks = 100

// FindWebhooks returns every webhook, oldest first.
func (s *Store) FindWebhooks(ctx context.Context) ([]*content.Webhook, error) {
	var rows []webhookRow
	if err := s.conn(ctx).Raw(`SELECT ` + webhookColumns + ` FROM webhooks ORDER BY created_at, id`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	out := make([]*content.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.webhook()
	}
	return out, nil
}

// FindWebhook returns the webhook id.
func (s *Store) FindWebhook(ctx context.Context, id string) (*content.Webhook, error) {
	return findWebhook(s.conn(ctx), id)
}

func findWebhook(db *gorm.DB, id string) (*content.Webhook, error) {
	var rows []webhookRow
	if err := db.Raw(`SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find webhook: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "Webhook %q not found.", id)
	}
	return rows[0].webhook(), nil
}

// CreateWebhook stores w, giving it an id and times.
func (s *Store) CreateWebhook(ctx context.Context, w *content.Webhook) error {
	return s.transact(ctx, func(tx *txn) error {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM webhooks`).Scan(&n).Error; err != nil {
			return err
		}
		if n >= maxWebhooks {
			return content.Errorf(content.ECONFLICT, "There are %d webhooks already, the most a site may have; delete one first.", maxWebhooks)
		}
		w.ID = NewID()
		w.CreatedAt, w.UpdatedAt = tx.now, tx.now
		return tx.Exec(`INSERT INTO webhooks (`+webhookColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			w.ID, w.URL, strings.Join(w.Events, " "), w.Secret, w.Description, w.Active, w.CreatedAt, w.UpdatedAt).Error
	})
}

// UpdateWebhook applies u to the webhook id.
func (s *Store) UpdateWebhook(ctx context.Context, id string, u content.WebhookUpdate) (*content.Webhook, error) {
	var w *content.Webhook
	err := s.transact(ctx, func(tx *txn) error {
		var err error
		if w, err = findWebhook(tx.DB, id); err != nil {
			return err
		}
		u.Apply(w)
		w.UpdatedAt = tx.now
		return tx.Exec(`UPDATE webhooks SET url = ?, events = ?, secret = ?, description = ?, active = ?, updated_at = ? WHERE id = ?`,
			w.URL, strings.Join(w.Events, " "), w.Secret, w.Description, w.Active, w.UpdatedAt, w.ID).Error
	})
	return w, err
}

// DeleteWebhook removes the webhook id with its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "webhooks", "Webhook", id)
}

// emit records an event of type typ about data, in the caller's
// transaction, with one pending delivery per active webhook that wants
// it. An empty type, or no webhook that wants it, writes nothing.
func (s *Store) emit(tx *txn, typ string, data content.EventData) error {
	if typ == "" || s.encode == nil {
		return nil
	}
	var rows []webhookRow
	if err := tx.Raw(`SELECT id, events FROM webhooks WHERE active = TRUE`).Scan(&rows).Error; err != nil {
		return fmt.Errorf("emit %s: %w", typ, err)
	}
	var targets []any
	for _, r := range rows {
		if r.webhook().Wants(typ) {
			targets = append(targets, r.ID)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	return s.queueEvent(tx, typ, data, targets)
}

// queueEvent writes an event, as its encoder makes the payload, and a
// pending delivery to each target.
func (s *Store) queueEvent(tx *txn, typ string, data content.EventData, targets []any) error {
	ev := content.Event{ID: NewID(), Type: typ, CreatedAt: tx.now, Data: data}
	payload, err := s.encode(ev)
	if err != nil {
		return fmt.Errorf("emit %s: %w", typ, err)
	}
	if err := tx.Exec(`INSERT INTO webhook_events (id, type, payload, created_at) VALUES (?, ?, ?, ?)`,
		ev.ID, typ, string(payload), tx.now).Error; err != nil {
		return fmt.Errorf("emit %s: %w", typ, err)
	}
	for _, w := range targets {
		if err := tx.Exec(`INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, next_attempt_at, created_at)
			VALUES (?, ?, ?, 'pending', ?, ?)`, NewID(), w, ev.ID, tx.now, tx.now).Error; err != nil {
			return fmt.Errorf("emit %s: %w", typ, err)
		}
	}
	return nil
}

// PingWebhook queues a webhook.ping event for the webhook id alone, for
// admins to check an endpoint and its signature verification.
func (s *Store) PingWebhook(ctx context.Context, id string) error {
	return s.transact(ctx, func(tx *txn) error {
		if _, err := findWebhook(tx.DB, id); err != nil {
			return err
		}
		return s.queueEvent(tx, content.EventWebhookPing, content.EventData{}, []any{id})
	})
}

// RetryDelivery makes a delivery of the webhook due again now, whatever
// became of it: admins use it once an endpoint is fixed. The attempts so
// far are kept; a delivery past its retry window gets one more try.
func (s *Store) RetryDelivery(ctx context.Context, webhookID, deliveryID string) error {
	res := s.conn(ctx).Exec(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, finished_at = NULL, locked_until = NULL
		WHERE id = ? AND webhook_id = ?`, s.now(), deliveryID, webhookID)
	if res.Error != nil {
		return fmt.Errorf("retry delivery: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return content.Errorf(content.ENOTFOUND, "Delivery %q of webhook %q not found.", deliveryID, webhookID)
	}
	return nil
}

// eventArticle is a's snapshot for an event at now.
func eventArticle(a *content.Article, previousSlug string, now time.Time) *content.EventArticle {
	e := &content.EventArticle{ID: a.ID, Slug: a.Slug, Title: a.Title, Language: a.Language, Format: a.Format,
		Category: a.Category.Slug, CategoryName: a.Category.Name, Excerpt: a.Excerpt, CoverURL: a.Cover.URL,
		Featured: a.Featured, Breaking: a.IsBreaking(now), Tags: []string{}, Authors: []string{}, Status: a.PublicStatus(now),
		PublishedAt: a.PublishedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
	if previousSlug != a.Slug {
		e.PreviousSlug = previousSlug
	}
	for _, t := range a.Tags {
		e.Tags = append(e.Tags, t.Slug)
	}
	for _, au := range a.Authors {
		e.Authors = append(e.Authors, au.Slug)
	}
	return e
}

// emitArticle reports a write to a, given its state before, with the
// event content.ArticleEvent chooses, and article.breaking when
// content.BecameBreaking says so.
func (s *Store) emitArticle(tx *txn, a *content.Article, before content.ArticleState) error {
	data := content.EventData{Article: eventArticle(a, before.Slug, tx.now)}
	event := content.ArticleEvent(before, a)
	if err := recordChange(tx, a.ID, event); err != nil {
		return err
	}
	if err := s.emit(tx, event, data); err != nil {
		return err
	}
	if content.BecameBreaking(before, a, tx.now) {
		return s.emit(tx, content.EventArticleBreaking, data)
	}
	return nil
}

// emitTerm reports a write to a section, tag or author of kind
// (content.KindCategory, …) with the event content.TermEvent chooses.
func (s *Store) emitTerm(tx *txn, kind, verb string, t content.EventTerm) error {
	if t.PreviousSlug == t.Slug {
		t.PreviousSlug = ""
	}
	d := content.EventData{}
	switch kind {
	case "category":
		d.Category = &t
	case "tag":
		d.Tag = &t
	default:
		d.Author = &t
	}
	return s.emit(tx, kind+"."+verb, d)
}

// ClaimDeliveries leases up to limit due deliveries for lease: another
// dispatcher (another replica) skips them until the lease runs out, so a
// dispatcher that dies mid-send leaves them to be retried, not lost.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]content.DueDelivery, error) {
	args, err := s.claim(ctx, "webhook_deliveries", "status = 'pending' AND next_attempt_at <= ?", "next_attempt_at, created_at, id", limit, lease)
	if err != nil || len(args) == 0 {
		return nil, err
	}
	rows, err := s.conn(ctx).Raw(`SELECT d.id, d.webhook_id, w.url, w.secret, e.id, e.type, e.payload, d.attempts, d.created_at
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id
		WHERE d.id IN (`+placeholders(len(args))+`) ORDER BY d.next_attempt_at, d.created_at, d.id`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	defer rows.Close()
	var out []content.DueDelivery
	for rows.Next() {
		var d content.DueDelivery
		var payload string
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.EventID, &d.EventType, &payload, &d.Attempts, &d.CreatedAt); err != nil {
			return nil, fmt.Errorf("load deliveries: %w", err)
		}
		d.Payload, d.CreatedAt = []byte(payload), d.CreatedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecordAttempt keeps one attempt at delivery id and moves the delivery
// on: to succeeded, to failed, or (retry non-nil) to pending again at
// *retry. The lease is released.
func (s *Store) RecordAttempt(ctx context.Context, id string, at content.Attempt, status content.DeliveryStatus, retry *time.Time) error {
	var finished any
	next := at.At.UTC()
	if status != content.DeliveryPending {
		finished = at.At.UTC()
	} else if retry != nil {
		next = retry.UTC()
	}
	return s.transact(ctx, func(tx *txn) error {
		var n []int
		err := tx.Raw(`UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_status = ?, last_error = ?,
			next_attempt_at = ?, locked_until = NULL, finished_at = ? WHERE id = ? RETURNING attempts`,
			status, at.StatusCode, at.Error, next, finished, id).Scan(&n).Error
		if err != nil || len(n) == 0 {
			return err // none: the webhook was deleted meanwhile
		}
		if err := tx.Exec(`INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)`,
			id, n[0], at.At.UTC(), at.StatusCode, at.Error, at.Duration.Milliseconds()).Error; err != nil {
			return fmt.Errorf("record attempt: %w", err)
		}
		return nil
	})
}

// PostponeDeliveries releases claimed deliveries unattempted and makes
// them due at when.
func (s *Store) PostponeDeliveries(ctx context.Context, ids []string, when time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.conn(ctx).Exec(`UPDATE webhook_deliveries SET locked_until = NULL, next_attempt_at = ?
		WHERE status = 'pending' AND id IN (`+placeholders(len(ids))+`)`, append([]any{when.UTC()}, anys(ids)...)...).Error
	if err != nil {
		return fmt.Errorf("postpone deliveries: %w", err)
	}
	return nil
}

// FindDeliveries returns a page of the webhook's deliveries, newest
// first, each with its attempts, and the cursor of the next page.
func (s *Store) FindDeliveries(ctx context.Context, webhookID string, status content.DeliveryStatus, limit int, cursor *content.Cursor) ([]*content.Delivery, *content.Cursor, error) {
	if _, err := s.FindWebhook(ctx, webhookID); err != nil {
		return nil, nil, err
	}
	out, err := s.deliveryPage(ctx, webhookID, status, limit+1, cursor)
	if err != nil {
		return nil, nil, err
	}
	var next *content.Cursor
	if len(out) > limit {
		out = out[:limit]
		last := out[len(out)-1]
		next = &content.Cursor{Key: last.CreatedAt, ID: last.ID}
	}
	if err := s.loadAttempts(ctx, out); err != nil {
		return nil, nil, err
	}
	return out, next, nil
}

// deliveryPage reads up to limit deliveries of the webhook, newest first,
// after cursor.
func (s *Store) deliveryPage(ctx context.Context, webhookID string, status content.DeliveryStatus, limit int, cursor *content.Cursor) ([]*content.Delivery, error) {
	q := `SELECT d.id, d.webhook_id, d.event_id, e.type, e.payload, d.status, d.next_attempt_at, d.created_at, d.finished_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.webhook_id = ?`
	args := []any{webhookID}
	if status != "" {
		q += ` AND d.status = ?`
		args = append(args, status)
	}
	if cursor != nil {
		q += ` AND (d.created_at, d.id) < (?, ?)`
		args = append(args, cursor.Key, cursor.ID)
	}
	rows, err := s.conn(ctx).Raw(q+` ORDER BY d.created_at DESC, d.id DESC LIMIT ?`, append(args, limit)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find deliveries: %w", err)
	}
	defer rows.Close()
	var out []*content.Delivery
	for rows.Next() {
		d := &content.Delivery{Attempts: []content.Attempt{}}
		var next time.Time
		var finished *time.Time
		var payload string
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.EventType, &payload, &d.Status, &next, &d.CreatedAt, &finished); err != nil {
			return nil, fmt.Errorf("find deliveries: %w", err)
		}
		d.CreatedAt, d.Payload = d.CreatedAt.UTC(), []byte(payload)
		if d.Status == content.DeliveryPending {
			next = next.UTC()
			d.NextAttemptAt = &next
		}
		if finished != nil {
			f := finished.UTC()
			d.FinishedAt = &f
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// loadAttempts fills the attempts of the deliveries, in one statement.
func (s *Store) loadAttempts(ctx context.Context, list []*content.Delivery) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*content.Delivery, len(list))
	ids := make([]string, len(list))
	for i, d := range list {
		ids[i], byID[d.ID] = d.ID, d
	}
	rows, err := s.conn(ctx).Raw(`SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_attempts
		WHERE delivery_id IN (`+placeholders(len(ids))+`) ORDER BY delivery_id, attempt`, anys(ids)...).Rows()
	if err != nil {
		return fmt.Errorf("find attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a content.Attempt
		var ms int64
		if err := rows.Scan(&id, &a.At, &a.StatusCode, &a.Error, &ms); err != nil {
			return fmt.Errorf("find attempts: %w", err)
		}
		a.At, a.Duration = a.At.UTC(), time.Duration(ms)*time.Millisecond
		if d := byID[id]; d != nil {
			d.Attempts = append(d.Attempts, a)
		}
	}
	return rows.Err()
}

// PruneDeliveries deletes deliveries finished before cutoff, with their
// attempts, and the events no delivery refers to any more. It returns
// how many deliveries went.
func (s *Store) PruneDeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.transact(ctx, func(tx *txn) error {
		res := tx.Exec(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < ?`, cutoff.UTC())
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return tx.Exec(`DELETE FROM webhook_events WHERE created_at < ? AND NOT EXISTS
			(SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`, cutoff.UTC()).Error
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return n, nil
}
