package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestTokenHygiene forges tokens every way a verifier has been fooled
// before; each must be refused with 401 and WWW-Authenticate.
func TestTokenHygiene(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		good, userID := e.user(content.RoleAdmin, "admin@example.com")
		claims, err := e.tokens.Verify(good)
		if err != nil {
			t.Fatal(err)
		}
		sid := claims.SID
		now := time.Now()
		base := func() jwt.MapClaims {
			return jwt.MapClaims{"sub": userID, "role": "admin", "sid": sid, "iss": auth.Issuer, "aud": auth.Audience,
				"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "x"}
		}
		sign := func(m jwt.SigningMethod, key any, edit func(jwt.MapClaims)) string {
			c := base()
			if edit != nil {
				edit(c)
			}
			s, err := jwt.NewWithClaims(m, c).SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
		pub, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
		pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
		none := func() string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, base()).SignedString(jwt.UnsafeAllowNoneSignatureType)
			return s
		}()

		// The well-formed control passes, so the rest fail for their flaw.
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: sign(jwt.SigningMethodHS256, testSecret, nil)}), http.StatusOK, "")
		forged := map[string]string{
			"alg none":                none,
			"HS384 with the secret":   sign(jwt.SigningMethodHS384, testSecret, nil),
			"HS512 with the secret":   sign(jwt.SigningMethodHS512, testSecret, nil),
			"RS256":                   sign(jwt.SigningMethodRS256, rsaKey, nil),
			"public key as HMAC key":  sign(jwt.SigningMethodHS256, pubPEM, nil),
			"other secret":            sign(jwt.SigningMethodHS256, []byte("another-secret-that-is-32-bytes-long!!"), nil),
			"no exp":                  sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { delete(c, "exp") }),
			"expired":                 sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }),
			"future iat":              sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }),
			"future nbf":              sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }),
			"wrong iss":               sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["iss"] = "evil" }),
			"no iss":                  sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { delete(c, "iss") }),
			"wrong aud":               sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["aud"] = "readers" }),
			"no aud":                  sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { delete(c, "aud") }),
			"unknown session":         sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["sid"] = "nope" }),
			"sub of another user":     sign(jwt.SigningMethodHS256, testSecret, func(c jwt.MapClaims) { c["sub"] = "someone-else" }),
			"garbage":                 "not.a.token",
			"refresh token as bearer": e.login("admin@example.com", testPassword).RefreshToken,
			"tampered payload":        good[:strings.Index(good, ".")+1] + "eyJzdWIiOiJ4In0" + good[strings.LastIndex(good, "."):],
		}
		for name, tok := range forged {
			r := e.do(req{method: "GET", path: "/api/v1/auth/me", token: tok})
			if r.Status != http.StatusUnauthorized || r.errorCode() != content.EUNAUTHORIZED || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: got %d %q, WWW-Authenticate %q", name, r.Status, r.errorCode(), r.Header.Get("WWW-Authenticate"))
			}
		}
		// Tokens are read from the Authorization header only.
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me?access_token=" + good}), http.StatusUnauthorized, content.EUNAUTHORIZED)
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", header: map[string]string{"Authorization": "Basic " + good}}), http.StatusUnauthorized, content.EUNAUTHORIZED)
		// An access token is no refresh token.
		want(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": good}}), http.StatusUnauthorized, content.EUNAUTHORIZED)
	})
}

func TestRefreshRotationAndRevocation(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		_, userID := e.user(content.RoleEditor, "ed@example.com")
		first := e.login("ed@example.com", testPassword)
		if first.TokenType != "Bearer" || first.ExpiresIn != 900 {
			t.Fatalf("login: %+v", first)
		}
		refresh := func(tok string) (*response, tokens) {
			r := e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tok}})
			var out struct{ Data tokens }
			if r.Status == http.StatusOK {
				r.decode(t, &out)
			}
			return r, out.Data
		}
		r, second := refresh(first.RefreshToken)
		want(t, r, http.StatusOK, "")
		if second.RefreshToken == first.RefreshToken {
			t.Fatal("refresh token not rotated")
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: second.AccessToken}), http.StatusOK, "")
		// Within 10 seconds, the spent token gets the same successor again
		// (a second tab, a retry), while that successor is unused.
		r, again := refresh(first.RefreshToken)
		want(t, r, http.StatusOK, "")
		if again.RefreshToken != second.RefreshToken {
			t.Fatal("a raced refresh got another successor")
		}
		// Later, reusing the spent token revokes the whole login: the new
		// tokens die too.
		e.clock.Advance(11 * time.Second)
		r, _ = refresh(first.RefreshToken)
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
		r, _ = refresh(second.RefreshToken)
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: second.AccessToken}), http.StatusUnauthorized, content.EUNAUTHORIZED)

		// Within the grace, a token whose successor was spent already is
		// reuse too.
		fourth := e.login("ed@example.com", testPassword)
		_, fifth := refresh(fourth.RefreshToken)
		_, sixth := refresh(fifth.RefreshToken)
		r, _ = refresh(fourth.RefreshToken)
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: sixth.AccessToken}), http.StatusUnauthorized, content.EUNAUTHORIZED)

		// Logout ends the login.
		third := e.login("ed@example.com", testPassword)
		want(t, e.do(req{method: "POST", path: "/api/v1/auth/logout", token: third.AccessToken}), http.StatusNoContent, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: third.AccessToken}), http.StatusUnauthorized, content.EUNAUTHORIZED)
		r, _ = refresh(third.RefreshToken)
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)

		// A password change or disabling ends every login of the user.
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		for _, change := range []map[string]any{{"password": "Another-Strong-Pass-42"}, {"disabled": true}} {
			a, b := e.login("ed@example.com", testPassword), e.login("ed@example.com", testPassword)
			want(t, e.do(req{method: "PATCH", path: "/api/v1/users/" + userID, body: change, token: admin}), http.StatusOK, "")
			for _, tok := range []tokens{a, b} {
				want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: tok.AccessToken}), http.StatusUnauthorized, content.EUNAUTHORIZED)
				r, _ := refresh(tok.RefreshToken)
				want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
			}
			// Put the password back for the next round.
			want(t, e.do(req{method: "PATCH", path: "/api/v1/users/" + userID, body: map[string]any{"password": testPassword}, token: admin}), http.StatusOK, "")
		}
		// Disabled users cannot log in.
		r = e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "ed@example.com", "password": testPassword}})
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
	})
}

func TestLoginFailures(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		e.user(content.RoleWriter, "writer@example.com")
		login := func(email, pw string) *response {
			return e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": pw}})
		}
		// Unknown address and wrong password look the same.
		a, b := login("nobody@example.com", "Wrong-Password-123"), login("writer@example.com", "Wrong-Password-123")
		strip := func(r *response) string {
			s := string(r.Body)
			return s[:strings.Index(s, `"request_id"`)]
		}
		if a.Status != b.Status || strip(a) != strip(b) {
			t.Fatalf("unknown user %d %s vs wrong password %d %s", a.Status, a.Body, b.Status, b.Body)
		}
		// The address is case-insensitive.
		want(t, login("WRITER@Example.com", testPassword), http.StatusOK, "")
		for i := 0; i < 5; i++ {
			login("writer@example.com", "Wrong-Password-123")
		}
		r := login("writer@example.com", testPassword)
		want(t, r, http.StatusTooManyRequests, content.ERATELIMITED)
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s <= 0 {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	})
}

// TestLoginThrottleStopsAttackersNotEditors: failures from other client
// addresses never lock the owner out (they only slow the account down);
// one address guessing one account waits ever longer; one address
// guessing many accounts is stopped too; a wrong current password on
// /auth/password is throttled like a login.
func TestLoginThrottleStopsAttackersNotEditors(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
		e := newEnv(t, engine, func(c *server.Config) { c.TrustedProxies = []*net.IPNet{loopback} })
		tok, _ := e.user(content.RoleEditor, "ed@example.com")
		e.user(content.RoleWriter, "pair@example.com")
		login := func(email, pw, ip string) *response {
			return e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": pw},
				header: map[string]string{"X-Forwarded-For": ip}})
		}
		// Twelve attackers, each from its own address, try the account.
		for i := range 12 {
			want(t, login("ed@example.com", "Wrong-Password-123", fmt.Sprintf("203.0.113.%d", i)), http.StatusUnauthorized, content.EUNAUTHORIZED)
		}
		// The owner, from the office, still gets in (slowed, not refused).
		start := time.Now()
		want(t, login("ed@example.com", testPassword, "198.51.100.10"), http.StatusOK, "")
		if took := time.Since(start); took < 100*time.Millisecond {
			t.Errorf("an account under attack answered in %v, want a slowdown", took)
		}
		// One address guessing one account: refused after 5 failures, with
		// a wait that doubles.
		for range 5 {
			want(t, login("pair@example.com", "Wrong-Password-123", "192.0.2.1"), http.StatusUnauthorized, content.EUNAUTHORIZED)
		}
		r := login("pair@example.com", testPassword, "192.0.2.1")
		want(t, r, http.StatusTooManyRequests, content.ERATELIMITED)
		want(t, login("pair@example.com", testPassword, "198.51.100.10"), http.StatusOK, "") // not from elsewhere
		e.clock.Advance(2 * time.Second)
		want(t, login("pair@example.com", "Wrong-Password-123", "192.0.2.1"), http.StatusUnauthorized, content.EUNAUTHORIZED)
		if r := login("pair@example.com", testPassword, "192.0.2.1"); r.Status != http.StatusTooManyRequests {
			t.Fatalf("after a 6th failure the wait should have doubled: %d", r.Status)
		}
		// One address guessing many accounts is stopped after 50.
		for i := range 50 {
			login(fmt.Sprintf("user%d@example.com", i), "Wrong-Password-123", "192.0.2.99")
		}
		want(t, login("someone-else@example.com", "Wrong-Password-123", "192.0.2.99"), http.StatusTooManyRequests, content.ERATELIMITED)
		// A stolen token cannot guess the current password freely. (A minute
		// on, the account attacked above is no longer slowed down.)
		e.clock.Advance(time.Minute)
		change := func() *response {
			return e.do(req{method: "POST", path: "/api/v1/auth/password", token: tok, header: map[string]string{"X-Forwarded-For": "192.0.2.50"},
				body: map[string]string{"current_password": "Guess-Number-1234", "new_password": "A-New-Password-2026"}})
		}
		for range 5 {
			want(t, change(), http.StatusForbidden, content.EFORBIDDEN)
		}
		want(t, change(), http.StatusTooManyRequests, content.ERATELIMITED)
	})
}

// TestParallelRefreshKeepsTheLogin: ten refreshes of one token at once
// (two tabs, a mobile retry) all get the same successor, and the login
// lives on.
func TestParallelRefreshKeepsTheLogin(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		e.user(content.RoleEditor, "ed@example.com")
		first := e.login("ed@example.com", testPassword)
		var wg sync.WaitGroup
		got := make([]tokens, 10)
		for i := range got {
			wg.Go(func() {
				r := e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": first.RefreshToken}})
				want(t, r, http.StatusOK, "")
				var out struct{ Data tokens }
				r.decode(t, &out)
				got[i] = out.Data
			})
		}
		wg.Wait()
		for _, g := range got {
			if g.RefreshToken != got[0].RefreshToken {
				t.Fatal("parallel refreshes got different successors")
			}
			want(t, e.do(req{method: "GET", path: "/api/v1/auth/me", token: g.AccessToken}), http.StatusOK, "")
		}
		r := e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": got[0].RefreshToken}})
		want(t, r, http.StatusOK, "")
	})
}

func TestRoles(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		editor := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		other, _ := e.user(content.RoleWriter, "other@example.com")

		mine := e.draft(writer, nil)
		theirs := e.draft(other, nil)
		// Writers edit their own drafts, not others', and cannot publish.
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + mine.ID, body: map[string]any{"title": "Mine"}, token: writer}), http.StatusOK, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + theirs.ID, body: map[string]any{"title": "Theirs"}, token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + theirs.ID, token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + mine.ID + "/publish", token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		// Their lists show only their own drafts.
		if l := e.list("/api/v1/articles?status=draft", writer); len(l.Data) != 1 || l.Data[0].ID != mine.ID {
			t.Fatalf("writer's drafts: %+v", l.Data)
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/articles/" + theirs.ID, token: writer}), http.StatusNotFound, content.ENOTFOUND)
		// Once an editor publishes, the writer can no longer change it.
		e.publish(editor, mine.ID, "")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + mine.ID, body: map[string]any{"title": "Sneaky"}, token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		// Editors manage content, not users; writers not sections.
		want(t, e.do(req{method: "POST", path: "/api/v1/users", body: map[string]any{"email": "x@example.com", "name": "X", "role": "admin", "password": testPassword}, token: editor}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "POST", path: "/api/v1/categories", body: map[string]any{"name": "Sport"}, token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + theirs.ID, token: editor}), http.StatusNoContent, "")
		// No token: 401 with WWW-Authenticate.
		r := e.do(req{method: "POST", path: "/api/v1/articles", body: map[string]any{"title": "x"}})
		want(t, r, http.StatusUnauthorized, content.EUNAUTHORIZED)
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	})
}

func TestUsers(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		admin, adminID := e.user(content.RoleAdmin, "admin@example.com")
		post := func(body any) *response {
			return e.do(req{method: "POST", path: "/api/v1/users", body: body, token: admin})
		}
		r := post(map[string]any{"email": "New.Writer@Example.com", "name": "New", "role": "writer", "password": testPassword})
		want(t, r, http.StatusCreated, "")
		if strings.Contains(string(r.Body), "password") {
			t.Fatalf("user response shows password: %s", r.Body)
		}
		want(t, post(map[string]any{"email": "new.writer@example.COM", "name": "Dup", "role": "writer", "password": testPassword}), http.StatusConflict, content.ECONFLICT)
		for name, body := range map[string]map[string]any{
			"weak password":  {"email": "a@example.com", "name": "A", "role": "writer", "password": "password"},
			"short password": {"email": "a@example.com", "name": "A", "role": "writer", "password": "Ab1!"},
			"bad role":       {"email": "a@example.com", "name": "A", "role": "owner", "password": testPassword},
			"bad email":      {"email": "not-an-address", "name": "A", "role": "writer", "password": testPassword},
			"header inject":  {"email": "a@example.com\r\nBcc: x@y.z", "name": "A", "role": "writer", "password": testPassword},
			"missing":        {},
			"hash sent":      {"email": "a@example.com", "name": "A", "role": "writer", "password": testPassword, "password_hash": "x"},
		} {
			r := post(body)
			if r.Status != http.StatusBadRequest || r.errorCode() != content.EINVALID {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/users/" + adminID, body: map[string]any{"disabled": true}, token: admin}), http.StatusConflict, content.ECONFLICT)
		var l struct{ Data []map[string]any }
		e.do(req{method: "GET", path: "/api/v1/users", token: admin}).decode(t, &l)
		if len(l.Data) != 2 {
			t.Fatalf("users: %v", l.Data)
		}
	})
}
