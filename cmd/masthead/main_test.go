package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

func TestMain(m *testing.M) {
	if msg := testdb.CheckRequired(); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
	os.Exit(m.Run())
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

// TestServeDemo runs the program as `masthead serve --demo`, waits for
// /healthz, reads the demo content, and stops it as SIGTERM would.
func TestServeDemo(t *testing.T) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		addr := freeAddr(t)
		env := map[string]string{"MASTHEAD_ADDR": addr, "MASTHEAD_DATA_DIR": t.TempDir()}
		if engine == store.Postgres {
			env["MASTHEAD_DATABASE_URL"] = testdb.URL(t, engine)
			env["MASTHEAD_JWT_SECRET"] = strings.Repeat("s", 32)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out syncBuffer
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"serve", "--demo"}, envFunc(env), strings.NewReader(""), &out, &out) }()

		base := "http://" + addr
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp, err := http.Get(base + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			select {
			case err := <-done:
				t.Fatalf("run ended early: %v\n%s", err, out.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("no /healthz within 20s:\n%s", out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		resp, err := http.Get(base + "/api/v1/articles?limit=100")
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
		if len(list.Data) != 10 || langs["ar"] == 0 || langs["en"] == 0 {
			t.Fatalf("demo articles visible: %d by language %v", len(list.Data), langs)
		}
		// The one-time admin password is in the log, and it works.
		m := regexp.MustCompile(`"password":"([A-Za-z0-9]{20})"`).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("no admin password in the log:\n%s", out.String())
		}
		body := fmt.Sprintf(`{"email":"admin@masthead.local","password":%q}`, m[1])
		resp, err = http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("demo admin login: %v %v", err, resp.Status)
		}
		resp.Body.Close()
		if !strings.Contains(out.String(), base[len("http://"):]) || !strings.Contains(out.String(), "/docs") {
			t.Errorf("the log does not print the API and docs URLs:\n%s", out.String())
		}

		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run: %v", err)
			}
		case <-time.After(25 * time.Second):
			t.Fatal("run did not stop")
		}
	})
}

func TestConfigErrorsEndAtStart(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"postgres without secret": {"MASTHEAD_DATABASE_URL": "postgres://localhost/x"},
		"short secret":            {"MASTHEAD_JWT_SECRET": "short"},
		"bad database URL":        {"MASTHEAD_DATABASE_URL": "mysql://x"},
		"bad address":             {"MASTHEAD_ADDR": "8080"},
		"admin email alone":       {"MASTHEAD_ADMIN_EMAIL": "a@example.com"},
		"bad CORS origin":         {"MASTHEAD_CORS_ORIGINS": "not a url"},
		"bad proxy":               {"MASTHEAD_TRUSTED_PROXIES": "10.0.0.0/99"},
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
		out = syncBuffer{}
		if err := run(context.Background(), []string{"migrate", "status"}, envFunc(env), nil, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "applied  0001 0001_content.sql") {
			t.Fatalf("migrate status:\n%s", out.String())
		}
	})
}
