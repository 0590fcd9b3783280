package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/internal/testsmtp"
	"github.com/masthead/masthead/internal/webhook"
)

func TestMain(m *testing.M) { testdb.Main(m) }

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

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func envFunc(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// serving is a running `masthead serve`.
type serving struct {
	base string
	out  *syncBuffer
	stop func() error
}

// startServe runs the program with args and env until the test stops it,
// waiting until /readyz answers 200 (the database reached and migrated).
// Unless the test sets one, there is no shutdown delay.
func startServe(t *testing.T, env map[string]string, args ...string) *serving {
	t.Helper()
	return startServeUntil(t, "/readyz", env, args...)
}

// startServeUntil is startServe waiting for path to answer 200.
func startServeUntil(t *testing.T, path string, env map[string]string, args ...string) *serving {
	t.Helper()
	addr := freeAddr(t)
	env["MASTHEAD_ADDR"] = addr
	if _, ok := env["MASTHEAD_SHUTDOWN_DELAY"]; !ok {
		env["MASTHEAD_SHUTDOWN_DELAY"] = "0s"
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), envFunc(env), strings.NewReader(""), out, out)
	}()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(25 * time.Second):
			return fmt.Errorf("run did not stop")
		}
	}
	t.Cleanup(func() { stop() })
	base := "http://" + addr
	// A bound on waiting, not a speed test: the demo draws and processes
	// its images, which under -race with every package's tests running
	// takes seconds.
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return &serving{base: base, out: out, stop: stop}
			}
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 60s:\n%s", path, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func login(t *testing.T, base, email, password string) int {
	t.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeDemo runs the program as `masthead serve --demo`, waits for
// /healthz, reads the demo content, and stops it as SIGTERM would.
func TestServeDemo(t *testing.T) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir()}
		if engine == store.Postgres {
			env["MASTHEAD_DATABASE_URL"] = testdb.URL(t, engine)
			env["MASTHEAD_JWT_SECRET"] = strings.Repeat("s", 32)
		}
		srv := startServe(t, env, "--demo")
		resp, err := http.Get(srv.base + "/api/v1/articles?limit=100")
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Data []struct{ Language string } }
		json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		langs := map[string]int{}
		for _, a := range list.Data {
			langs[a.Language]++
		}
		if len(list.Data) != 11 || langs["ar"] == 0 || langs["en"] == 0 {
			t.Fatalf("demo articles visible: %d by language %v", len(list.Data), langs)
		}
		// The Beirut story in both languages: linked, named in each.
		resp, err = http.Get(srv.base + "/api/v1/articles/slug/" + url.PathEscape("انفجار-في-مرفأ-بيروت-يوقع-عشرات-الجرحى"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`"language":"en","id":`, `"name":"أخبار"`, `"name":"مكتب المشرق"`} {
			if !strings.Contains(string(body), want) {
				t.Errorf("the demo's Arabic Beirut story lacks %s: %.600s", want, body)
			}
		}
		// The one-time admin password is in the log, and it works.
		m := regexp.MustCompile(`"password":"([A-Za-z0-9]{20})"`).FindStringSubmatch(srv.out.String())
		if m == nil {
			t.Fatalf("no admin password in the log:\n%s", srv.out.String())
		}
		if code := login(t, srv.base, "admin@masthead.local", m[1]); code != http.StatusOK {
			t.Fatalf("demo admin login: %d", code)
		}
		if !strings.Contains(srv.out.String(), srv.base[len("http://"):]+"/docs") {
			t.Errorf("the log does not print the docs URL:\n%s", srv.out.String())
		}
		if strings.Contains(srv.out.String(), "eyJ") {
			t.Errorf("a token reached the log:\n%s", srv.out.String())
		}
		// Reads accepted just before a graceful stop are written by it.
		var first struct{ Data []struct{ ID string } }
		resp, err = http.Get(srv.base + "/api/v1/articles?limit=1")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&first)
		resp.Body.Close()
		for i := range 7 {
			body := fmt.Sprintf(`{"visitor_id":"reader-%d"}`, i)
			hr, _ := http.NewRequest("POST", srv.base+"/api/v1/articles/"+first.Data[0].ID+"/views", strings.NewReader(body))
			hr.Header.Set("Content-Type", "application/json")
			hr.Header.Set("User-Agent", "Mozilla/5.0 (Android 15; Mobile) Masthead-Reader/2.1") // a reader's app, not a script
			resp, err := http.DefaultClient.Do(hr)
			if err != nil || resp.StatusCode != http.StatusAccepted {
				t.Fatalf("view: %v %v", err, resp)
			}
			resp.Body.Close()
		}
		if err := srv.stop(); err != nil {
			t.Fatalf("run: %v", err)
		}
		url := env["MASTHEAD_DATABASE_URL"]
		if url == "" {
			url = "sqlite://" + env["MASTHEAD_DATA_DIR"] + "/masthead.db"
		}
		s, err := store.Open(context.Background(), url, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.FindArticle(context.Background(), first.Data[0].ID, true)
		s.Close()
		if err != nil || a.ViewCount != 7 {
			t.Fatalf("after a graceful stop: view_count %v (%v), want 7", a, err)
		}
		// A second start finds the content there and loads nothing twice.
		srv = startServe(t, env, "--demo")
		if strings.Contains(srv.out.String(), "loading demo content") {
			t.Error("demo content loaded into a database that had some")
		}
		if !strings.Contains(srv.out.String(), "demo content not loaded: the database already holds") {
			t.Errorf("the log does not say why the demo was not loaded:\n%s", srv.out.String())
		}
	})
}

// TestDemoAfterAdminFromEnvironment: an admin created from the
// environment first does not keep the demo out of an empty database.
func TestDemoAfterAdminFromEnvironment(t *testing.T) {
	env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_ADMIN_EMAIL": "boss@example.com", "MASTHEAD_ADMIN_PASSWORD": "Bootstrap-Pass-2026"}
	srv := startServe(t, env, "--demo")
	defer srv.stop()
	resp, err := http.Get(srv.base + "/api/v1/articles?limit=100")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Data []struct{ ID string } }
	json.NewDecoder(resp.Body).Decode(&list)
	if len(list.Data) != 11 {
		t.Fatalf("%d demo articles visible, want 11:\n%s", len(list.Data), srv.out.String())
	}
	if code := login(t, srv.base, "boss@example.com", "Bootstrap-Pass-2026"); code != http.StatusOK {
		t.Fatalf("bootstrapped admin login: %d", code)
	}
}

func TestAdminFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"MASTHEAD_DATA_DIR": dir, "MASTHEAD_ADMIN_EMAIL": "Boss@Example.com", "MASTHEAD_ADMIN_PASSWORD": "Bootstrap-Pass-2026"}
	srv := startServe(t, env)
	if code := login(t, srv.base, "boss@example.com", "Bootstrap-Pass-2026"); code != http.StatusOK {
		t.Fatalf("bootstrapped admin login: %d", code)
	}
	// The generated JWT secret is kept with mode 0600.
	info, err := os.Stat(dir + "/jwt-secret")
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("jwt-secret: %v %v", info, err)
	}
	srv.stop()
	// A weak bootstrap password ends the start with one clear line.
	env = map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_ADMIN_EMAIL": "a@example.com", "MASTHEAD_ADMIN_PASSWORD": "weak", "MASTHEAD_ADDR": freeAddr(t)}
	err = run(context.Background(), []string{"serve"}, envFunc(env), strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("weak bootstrap password: %v", err)
	}
}

func TestConfigErrorsEndAtStart(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"postgres without secret":    {"MASTHEAD_DATABASE_URL": "postgres://localhost/x"},
		"short secret":               {"MASTHEAD_JWT_SECRET": "short"},
		"bad database URL":           {"MASTHEAD_DATABASE_URL": "mysql://x"},
		"bad address":                {"MASTHEAD_ADDR": "8080"},
		"admin email alone":          {"MASTHEAD_ADMIN_EMAIL": "a@example.com"},
		"bad CORS origin":            {"MASTHEAD_CORS_ORIGINS": "not a url"},
		"bad proxy":                  {"MASTHEAD_TRUSTED_PROXIES": "10.0.0.0/99"},
		"bad site URL":               {"MASTHEAD_SITE_URL": "www.example.com"},
		"article path without slug":  {"MASTHEAD_ARTICLE_PATH": "/news/"},
		"bad SMTP URL":               {"MASTHEAD_SMTP_URL": "mail.example.com:587"},
		"bad sender":                 {"MASTHEAD_MAIL_FROM": "news\r\nBcc: x@example.com"},
		"bad rate limit":             {"MASTHEAD_NEWSLETTER_RATE_LIMIT": "0"},
		"bad confirm TTL":            {"MASTHEAD_NEWSLETTER_CONFIRM_TTL": "2 days"},
		"bad allow private":          {"MASTHEAD_WEBHOOK_ALLOW_PRIVATE": "yes please"},
		"bad shutdown delay":         {"MASTHEAD_SHUTDOWN_DELAY": "soon"},
		"bad metrics address":        {"MASTHEAD_METRICS_ADDR": "9090"},
		"unknown embed provider":     {"MASTHEAD_EMBEDS": "youtube,myspace"},
		"publication names not JSON": {"MASTHEAD_PUBLICATION_NAMES": "ar=x"},
		"lang without a default":     {"MASTHEAD_SECTION_PATH": "/{lang}/{slug}"},
	} {
		env["MASTHEAD_DATA_DIR"] = t.TempDir()
		err := run(context.Background(), []string{"serve"}, envFunc(env), strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want a one-line error", name, err)
		}
	}
}

func TestUserCreateAndMigrateStatus(t *testing.T) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_JWT_SECRET": strings.Repeat("s", 32)}
		if engine == store.Postgres {
			env["MASTHEAD_DATABASE_URL"] = testdb.URL(t, engine)
		}
		args := []string{"user", "create", "--email", "Ed@Example.com", "--name", "Ed", "--role", "editor", "--password-stdin"}
		var out syncBuffer
		err := run(context.Background(), args, envFunc(env), strings.NewReader("password\n"), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "password") {
			t.Fatalf("weak password: %v", err)
		}
		if err := run(context.Background(), args, envFunc(env), strings.NewReader("A-much-better-pass-2026\n"), &out, &out); err != nil {
			t.Fatal(err)
		}
		if err := run(context.Background(), args, envFunc(env), strings.NewReader("A-much-better-pass-2026\n"), &out, &out); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Fatalf("duplicate: %v", err)
		}
		// A lost password is reset from the command line; the old logins end.
		reset := []string{"user", "reset-password", "--email", "ed@example.com", "--password-stdin"}
		if err := run(context.Background(), reset, envFunc(env), strings.NewReader("short\n"), &out, &out); err == nil || !strings.Contains(err.Error(), "password") {
			t.Fatalf("weak new password: %v", err)
		}
		if err := run(context.Background(), []string{"user", "reset-password", "--email", "nobody@example.com", "--password-stdin"}, envFunc(env),
			strings.NewReader("Another-good-pass-2026\n"), &out, &out); err == nil || !strings.Contains(err.Error(), "no user") {
			t.Fatalf("unknown user: %v", err)
		}
		if err := run(context.Background(), reset, envFunc(env), strings.NewReader("Another-good-pass-2026\n"), &out, &out); err != nil {
			t.Fatal(err)
		}
		out = syncBuffer{}
		if err := run(context.Background(), []string{"user", "list"}, envFunc(env), nil, &out, &out); err != nil || !strings.Contains(out.String(), "editor  active   ed@example.com") {
			t.Fatalf("user list: %v\n%s", err, out.String())
		}
		s, err := store.Open(context.Background(), env["MASTHEAD_DATABASE_URL"]+sqliteIn(env), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.FindUserByEmail(context.Background(), "ed@example.com")
		s.Close()
		if err != nil || !auth.CheckPassword(u.PasswordHash, "Another-good-pass-2026") {
			t.Fatalf("after reset: %v", err)
		}
		out = syncBuffer{}
		if err := run(context.Background(), []string{"migrate", "status"}, envFunc(env), nil, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "applied  0001 0001_content.sql") {
			t.Fatalf("migrate status:\n%s", out.String())
		}
	})
}

// TestServeDistribution runs the service with SMTP and webhooks
// configured: a sign-up's confirmation mail reaches a real SMTP server
// from the background outbox, and an event written while no server ran
// is delivered, signed, by the next one to start.
func TestServeDistribution(t *testing.T) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		smtpd := testsmtp.Start(t, testsmtp.Options{})
		got := make(chan *http.Request, 10)
		bodies := make(chan []byte, 10)
		rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got <- r
			bodies <- b
		}))
		defer rec.Close()
		env := map[string]string{
			"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_JWT_SECRET": strings.Repeat("s", 32),
			"MASTHEAD_SMTP_URL": "smtp://" + smtpd.Addr, "MASTHEAD_MAIL_FROM": "The Daily <news@example.com>",
			"MASTHEAD_SITE_URL": "https://www.example.com", "MASTHEAD_PUBLICATION_NAME": "The Daily",
			"MASTHEAD_WEBHOOK_ALLOW_PRIVATE": "true",
		}
		url := "sqlite://" + env["MASTHEAD_DATA_DIR"] + "/masthead.db"
		if engine == store.Postgres {
			url = testdb.URL(t, engine)
			env["MASTHEAD_DATABASE_URL"] = url
		}
		srv := startServe(t, env)
		resp, err := http.Post(srv.base+"/api/v1/newsletter/subscriptions", "application/json", strings.NewReader(`{"email":"reader@example.com","language":"ar"}`))
		if err != nil || resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %v %v", err, resp)
		}
		resp.Body.Close()
		deadline := time.Now().Add(15 * time.Second)
		for len(smtpd.Messages()) == 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if msgs := smtpd.Messages(); len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "https://www.example.com/newsletter/confirm?token=") {
			t.Fatalf("confirmation mail: %d messages", len(msgs))
		}
		if err := srv.stop(); err != nil {
			t.Fatal(err)
		}

		// While no server runs, a webhook is registered and a section
		// created (as another replica would): the event waits in its table.
		s, err := store.Open(context.Background(), url, nil, webhook.Encoder(content.DefaultSite))
		if err != nil {
			t.Fatal(err)
		}
		w := &content.Webhook{URL: rec.URL, Events: []string{"category.*"}, Secret: "a-shared-secret-0123", Active: true}
		name := "Sport"
		if err := s.CreateWebhook(context.Background(), w); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateCategory(context.Background(), content.CategoryUpdate{Term: content.Term{Name: &name}}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		startServe(t, env)
		select {
		case r := <-got:
			body := <-bodies
			if r.Header.Get("X-Masthead-Event") != "category.created" || !strings.Contains(string(body), `"slug":"sport"`) {
				t.Fatalf("delivered %s: %s", r.Header.Get("X-Masthead-Event"), body)
			}
			if err := webhook.Verify(w.Secret, r.Header.Get("X-Masthead-Signature"), body, time.Now(), time.Minute); err != nil {
				t.Fatal(err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the event written before the start was not delivered")
		}
	})
}

// sqliteIn is the SQLite URL of env's data folder when env names no
// database URL.
func sqliteIn(env map[string]string) string {
	if env["MASTHEAD_DATABASE_URL"] != "" {
		return ""
	}
	return "sqlite://" + env["MASTHEAD_DATA_DIR"] + "/masthead.db"
}
