package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// Input that reached the database unchecked, found by an attacker's
// sweep; each case answered 500 (or worse) before.

func TestCursorsCheckedBeforeAnyQuery(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		editor := e.newsroom()
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		wh := e.webhook(t, admin, map[string]any{"url": "https://hooks.example.com/x", "events": []string{"*"}})
		cursor := func(v map[string]any) string {
			b, _ := json.Marshal(v)
			return base64.RawURLEncoding.EncodeToString(b)
		}
		now := time.Now().UTC().Format(time.RFC3339Nano)
		for name, c := range map[string]string{
			"NUL in id":         cursor(map[string]any{"k": now, "i": "01J\u0000", "s": "-published_at"}),
			"not a ULID":        cursor(map[string]any{"k": now, "i": "'; DROP TABLE articles; --", "s": "-published_at"}),
			"year 1":            cursor(map[string]any{"k": "0001-01-01T00:00:00Z", "i": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", "s": "-published_at"}),
			"other sort":        cursor(map[string]any{"k": now, "i": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", "s": "published_at"}),
			"not base64":        "!!!",
			"not JSON":          base64.RawURLEncoding.EncodeToString([]byte("{")),
			"a number for time": cursor(map[string]any{"k": 5, "i": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", "s": "-published_at"}),
		} {
			for _, path := range []string{
				"/api/v1/articles?cursor=" + c,
				"/api/v1/newsletter/subscribers?cursor=" + c,
				"/api/v1/webhooks/" + wh.ID + "/deliveries?cursor=" + c,
			} {
				tok := editor
				if strings.Contains(path, "webhooks") {
					tok = admin
				}
				before := e.store.Queries()
				if r := e.do(req{method: "GET", path: path, token: tok}); r.Status != http.StatusBadRequest || r.errorCode() != content.EINVALID {
					t.Errorf("%s on %s: %d %s", name, path, r.Status, r.Body)
				}
				// The token's session is the one query allowed.
				if n := e.store.Queries() - before; n > 1 {
					t.Errorf("%s on %s ran %d statements", name, path, n)
				}
			}
		}
	})
}

func TestTimesBounded(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site = testSite })
		tok := e.newsroom()
		a := e.draft(tok, nil)
		for _, at := range []string{"0000-01-01T00:00:00Z", "1899-12-31T23:59:59Z", time.Now().AddDate(11, 0, 0).UTC().Format(time.RFC3339)} {
			r := e.do(req{method: "POST", path: "/api/v1/articles/" + a.ID + "/publish", token: tok, body: map[string]string{"published_at": at}})
			want(t, r, http.StatusBadRequest, content.EINVALID)
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, token: tok, body: map[string]any{"breaking_until": "0001-01-01T00:00:00Z"}}),
			http.StatusBadRequest, content.EINVALID)
		for _, q := range []string{"since=0001-01-01T00:00:00Z", "until=9999-01-01T00:00:00Z"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/articles?" + q}), http.StatusBadRequest, content.EINVALID)
		}
		// An archive from 1950 and one from last month: the sitemap index
		// walks the months that have articles, not the years between.
		e.publish(tok, a.ID, "1950-05-01T10:00:00Z")
		e.publish(tok, e.draft(tok, map[string]any{"title": "Recent"}).ID, "")
		before := e.store.Queries()
		r := e.do(req{method: "GET", path: "/sitemap.xml"})
		want(t, r, http.StatusOK, "")
		if !strings.Contains(string(r.Body), "articles-1950-05.xml") {
			t.Fatalf("sitemap index: %s", r.Body)
		}
		if n := e.store.Queries() - before; n > 6 {
			t.Errorf("sitemap index over 76 years ran %d statements", n)
		}
	})
}

func TestHiddenCharactersRefused(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		for _, bad := range []string{"Gaza \u202Eyad", "Zero\u200Bwidth", "\uFEFFBOM", "Isolate \u2067x\u2069", "Non\uFDD0char", "Max\U0010FFFF"} {
			for _, c := range []struct{ path, field string }{
				{"/api/v1/articles", "title"}, {"/api/v1/tags", "name"}, {"/api/v1/authors", "name"}, {"/api/v1/categories", "name"},
			} {
				body := map[string]any{c.field: bad}
				if c.path == "/api/v1/articles" {
					body = map[string]any{"title": bad, "body": "x", "language": "en", "category": "news", "authors": []string{"levant-desk"}}
				}
				r := e.do(req{method: "POST", path: c.path, token: tok, body: body})
				want(t, r, http.StatusBadRequest, content.EINVALID)
			}
		}
		// The marks Arabic and mixed text needs are kept.
		title := "\u200Fبيان\u200E Reuters \u061Cتقرير\u200Cها"
		a := e.draft(tok, map[string]any{"title": title, "body": "نص \u202Eمقلوب\u202C وBOM\uFEFF."})
		if a.Title != title {
			t.Fatalf("title %q, want %q", a.Title, title)
		}
		r := e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID, token: tok})
		if strings.ContainsAny(string(r.Body), "\u202E\u202C\uFEFF") {
			t.Fatalf("hidden characters kept in the body: %s", r.Body)
		}
	})
}

func TestOversizedHeadersInErrorShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	for _, n := range []int{100 << 10, 2 << 20} {
		r := e.do(req{method: "GET", path: "/api/v1/articles", header: map[string]string{"X-Big": strings.Repeat("a", n)}})
		want(t, r, http.StatusRequestHeaderFieldsTooLarge, content.EHEADERSTOOLARGE)
	}
	want(t, e.do(req{method: "GET", path: "/api/v1/articles?cursor=%%%"}), http.StatusBadRequest, content.EINVALID)
}

// TestWritersCannotFeature: featured and breaking put a story on the
// front page, which is the editors' call.
func TestWritersCannotFeature(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		editor := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		base := map[string]any{"title": "Mine", "body": "x", "language": "en", "category": "news", "authors": []string{"levant-desk"}}
		for _, flag := range []map[string]any{{"featured": true}, {"breaking": true}, {"breaking_until": "2030-01-01T00:00:00Z"}} {
			body := map[string]any{}
			for k, v := range base {
				body[k] = v
			}
			for k, v := range flag {
				body[k] = v
			}
			want(t, e.do(req{method: "POST", path: "/api/v1/articles", token: writer, body: body}), http.StatusForbidden, content.EFORBIDDEN)
		}
		mine := e.draft(writer, map[string]any{"featured": false})
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + mine.ID, token: writer, body: map[string]any{"breaking": true}}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + mine.ID, token: editor, body: map[string]any{"featured": true}}), http.StatusOK, "")
	})
}

// TestMetadataAlwaysRefused: even with private addresses allowed, no
// webhook may name a cloud metadata service.
func TestMetadataAlwaysRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite, func(c *server.Config) { c.WebhookAllowPrivate = true })
	admin, _ := e.user(content.RoleAdmin, "admin@example.com")
	for _, u := range []string{"http://169.254.169.254/latest", "http://100.100.100.200/x", "http://[fd00:ec2::254]/x", "http://168.63.129.16/x"} {
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks", token: admin, body: map[string]any{"url": u, "events": []string{"*"}}}),
			http.StatusBadRequest, content.EINVALID)
	}
	want(t, e.do(req{method: "POST", path: "/api/v1/webhooks", token: admin, body: map[string]any{"url": "http://10.0.0.5/x", "events": []string{"*"}}}),
		http.StatusCreated, "")
}

// TestSQLiteDiskFull: with the database's file at its size limit, writes
// (logins too) answer 507 in the error shape, reads keep working, and
// /readyz says why until space is back.
func TestSQLiteDiskFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	tok := e.newsroom()
	db := e.store.SQLDB()
	db.SetMaxOpenConns(1) // the page limit is per connection: keep one
	var pages int
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("A long story. ", 2000)
	r := e.do(req{method: "POST", path: "/api/v1/articles", token: tok, body: map[string]any{
		"title": "Full", "body": big, "language": "en", "category": "news", "authors": []string{"levant-desk"}}})
	want(t, r, http.StatusInsufficientStorage, content.ESTORAGEFULL)
	want(t, e.do(req{method: "GET", path: "/api/v1/articles"}), http.StatusOK, "")
	want(t, e.do(req{method: "GET", path: "/readyz"}), http.StatusServiceUnavailable, content.EUNAVAILABLE)
	if _, err := db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(31 * time.Second)
	want(t, e.do(req{method: "GET", path: "/readyz"}), http.StatusOK, "")
	want(t, e.do(req{method: "POST", path: "/api/v1/articles", token: tok, body: map[string]any{
		"title": "Room again", "body": big, "language": "en", "category": "news", "authors": []string{"levant-desk"}}}), http.StatusCreated, "")
}

// TestClientGoneIsNotAnError: a client that disconnects mid-request is
// logged at info with 499, not as an ERROR with 500.
func TestClientGoneIsNotAnError(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	e := newEnv(t, store.SQLite, func(c *server.Config) {
		c.Log, c.TrustedProxies = slog.New(slog.NewJSONHandler(&logs, nil)), []*net.IPNet{loopback}
	})
	e.user(content.RoleEditor, "ed@example.com")
	for i := range 14 { // failures from many addresses: the account is slowed down before each try
		e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "ed@example.com", "password": "Wrong-Password-123"},
			header: map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	hr, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+"/api/v1/auth/login", strings.NewReader(`{"email":"ed@example.com","password":"x"}`))
	hr.Header.Set("Content-Type", "application/json")
	if _, err := http.DefaultClient.Do(hr); err == nil {
		t.Fatal("the request was answered before the client gave up")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `"status":499`) {
		if time.Now().After(deadline) {
			t.Fatalf("no 499 logged:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"status":499`) && !strings.Contains(line, `"level":"INFO"`) || strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("logged: %s", line)
		}
	}
}

// syncBuffer is a bytes.Buffer the server may write while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
