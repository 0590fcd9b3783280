// Package auth issues and verifies editors' tokens, hashes passwords,
// throttles failed logins, and guards the editor routes.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/masthead/masthead/internal/clock"
	"github.com/oklog/ulid/v2"

	"github.com/masthead/masthead/internal/content"
)

// Token settings.
const (
	Issuer          = "masthead"
	Audience        = "masthead-editors"
	AccessTokenTTL  = 15 * time.Minute
	SessionTTL      = 30 * 24 * time.Hour
	MinSecretLen    = 32
	refreshPrefix   = "mh_rt_"
	refreshTokenLen = 32
)

// Claims are the claims of an access token: who (sub), with what role,
// in which login (sid).
type Claims struct {
	Role string `json:"role"`
	SID  string `json:"sid"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	parser *jwt.Parser
	clock  *clock.Clock
}

// NewTokens returns a Tokens signing with secret, which must be at least
// 32 bytes.
func NewTokens(secret []byte, clk *clock.Clock) (*Tokens, error) {
	if len(secret) < MinSecretLen {
		return nil, errors.New("JWT secret must be at least 32 bytes")
	}
	t := &Tokens{secret: secret, ttl: AccessTokenTTL, clock: clk}
	// The parser pins HS256, so alg "none", other HMAC sizes and RSA keys
	// fed in as secrets are refused before the signature is looked at.
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(clk.Now),
	)
	return t, nil
}

// TTL returns how long an access token lasts.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue returns a signed access token for a user's login.
func (t *Tokens) Issue(userID string, role content.Role, sessionID string) (string, error) {
	now := t.clock.Now()
	claims := Claims{
		Role: string(role),
		SID:  sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
			ID:        ulid.Make().String(),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
}

// Verify checks an access token's algorithm, signature, issuer, audience,
// expiry and issue time, and returns its claims. Any failure is
// EUNAUTHORIZED; the reason is not told to the client.
func (t *Tokens) Verify(token string) (*Claims, error) {
	var c Claims
	_, err := t.parser.ParseWithClaims(token, &c, func(tok *jwt.Token) (any, error) {
		if tok.Method != jwt.SigningMethodHS256 {
			return nil, errors.New("unexpected signing method")
		}
		return t.secret, nil
	})
	if err != nil || c.Subject == "" || c.SID == "" || c.ID == "" {
		return nil, content.Errorf(content.EUNAUTHORIZED, "The access token is invalid or expired.")
	}
	return &c, nil
}

// NewRefreshToken returns a random opaque refresh token and the hash that
// is stored in its place.
func NewRefreshToken() (token, hash string) { return NewToken(refreshPrefix) }

// Successor returns the refresh token that replaces refresh when it is
// spent, and its hash: an HMAC of it under the signing secret, so every
// replica derives the same successor from the same token and a refresh
// raced by two tabs gets one answer (see store.RotateRefreshToken). No
// one without the secret can derive it.
func (t *Tokens) Successor(refresh string) (token, hash string) {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte("masthead refresh successor\x00" + refresh))
	token = refreshPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	return token, HashToken(token)
}

// HashRefreshToken returns the stored form of a refresh token.
func HashRefreshToken(token string) string { return HashToken(token) }

// NewToken returns a random opaque token (32 random bytes after prefix)
// and its SHA-256, the only form in which it is stored.
func NewToken(prefix string) (token, hash string) {
	b := make([]byte, refreshTokenLen)
	rand.Read(b)
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token from NewToken.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Now is the time tokens are issued and checked at.
func (t *Tokens) Now() time.Time { return t.clock.Now() }
