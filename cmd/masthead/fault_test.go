package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestPostgresOutage runs the real program against a PostgreSQL server
// of the test's own and takes that server away: down at start, the
// program starts anyway (/healthz 200, /readyz and the API 503 with a
// reason) and serves once the database is back; restarted under load,
// requests get 503 with Retry-After, never 500, and the first request
// after the restart succeeds.
func TestPostgresOutage(t *testing.T) {
	pg := testdb.StartPostgres(t)
	pg.Stop()
	env := map[string]string{
		"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_DATABASE_URL": pg.URL(), "MASTHEAD_JWT_SECRET": strings.Repeat("s", 32),
		"MASTHEAD_ADMIN_EMAIL": "boss@example.com", "MASTHEAD_ADMIN_PASSWORD": "Bootstrap-Pass-2026",
	}
	srv := startServeUntil(t, "/healthz", env)
	get := func(path string) (int, string, http.Header) {
		resp, err := http.Get(srv.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Error.Code + ": " + body.Error.Message, resp.Header
	}
	// Until the first attempt to connect fails, readiness says the
	// database has not been reached yet; then that it is unreachable.
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		code, msg, _ := get("/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(msg, "not been reached yet") && !strings.Contains(msg, "unreachable") {
			t.Fatalf("/readyz with the database down: %d %s", code, msg)
		}
		if strings.Contains(msg, "unreachable") {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("/readyz still says %q 10 s after start", msg)
		}
	}
	if code, msg, h := get("/api/v1/articles"); code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.HasPrefix(msg, "unavailable") {
		t.Fatalf("API with the database down: %d %s %v", code, msg, h)
	}
	pg.Start()
	deadline := time.Now().Add(40 * time.Second)
	for {
		if code, _, _ := get("/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready 40 s after the database came back:\n%s", srv.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	token := loginToken(t, srv.base, "boss@example.com", "Bootstrap-Pass-2026")

	// Under load: readers list, an editor writes; the server restarts.
	var mu sync.Mutex
	statuses := map[string]map[int]int{"before": {}, "outage": {}, "after": {}}
	phase := "before"
	var firstAfter time.Duration
	var restarted time.Time
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 15 * time.Second}
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var hr *http.Request
				if w%4 == 0 {
					hr, _ = http.NewRequest("POST", srv.base+"/api/v1/tags", strings.NewReader(fmt.Sprintf(`{"name":"Tag %d %d"}`, w, i)))
					hr.Header.Set("Authorization", "Bearer "+token)
					hr.Header.Set("Content-Type", "application/json")
				} else {
					hr, _ = http.NewRequest("GET", srv.base+"/api/v1/articles?limit=5", nil)
				}
				resp, err := client.Do(hr)
				if err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				statuses[phase][resp.StatusCode]++
				if phase == "after" && firstAfter == 0 && resp.StatusCode < 300 {
					firstAfter = time.Since(restarted)
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(time.Second)
	mu.Lock()
	phase = "outage"
	mu.Unlock()
	pg.Stop()
	time.Sleep(2 * time.Second)
	pg.Start()
	mu.Lock()
	phase, restarted = "after", time.Now()
	mu.Unlock()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()
	t.Logf("status codes by phase: %v; first success %v after the database was back", statuses, firstAfter)
	for p, byStatus := range statuses {
		for code, n := range byStatus {
			if code >= 500 && code != http.StatusServiceUnavailable {
				t.Errorf("%s: %d answers with status %d", p, n, code)
			}
		}
	}
	if statuses["after"][http.StatusOK]+statuses["after"][http.StatusCreated] == 0 {
		t.Fatal("no success after the database came back")
	}
	if firstAfter > 2*time.Second {
		t.Errorf("first success %v after the database was back", firstAfter)
	}
}

func loginToken(t *testing.T, base, email, password string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			AccessToken string `json:"access_token"`
		}
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if out.Data.AccessToken == "" {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	return out.Data.AccessToken
}

// TestServeDemoDiskFull: a demo that does not fit on the disk ends the
// start with one line that says so.
func TestServeDemoDiskFull(t *testing.T) {
	dir := t.TempDir()
	// How many pages the empty, migrated database takes.
	probe := "sqlite://" + dir + "/probe.db"
	s, err := store.Open(context.Background(), probe, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var pages int
	s.SQLDB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err := s.SQLDB().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	s.Close()
	env := map[string]string{"MASTHEAD_DATA_DIR": dir, "MASTHEAD_ADDR": freeAddr(t), "MASTHEAD_SHUTDOWN_DELAY": "0s",
		"MASTHEAD_DATABASE_URL": fmt.Sprintf("sqlite://%s/full.db?_pragma=max_page_count(%d)", dir, pages+4)}
	out := &syncBuffer{}
	err = run(context.Background(), []string{"serve", "--demo"}, envFunc(env), strings.NewReader(""), out, out)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "full") {
		t.Fatalf("serve --demo on a full disk: %v", err)
	}
	if testing.Verbose() {
		t.Log(err)
	}
}

// TestShutdownDelay: on SIGTERM /readyz turns 503 at once while requests
// are still served for MASTHEAD_SHUTDOWN_DELAY; then the server drains
// and stops.
func TestShutdownDelay(t *testing.T) {
	env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_SHUTDOWN_DELAY": "1500ms"}
	srv := startServe(t, env)
	stopped := make(chan error, 1)
	start := time.Now()
	go func() { stopped <- srv.stop() }()
	deadline := time.Now().Add(time.Second)
	for {
		resp, err := http.Get(srv.base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not turn 503 on SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(srv.base + "/api/v1/articles")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a request during the shutdown delay: %v %v", err, resp)
	}
	resp.Body.Close()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 1500*time.Millisecond {
		t.Fatalf("stopped after %v, before the delay ran out", took)
	}
}

// TestMetrics scrapes the operators' address of a running server: the
// series for requests, the database, the view counter, the outboxes and
// scheduled publishing are there, and pprof answers; the public address
// serves neither.
func TestMetrics(t *testing.T) {
	metricsAddr := freeAddr(t)
	env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_METRICS_ADDR": metricsAddr}
	srv := startServe(t, env, "--demo")
	for range 3 {
		resp, err := http.Get(srv.base + "/api/v1/articles?limit=2")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, series := range []string{
		`masthead_http_requests_total{method="GET",route="/api/v1/articles",status="200"} 3`,
		`masthead_http_request_duration_seconds_bucket{method="GET",route="/api/v1/articles"`,
		`masthead_db_query_duration_seconds_count`, `go_sql_in_use_connections{db_name="masthead"}`, `go_sql_max_open_connections{db_name="masthead"}`,
		`masthead_views_buffered`, `masthead_views_flush_lag_seconds`,
		"masthead_cache_hits_total 2", "masthead_cache_misses_total 1", "masthead_cache_entries 1", "masthead_cache_bytes",
		`masthead_outbox_depth{outbox="mail"}`, `masthead_outbox_depth{outbox="webhooks"}`,
		`masthead_outbox_oldest_age_seconds{outbox="mail"}`, `masthead_scheduled_publish_lag_seconds`,
		`masthead_backlog_scrape_ok 1`, `go_goroutines`,
	} {
		if !strings.Contains(string(body), series) {
			t.Errorf("no %s in /metrics", series)
		}
	}
	if resp, err := http.Get("http://" + metricsAddr + "/debug/pprof/"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("pprof: %v %v", err, resp)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		if resp, err := http.Get(srv.base + path); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("public %s: %v %v", path, err, resp)
		}
	}
}

// TestFirstRunSummary: a person running serve --demo (a terminal, or
// MASTHEAD_LOG_FORMAT=text) sees where things are and the admin's
// one-time password above the log.
func TestFirstRunSummary(t *testing.T) {
	env := map[string]string{"MASTHEAD_DATA_DIR": t.TempDir(), "MASTHEAD_LOG_FORMAT": "text"}
	srv := startServe(t, env, "--demo")
	out := srv.out.String()
	m := regexp.MustCompile(`Admin  admin@masthead\.local  password ([A-Za-z0-9]{20})`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "Masthead is ready.") || !strings.Contains(out, srv.base+"/docs") || !strings.Contains(out, "curl -s '"+srv.base+"/api/v1/articles") {
		t.Fatalf("no summary:\n%s", out)
	}
	if code := login(t, srv.base, "admin@masthead.local", m[1]); code != http.StatusOK {
		t.Fatalf("the summary's password: %d", code)
	}
	if strings.Contains(out, `{"time"`) {
		t.Fatalf("JSON log lines for a person:\n%s", out)
	}
}
