package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
)

// handleLogin serves POST /api/v1/auth/login.
//
//	@Summary		Log in
//	@Description	Trades an e-mail address and password for a 15-minute access token and a refresh token. A wrong address and a wrong password get the same answer; repeated failures for one address or from one client are refused with 429 and Retry-After.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			credentials	body		api.LoginRequest	true	"Credentials"
//	@Success		200			{object}	api.TokensResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		429			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/auth/login [post]
func (s *Server) handleLogin(c echo.Context) error {
	var req api.LoginRequest
	if err := decodeJSON(c, &req, "Login", false); err != nil {
		return err
	}
	var p content.Problems
	if msg := content.CheckText(req.Email, content.MaxEmailLen, false); msg != "" || req.Email == "" {
		p.Add("email", "required: an e-mail address")
	}
	if msg := content.CheckText(req.Password, content.MaxPasswordLen, false); msg != "" || req.Password == "" {
		p.Add("password", "required")
	}
	if err := p.Err("Login"); err != nil {
		return err
	}
	account, ip := content.NormalizeEmail(req.Email), c.RealIP()
	if err := s.logins.check(c, account, ip); err != nil {
		return err
	}
	ctx := c.Request().Context()
	user, err := s.store.FindUserByEmail(ctx, req.Email)
	if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
		return err
	}
	hash := ""
	if user != nil {
		hash = user.PasswordHash
	}
	// CheckPassword runs even for a missing user, so timing tells nothing.
	if ok := auth.CheckPassword(hash, req.Password); !ok || user.Disabled {
		s.logins.fail("login failed", account, ip)
		return content.Errorf(content.EUNAUTHORIZED, "The e-mail address or password is wrong.")
	}
	s.logins.succeed(account, ip)
	refresh, hashed := auth.NewRefreshToken()
	sess, err := s.store.CreateSession(ctx, user.ID, auth.SessionTTL, hashed)
	if err != nil {
		return err
	}
	return s.tokensResponse(c, user.ID, user.Role, sess.ID, refresh)
}

func (s *Server) tokensResponse(c echo.Context, userID string, role content.Role, sessionID, refresh string) error {
	access, err := s.tokens.Issue(userID, role, sessionID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, api.TokensResponse{Data: api.Tokens{
		AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL() / time.Second), RefreshToken: refresh,
	}})
}

// handleRefresh serves POST /api/v1/auth/refresh.
//
//	@Summary		Refresh tokens
//	@Description	Trades a refresh token for a new access token and a new refresh token. Each refresh token works once: presenting a spent one ends the whole login, since it means the token was copied; except within 10 seconds of its first use, while its successor is unused, when it gets the same refresh token again (two tabs or a retry racing one refresh).
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			token	body		api.RefreshRequest	true	"The refresh token"
//	@Success		200		{object}	api.TokensResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/auth/refresh [post]
func (s *Server) handleRefresh(c echo.Context) error {
	var req api.RefreshRequest
	if err := decodeJSON(c, &req, "Refresh request", false); err != nil {
		return err
	}
	if msg := content.CheckText(req.RefreshToken, 4096, false); msg != "" || req.RefreshToken == "" {
		return &content.Error{Code: content.EINVALID, Message: "Refresh request is invalid.", Fields: map[string]string{"refresh_token": "required"}}
	}
	refresh, hashed := s.tokens.Successor(req.RefreshToken)
	sess, err := s.store.RotateRefreshToken(c.Request().Context(), auth.HashRefreshToken(req.RefreshToken), hashed, refreshGrace)
	if err != nil {
		return err
	}
	return s.tokensResponse(c, sess.UserID, sess.Role, sess.ID, refresh)
}

// refreshGrace is how long a spent refresh token still gets its
// successor again instead of ending the login.
const refreshGrace = 10 * time.Second

// handleLogout serves POST /api/v1/auth/logout.
//
//	@Summary		Log out
//	@Description	Ends this login: its access and refresh tokens stop working at once.
//	@Tags			auth
//	@Security		BearerAuth
//	@Success		204	"Logged out"
//	@Failure		401	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/auth/logout [post]
func (s *Server) handleLogout(c echo.Context) error {
	if err := s.store.RevokeSession(c.Request().Context(), auth.FromContext(c).SessionID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleMe serves GET /api/v1/auth/me.
//
//	@Summary	Who am I
//	@Description	The account behind the access token: id, e-mail, name, role.
//	@Tags		auth
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	api.UserResponse
//	@Failure	401	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/auth/me [get]
func (s *Server) handleMe(c echo.Context) error {
	u, err := s.store.FindUser(c.Request().Context(), auth.FromContext(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.UserResponse{Data: toAPIUser(u)})
}

// handleChangePassword serves POST /api/v1/auth/password.
//
//	@Summary		Change my password
//	@Description	Needs the current password. Ends every login of the user, this one included.
//	@Tags			auth
//	@Accept			json
//	@Security		BearerAuth
//	@Param			passwords	body	api.PasswordRequest	true	"Current and new password"
//	@Success		204			"Changed; log in again"
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error	"Current password wrong"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/auth/password [post]
func (s *Server) handleChangePassword(c echo.Context) error {
	var req api.PasswordRequest
	if err := decodeJSON(c, &req, "Password change", false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	user, err := s.store.FindUser(ctx, auth.FromContext(c).UserID)
	if err != nil {
		return err
	}
	if msg := content.CheckPassword(req.NewPassword, user.Email); msg != "" {
		return &content.Error{Code: content.EINVALID, Message: "Password change is invalid.", Fields: map[string]string{"new_password": msg}}
	}
	// Guessing the current password with a stolen token is throttled
	// like logging in.
	account, ip := user.Email, c.RealIP()
	if err := s.logins.check(c, account, ip); err != nil {
		return err
	}
	if !auth.CheckPassword(user.PasswordHash, req.CurrentPassword) {
		s.logins.fail("password change refused: wrong current password", account, ip)
		return content.Errorf(content.EFORBIDDEN, "The current password is wrong.")
	}
	s.logins.succeed(account, ip)
	hash, err := auth.HashPassword(req.NewPassword)
	if err != nil {
		return err
	}
	if _, err := s.store.UpdateUser(ctx, user.ID, content.UserUpdate{}, hash); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// loginThrottle slows down password guessing without locking the owner
// out, after OWASP's advice:
//   - an (account, client address) pair waits after its 5th failure,
//     1 s, then twice as long after each further failure, up to 15
//     minutes: one client guessing one account is stopped;
//   - a client address waits likewise after its 50th failure, whatever
//     the accounts: one client guessing many accounts is stopped, while
//     a newsroom behind one address survives its colleagues' typos;
//   - an account failing from many addresses is only slowed: after 10
//     failures each try waits up to 3 s before it is answered, and the
//     right password still works.
//
// Every failure and refusal is logged for the operator. The counts live
// in memory, per replica.
type loginThrottle struct {
	pairs, clients, accounts *auth.Backoff
	log                      *slog.Logger
}

const maxLoginSlowdown = 3 * time.Second

func newLoginThrottle(clk *clock.Clock, log *slog.Logger) loginThrottle {
	return loginThrottle{
		log:      log,
		pairs:    auth.NewBackoff(4, time.Second, 15*time.Minute, clk),
		clients:  auth.NewBackoff(49, time.Second, 15*time.Minute, clk),
		accounts: auth.NewBackoff(10, 250*time.Millisecond, 15*time.Minute, clk),
	}
}

// check refuses a pair or client that must wait, and slows down an
// account under attack before its password is checked.
func (l loginThrottle) check(c echo.Context, account, ip string) error {
	if wait := max(l.pairs.Wait(account+"\x00"+ip), l.clients.Wait(ip)); wait > 0 {
		l.log.Warn("login throttled", "account", account, "ip", ip, "retry_after", wait.Round(time.Second).String())
		return &content.Error{Code: content.ERATELIMITED, Message: "Too many failed logins; try again later.", RetryAfter: wait}
	}
	if slow := min(l.accounts.Wait(account), maxLoginSlowdown); slow > 0 {
		select {
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		case <-time.After(slow):
		}
	}
	return nil
}

// fail counts a wrong password and logs it.
func (l loginThrottle) fail(msg, account, ip string) {
	pair := l.pairs.Fail(account + "\x00" + ip)
	client := l.clients.Fail(ip)
	total := l.accounts.Fail(account)
	l.log.Warn(msg, "account", account, "ip", ip, "failures_pair", pair, "failures_client", client, "failures_account", total)
}

// succeed forgets the pair's failures. The client's and the account's
// stay: a success of one account must not clear an attack on others.
func (l loginThrottle) succeed(account, ip string) { l.pairs.Reset(account + "\x00" + ip) }
