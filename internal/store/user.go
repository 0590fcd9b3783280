package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/masthead/masthead/internal/content"
)

const userColumns = `id, email, name, role, password_hash, disabled, created_at, updated_at`

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int64
	if err := s.conn(ctx).Raw(`SELECT count(*) FROM users`).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return int(n), nil
}

// FindUsers returns every user by e-mail address.
func (s *Store) FindUsers(ctx context.Context) ([]content.User, error) {
	var users []content.User
	if err := s.conn(ctx).Raw(`SELECT ` + userColumns + ` FROM users ORDER BY email LIMIT 1000`).Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// FindUser returns the user with the given id.
func (s *Store) FindUser(ctx context.Context, id string) (*content.User, error) {
	return s.findUser(s.conn(ctx), "id = ?", id)
}

// FindUserByEmail returns the user with the given e-mail address, in any
// case.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*content.User, error) {
	return s.findUser(s.conn(ctx), "email = ?", content.NormalizeEmail(email))
}

func (s *Store) findUser(db *gorm.DB, cond string, arg any) (*content.User, error) {
	var users []content.User
	if err := db.Raw(`SELECT `+userColumns+` FROM users WHERE `+cond, arg).Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if len(users) == 0 {
		return nil, content.Errorf(content.ENOTFOUND, "User not found.")
	}
	u := users[0]
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// CreateUser stores u, whose PasswordHash the caller has set. A taken
// e-mail address is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *content.User) error {
	now := s.now()
	u.ID, u.Email, u.CreatedAt, u.UpdatedAt = NewID(), content.NormalizeEmail(u.Email), now, now
	err := s.conn(ctx).Exec(`INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Role, u.PasswordHash, u.Disabled, u.CreatedAt, u.UpdatedAt).Error
	return emailConflict(err)
}

// UpdateUser applies u to the user id; passwordHash, when not "", replaces
// the password. A new password or disabling the user revokes all of the
// user's sessions in the same transaction.
func (s *Store) UpdateUser(ctx context.Context, id string, u content.UserUpdate, passwordHash string) (*content.User, error) {
	var out *content.User
	err := s.transact(ctx, func(tx *txn) error {
		user, err := s.findUser(tx.DB, "id = ?", id)
		if err != nil {
			return err
		}
		if u.Email != nil {
			user.Email = content.NormalizeEmail(*u.Email)
		}
		if u.Name != nil {
			user.Name = *u.Name
		}
		if u.Role != nil {
			user.Role = *u.Role
		}
		if u.Disabled != nil {
			user.Disabled = *u.Disabled
		}
		if passwordHash != "" {
			user.PasswordHash = passwordHash
		}
		user.UpdatedAt = tx.now
		err = tx.Exec(`UPDATE users SET email = ?, name = ?, role = ?, password_hash = ?, disabled = ?, updated_at = ?
			WHERE id = ?`, user.Email, user.Name, user.Role, user.PasswordHash, user.Disabled, user.UpdatedAt, id).Error
		if err != nil {
			return emailConflict(err)
		}
		if passwordHash != "" || user.Disabled {
			if err := revokeUserSessions(tx.DB, id, user.UpdatedAt); err != nil {
				return err
			}
		}
		out = user
		return nil
	})
	return out, err
}

func emailConflict(err error) error {
	err = translate(err, "User")
	if content.ErrorCode(err) == content.ECONFLICT {
		return &content.Error{Code: content.ECONFLICT, Message: "A user with this e-mail address exists.", Fields: map[string]string{"email": "taken"}}
	}
	return err
}

// CreateSession starts a login for userID lasting ttl, with its first
// refresh token, of which only the hash is stored.
func (s *Store) CreateSession(ctx context.Context, userID string, ttl time.Duration, refreshHash string) (*content.Session, error) {
	now := s.now()
	sess := &content.Session{ID: NewID(), UserID: userID, ExpiresAt: now.Add(ttl)}
	err := s.transact(ctx, func(tx *txn) error {
		if err := tx.Exec(`INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			sess.ID, userID, now, sess.ExpiresAt).Error; err != nil {
			return translate(err, "Session")
		}
		return translate(tx.Exec(`INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)`,
			refreshHash, sess.ID, now).Error, "Refresh token")
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// FindSession returns a session with its user's role and disabled flag.
func (s *Store) FindSession(ctx context.Context, id string) (*content.Session, error) {
	var rows []content.Session
	err := s.conn(ctx).Raw(`SELECT s.id, s.user_id, u.role, u.disabled, s.expires_at, s.revoked_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.EUNAUTHORIZED, "Session not found.")
	}
	return &rows[0], nil
}

// RotateRefreshToken spends the refresh token with hash oldHash and
// stores newHash, its successor, in its place, returning the session. A
// token spent before is a theft signal: the whole session is revoked and
// the call fails, as it does for unknown tokens and ended sessions;
// except within grace of its spending, while its successor is unused,
// when the same successor is given again (the caller derives it from
// the old token, so it is the same): two tabs or a retry racing one
// refresh must not end the login.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash, newHash string, grace time.Duration) (*content.Session, error) {
	refused := content.Errorf(content.EUNAUTHORIZED, "The refresh token is invalid or expired.")
	var sess *content.Session
	var reused bool
	err := s.transact(ctx, func(tx *txn) error {
		reused = false
		var tokens []string
		if err := tx.Raw(`SELECT session_id FROM refresh_tokens WHERE token_hash = ?`, oldHash).Scan(&tokens).Error; err != nil {
			return fmt.Errorf("find refresh token: %w", err)
		}
		if len(tokens) == 0 {
			return refused
		}
		sessionID := tokens[0]
		res := tx.Exec(`UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, tx.now, oldHash)
		if res.Error != nil {
			return fmt.Errorf("spend refresh token: %w", res.Error)
		}
		spent := res.RowsAffected == 0
		if spent {
			again, err := successorStands(tx, oldHash, newHash, tx.now.Add(-grace))
			if err != nil {
				return err
			}
			if !again {
				reused = true
				return revokeSession(tx.DB, sessionID, tx.now)
			}
		}
		var err error
		if sess, err = activeSession(tx, sessionID); err != nil || spent {
			return err
		}
		return translate(tx.Exec(`INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)`,
			newHash, sess.ID, tx.now).Error, "Refresh token")
	})
	if err != nil {
		return nil, err
	}
	if reused {
		return nil, refused
	}
	return sess, nil
}

// successorStands reports whether the spent token oldHash was spent
// after since and its successor newHash is stored, in its session and
// unused: then the same refresh is being asked for again.
func successorStands(tx *txn, oldHash, newHash string, since time.Time) (bool, error) {
	var n int64
	err := tx.Raw(`SELECT count(*) FROM refresh_tokens o JOIN refresh_tokens n ON n.session_id = o.session_id
		WHERE o.token_hash = ? AND o.used_at >= ? AND n.token_hash = ? AND n.used_at IS NULL`, oldHash, since, newHash).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("find refresh successor: %w", err)
	}
	return n == 1, nil
}

// activeSession loads the session id for a refresh, refusing one that
// ended or whose user is disabled.
func activeSession(tx *txn, id string) (*content.Session, error) {
	var rows []content.Session
	if err := tx.Raw(`SELECT s.id, s.user_id, u.role, u.disabled, s.expires_at, s.revoked_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if len(rows) == 0 || !rows[0].Active(tx.now) {
		return nil, content.Errorf(content.EUNAUTHORIZED, "The refresh token is invalid or expired.")
	}
	return &rows[0], nil
}

// RevokeSession ends one login.
func (s *Store) RevokeSession(ctx context.Context, id string) error {
	return revokeSession(s.conn(ctx), id, s.now())
}

func revokeSession(db *gorm.DB, id string, now time.Time) error {
	if err := db.Exec(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, now, id).Error; err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

func revokeUserSessions(db *gorm.DB, userID string, now time.Time) error {
	if err := db.Exec(`UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID).Error; err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	return nil
}
