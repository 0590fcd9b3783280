package server_test

import (
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"testing"

	"github.com/masthead/masthead/internal/testdb"
)

// TestLoadRun puts wrk's load on a real server over loopback TCP, on each
// engine loaded with benchArticles articles, and logs requests per second
// and latency percentiles. It is a measurement, run on request:
//
//	MASTHEAD_LOAD_RUN=1 MASTHEAD_TEST_DATABASE_URL=… go test -run TestLoadRun -v ./internal/server/
//
// It needs wrk on the PATH (Debian package wrk). It fails when any
// request fails or answers other than 2xx.
func TestLoadRun(t *testing.T) {
	if os.Getenv("MASTHEAD_LOAD_RUN") == "" {
		t.Skip("set MASTHEAD_LOAD_RUN=1 to run the load run")
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Fatal("wrk is not on the PATH (apt-get install wrk)")
	}
	// As `masthead serve` does.
	debug.SetGCPercent(400)
	for _, engine := range testdb.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newEnv(t, engine)
			slugs := loadArchive(t, e.store, benchArticles)
			srv := e.srv // a real net/http server on loopback
			for name, path := range map[string]string{
				"list_newest_20":  "/api/v1/articles?limit=20",
				"list_by_section": "/api/v1/articles?category=section-01&limit=20",
				"get_by_slug":     "/api/v1/articles/slug/" + slugs[len(slugs)/2],
			} {
				out, err := exec.Command(wrk, "-t2", "-c32", "-d10s", "--latency", srv.URL+path).CombinedOutput()
				if err != nil {
					t.Fatalf("wrk: %v\n%s", err, out)
				}
				if regexp.MustCompile(`Non-2xx or 3xx responses|Socket errors`).Match(out) {
					t.Fatalf("%s: failed requests:\n%s", name, out)
				}
				rps := regexp.MustCompile(`Requests/sec:\s+([\d.]+)`).FindSubmatch(out)
				p50 := regexp.MustCompile(`(?m)^\s+50%\s+(\S+)`).FindSubmatch(out)
				p99 := regexp.MustCompile(`(?m)^\s+99%\s+(\S+)`).FindSubmatch(out)
				if rps == nil || p50 == nil || p99 == nil {
					t.Fatalf("%s: cannot read wrk's output:\n%s", name, out)
				}
				t.Logf("%-16s %8s req/s  p50 %-8s p99 %s", name, rps[1], p50[1], p99[1])
			}
		})
	}
}
