package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// Newsletter subscribers, their tokens and the mail outbox. Tokens leave
// the process only inside mail; the store sees only their hashes. The
// outbox names what to send, and the sender makes the tokens then.

// Subscribe records a subscription request and queues a confirmation
// mail when one is due: for a new address, a pending one, or one that
// had unsubscribed, at most content.MaxConfirmMailsPerDay a UTC day. A
// confirmed address is left as it is. The caller answers the same in
// every case. An unknown section is an EINVALID error.
func (s *Store) Subscribe(ctx context.Context, sub content.Subscription) error {
	err := s.subscribe(ctx, sub)
	if content.ErrorCode(err) == content.ECONFLICT {
		// Two sign-ups of one new address raced to insert it; the row
		// is there now, so going again takes the existing-address path.
		err = s.subscribe(ctx, sub)
	}
	return err
}

func (s *Store) subscribe(ctx context.Context, sub content.Subscription) error {
	return s.transact(ctx, func(tx *txn) error {
		catIDs, err := sectionIDs(tx, sub.Categories)
		if err != nil {
			return err
		}
		now := tx.now
		today := now.Format(time.DateOnly)
		var ids []string
		if err := tx.Raw(`SELECT id FROM subscribers WHERE email = ?`, sub.Email).Scan(&ids).Error; err != nil {
			return fmt.Errorf("find subscriber: %w", err)
		}
		var id string
		if len(ids) == 0 {
			id = NewID()
			if err := tx.Exec(`INSERT INTO subscribers (id, email, language, status, mail_day, mail_count, created_at, updated_at)
				VALUES (?, ?, ?, 'pending', '', 0, ?, ?)`, id, sub.Email, sub.Language, now, now).Error; err != nil {
				return translate(err, "Subscriber")
			}
		} else {
			id = ids[0]
			// The status test is in the UPDATE: a confirmation
			// that commits meanwhile is not undone.
			res := tx.Exec(`UPDATE subscribers SET status = 'pending', language = ?, unsubscribed_at = NULL, updated_at = ?
				WHERE id = ? AND status <> 'confirmed'`, sub.Language, now, id)
			if res.Error != nil {
				return fmt.Errorf("update subscriber: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return nil // confirmed already: nothing to do, same answer
			}
		}
		if err := tx.Exec(`DELETE FROM subscriber_categories WHERE subscriber_id = ?`, id).Error; err != nil {
			return err
		}
		for _, c := range catIDs {
			if err := tx.Exec(`INSERT INTO subscriber_categories (subscriber_id, category_id) VALUES (?, ?)`, id, c).Error; err != nil {
				return fmt.Errorf("save subscriber sections: %w", err)
			}
		}
		// Count the mail in one conditional UPDATE: concurrent sign-ups of
		// one address each take a turn on the row, so the cap holds.
		res := tx.Exec(`UPDATE subscribers SET mail_count = CASE WHEN mail_day = ? THEN mail_count + 1 ELSE 1 END, mail_day = ?
			WHERE id = ? AND (mail_day <> ? OR mail_count < ?)`, today, today, id, today, content.MaxConfirmMailsPerDay)
		if res.Error != nil {
			return fmt.Errorf("count confirmation mail: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // enough mail for today; the answer stays the same
		}
		return tx.Exec(`INSERT INTO mail_outbox (id, subscriber_id, kind, next_attempt_at, created_at) VALUES (?, ?, 'confirm', ?, ?)`,
			NewID(), id, now, now).Error
	})
}

// sectionIDs resolves section slugs to ids; an unknown one is EINVALID.
func sectionIDs(tx *txn, slugs []string) ([]string, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	args := make([]any, len(slugs))
	for i, sl := range slugs {
		args[i] = sl
	}
	var found []struct{ ID, Slug string }
	if err := tx.Raw(`SELECT id, slug FROM categories WHERE slug IN (`+placeholders(len(slugs))+`)`, args...).Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("find sections: %w", err)
	}
	ids := make([]string, 0, len(found))
	for _, sl := range slugs {
		ok := false
		for _, f := range found {
			if f.Slug == sl {
				ids, ok = append(ids, f.ID), true
			}
		}
		if !ok {
			return nil, invalid("Subscription", "categories", fmt.Sprintf("unknown section %q", sl))
		}
	}
	return ids, nil
}

// ConfirmSubscription confirms the subscriber a confirmation token (given
// by its hash) was sent to. The token works once, before it expires;
// otherwise the error is EINVALID naming the token.
func (s *Store) ConfirmSubscription(ctx context.Context, tokenHash string) error {
	return s.transact(ctx, func(tx *txn) error {
		now := tx.now
		res := tx.Exec(`UPDATE subscriber_tokens SET used_at = ? WHERE token_hash = ? AND purpose = 'confirm'
			AND used_at IS NULL AND expires_at > ?`, now, tokenHash, now)
		if res.Error != nil {
			return fmt.Errorf("use token: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return &content.Error{Code: content.EINVALID, Message: "This confirmation link is invalid, used or expired; subscribe again to get a new one.",
				Fields: map[string]string{"token": "invalid, used or expired"}}
		}
		return tx.Exec(`UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, unsubscribed_at = NULL, updated_at = ?
			WHERE id = (SELECT subscriber_id FROM subscriber_tokens WHERE token_hash = ?)`, now, now, tokenHash).Error
	})
}

// Unsubscribe ends the subscription an unsubscribe token (given by its
// hash) was sent for and drops its queued mail. An unknown token does nothing, without
// error, so the answer tells nothing.
func (s *Store) Unsubscribe(ctx context.Context, tokenHash string) error {
	return s.transact(ctx, func(tx *txn) error {
		now := tx.now
		var ids []string
		if err := tx.Raw(`SELECT subscriber_id FROM subscriber_tokens WHERE token_hash = ? AND purpose = 'unsubscribe'`, tokenHash).Scan(&ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Exec(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?, updated_at = ? WHERE id = ? AND status <> 'unsubscribed'`,
			now, now, ids[0]).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM mail_outbox WHERE subscriber_id = ? AND sent_at IS NULL`, ids[0]).Error
	})
}

// subscriberColumns select a subscriber with its section slugs,
// space-separated.
func (s *Store) subscriberColumns() string {
	agg := s.dialect.joinText("c.slug")
	return `s.id, s.email, s.language, s.status, s.confirmed_at, s.unsubscribed_at, s.created_at, s.updated_at,
		(SELECT ` + agg + ` FROM subscriber_categories sc JOIN categories c ON c.id = sc.category_id WHERE sc.subscriber_id = s.id)`
}

// subscriberQuery builds the filtered, newest-first query for f.
func (s *Store) subscriberQuery(f content.SubscriberFilter) (string, []any) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "s.status = ?"), append(args, f.Status)
	}
	if f.Language != "" {
		where, args = append(where, "s.language = ?"), append(args, f.Language)
	}
	if f.Category != "" {
		where = append(where, `s.id IN (SELECT sc.subscriber_id FROM subscriber_categories sc JOIN categories c ON c.id = sc.category_id WHERE c.slug = ?)`)
		args = append(args, f.Category)
	}
	if f.Cursor != nil {
		where, args = append(where, "(s.created_at, s.id) < (?, ?)"), append(args, f.Cursor.Key.UTC(), f.Cursor.ID)
	}
	q := "SELECT " + s.subscriberColumns() + " FROM subscribers s"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY s.created_at DESC, s.id DESC", args
}

func scanSubscriber(rows *sql.Rows) (*content.Subscriber, error) {
	sub := &content.Subscriber{}
	var confirmed, unsubscribed sql.NullTime
	var cats sql.NullString
	if err := rows.Scan(&sub.ID, &sub.Email, &sub.Language, &sub.Status, &confirmed, &unsubscribed, &sub.CreatedAt, &sub.UpdatedAt, &cats); err != nil {
		return nil, fmt.Errorf("scan subscriber: %w", err)
	}
	sub.ConfirmedAt, sub.UnsubscribedAt = nullTime(confirmed), nullTime(unsubscribed)
	sub.CreatedAt, sub.UpdatedAt = sub.CreatedAt.UTC(), sub.UpdatedAt.UTC()
	sub.Categories = strings.Fields(cats.String)
	return sub, nil
}

// FindSubscribers returns one page of subscribers matching f, newest
// first, in one statement.
func (s *Store) FindSubscribers(ctx context.Context, f content.SubscriberFilter) (*content.SubscriberPage, error) {
	q, args := s.subscriberQuery(f)
	rows, err := s.conn(ctx).Raw(q+" LIMIT ?", append(args, f.Limit+1)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find subscribers: %w", err)
	}
	defer rows.Close()
	page := &content.SubscriberPage{Subscribers: []*content.Subscriber{}}
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, err
		}
		page.Subscribers = append(page.Subscribers, sub)
	}
	if len(page.Subscribers) > f.Limit {
		page.Subscribers = page.Subscribers[:f.Limit]
		last := page.Subscribers[f.Limit-1]
		page.Next = &content.Cursor{Key: last.CreatedAt, ID: last.ID}
	}
	return page, rows.Err()
}

// EachSubscriber calls fn for every subscriber matching f (limit and
// cursor ignored), streaming rows: memory stays flat however many there
// are. An error from fn stops it.
func (s *Store) EachSubscriber(ctx context.Context, f content.SubscriberFilter, fn func(*content.Subscriber) error) error {
	f.Cursor = nil
	q, args := s.subscriberQuery(f)
	rows, err := s.conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return fmt.Errorf("stream subscribers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return err
		}
		if err := fn(sub); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteSubscriber erases a subscriber for good: the address, its
// sections, tokens and queued mail.
func (s *Store) DeleteSubscriber(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "subscribers", "Subscriber", id)
}

// ClaimMail leases up to limit due mails for lease (see ClaimDeliveries).
func (s *Store) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]content.OutboxMail, error) {
	args, err := s.claim(ctx, "mail_outbox", "sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", "next_attempt_at, id", limit, lease)
	if err != nil || len(args) == 0 {
		return nil, err
	}
	var out []content.OutboxMail
	err = s.conn(ctx).Raw(`SELECT m.id, m.kind, m.subscriber_id, s.email, s.language, s.status, m.attempts, m.created_at
		FROM mail_outbox m JOIN subscribers s ON s.id = m.subscriber_id WHERE m.id IN (`+placeholders(len(args))+`)
		ORDER BY m.next_attempt_at, m.id`, args...).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load mail: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// SaveTokens keeps the hashes of the tokens one mail to a subscriber
// carries: a confirmation token valid for ttl and an unsubscribe token.
func (s *Store) SaveTokens(ctx context.Context, subscriberID, confirmHash, unsubscribeHash string, ttl time.Duration) error {
	now := s.now()
	err := s.transact(ctx, func(tx *txn) error {
		if err := tx.Exec(`INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, expires_at, created_at) VALUES (?, ?, 'confirm', ?, ?)`,
			confirmHash, subscriberID, now.Add(ttl), now).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, created_at) VALUES (?, ?, 'unsubscribe', ?)`,
			unsubscribeHash, subscriberID, now).Error
	})
	if err != nil {
		return fmt.Errorf("save tokens: %w", err)
	}
	return nil
}

// ReleaseMail hands claimed, unsent mail back for the next worker.
func (s *Store) ReleaseMail(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.conn(ctx).Exec(`UPDATE mail_outbox SET locked_until = NULL WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids)...).Error; err != nil {
		return fmt.Errorf("release mail: %w", err)
	}
	return nil
}

// FinishMail records the outcome of sending mail id: sent (sendErr
// nil), failed for good (retry nil), or due again at *retry.
func (s *Store) FinishMail(ctx context.Context, id string, sendErr error, retry *time.Time) error {
	now := s.now()
	var err error
	switch {
	case sendErr == nil:
		err = s.conn(ctx).Exec(`UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, locked_until = NULL, last_error = '' WHERE id = ?`, now, id).Error
	case retry == nil:
		err = s.conn(ctx).Exec(`UPDATE mail_outbox SET failed_at = ?, attempts = attempts + 1, locked_until = NULL, last_error = ? WHERE id = ?`,
			now, truncateRunes(sendErr.Error(), 500), id).Error
	default:
		err = s.conn(ctx).Exec(`UPDATE mail_outbox SET next_attempt_at = ?, attempts = attempts + 1, locked_until = NULL, last_error = ? WHERE id = ?`,
			retry.UTC(), truncateRunes(sendErr.Error(), 500), id).Error
	}
	if err != nil {
		return fmt.Errorf("finish mail: %w", err)
	}
	return nil
}

// PruneMail deletes outbox rows sent or given up before cutoff, and
// confirmation tokens that expired before it.
func (s *Store) PruneMail(ctx context.Context, cutoff time.Time) error {
	err := s.transact(ctx, func(tx *txn) error {
		if err := tx.Exec(`DELETE FROM mail_outbox WHERE sent_at < ? OR failed_at < ?`, cutoff.UTC(), cutoff.UTC()).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM subscriber_tokens WHERE purpose = 'confirm' AND expires_at < ?`, cutoff.UTC()).Error
	})
	if err != nil {
		return fmt.Errorf("prune mail: %w", err)
	}
	return nil
}
