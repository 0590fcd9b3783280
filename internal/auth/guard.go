package auth

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/internal/content"
)

// Principal is the editor behind a request.
type Principal struct {
	UserID    string
	Role      content.Role
	SessionID string
}

// Actor is p as the content rules know it; nil for a reader.
func (p *Principal) Actor() *content.Actor {
	if p == nil {
		return nil
	}
	return &content.Actor{UserID: p.UserID, Role: p.Role}
}

const principalKey = "masthead.principal"

// Sessions is what the guard needs of the database: the login a token
// belongs to.
type Sessions interface {
	FindSession(ctx context.Context, id string) (*content.Session, error)
}

// Guard authenticates requests by their bearer token.
type Guard struct {
	tokens   *Tokens
	sessions Sessions
}

// NewGuard returns a Guard that verifies tokens and checks, on every
// request, that the login is still active and the user not disabled, so
// logging out, a new password or disabling a user takes effect at once.
func NewGuard(tokens *Tokens, s Sessions) *Guard { return &Guard{tokens: tokens, sessions: s} }

// Optional authenticates a request that carries a token and lets one
// without through; a bad token is refused all the same.
func (g *Guard) Optional() echo.MiddlewareFunc { return g.middleware("", false) }

// Require refuses requests without a valid token (EUNAUTHORIZED) or with
// a role below min (EFORBIDDEN).
func (g *Guard) Require(min content.Role) echo.MiddlewareFunc { return g.middleware(min, true) }

func (g *Guard) middleware(min content.Role, required bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, err := g.authenticate(c)
			if err != nil {
				return err
			}
			if p == nil && required {
				return content.Errorf(content.EUNAUTHORIZED, "This route needs an access token: Authorization: Bearer <token>.")
			}
			if p != nil && min != "" && !p.Role.AtLeast(min) {
				return content.Errorf(content.EFORBIDDEN, "This needs the %s role or higher.", min)
			}
			if p != nil {
				c.Set(principalKey, p)
			}
			return next(c)
		}
	}
}

// authenticate reads the Authorization header only; tokens in the query
// string are never looked at, so they never end up in logs or referrers.
func (g *Guard) authenticate(c echo.Context) (*Principal, error) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if h == "" {
		return nil, nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, content.Errorf(content.EUNAUTHORIZED, "The Authorization header must be: Bearer <token>.")
	}
	claims, err := g.tokens.Verify(strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	sess, err := g.sessions.FindSession(c.Request().Context(), claims.SID)
	if content.ErrorCode(err) == content.EUNAUTHORIZED {
		return nil, content.Errorf(content.EUNAUTHORIZED, "The access token is invalid or expired.")
	}
	if err != nil {
		return nil, err
	}
	if sess.UserID != claims.Subject || !sess.Active(g.tokens.Now()) {
		return nil, content.Errorf(content.EUNAUTHORIZED, "This login has ended; log in again.")
	}
	return &Principal{UserID: sess.UserID, Role: sess.Role, SessionID: sess.ID}, nil
}

// FromContext returns the authenticated editor, or nil for a reader.
func FromContext(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}
