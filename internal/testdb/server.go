package testdb

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Postgres is a PostgreSQL server of a test's own, on loopback, in a
// temporary folder: a test may stop and start it (an outage, a restart)
// without touching the server other tests share.
type Postgres struct {
	tb   testing.TB
	bin  string
	dir  string
	Port int
}

// StartPostgres initialises and starts a PostgreSQL server from the
// binaries on the machine (initdb, pg_ctl), stopped and removed when the
// test ends. Without them the test is skipped, or fails under
// MASTHEAD_TEST_REQUIRE_POSTGRES=1. As root (CI), the server runs as the
// postgres user, as PostgreSQL insists.
func StartPostgres(tb testing.TB) *Postgres {
	tb.Helper()
	bin := postgresBin()
	if bin == "" {
		if os.Getenv("MASTHEAD_TEST_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("testdb: no PostgreSQL binaries (initdb, pg_ctl) found")
		}
		tb.Skip("no PostgreSQL binaries (initdb, pg_ctl) found")
	}
	dir, err := os.MkdirTemp("", "masthead-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Postgres{tb: tb, bin: bin, dir: dir, Port: freePort(tb)}
	tb.Cleanup(func() {
		p.run("pg_ctl", "-D", p.data(), "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("testdb: running as root needs a postgres user: %v", err)
		}
		var uid, gid int
		fmt.Sscan(pg.Uid, &uid)
		fmt.Sscan(pg.Gid, &gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	if out, err := p.run("initdb", "-D", p.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		tb.Fatalf("testdb: initdb: %v\n%s", err, out)
	}
	p.Start()
	return p
}

func (p *Postgres) data() string { return filepath.Join(p.dir, "data") }

// URL is the server's postgres database.
func (p *Postgres) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.Port)
}

// Start starts the server and waits until it takes connections.
func (p *Postgres) Start() {
	p.tb.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", p.Port, p.dir)
	if out, err := p.run("pg_ctl", "-D", p.data(), "-o", opts, "-l", filepath.Join(p.dir, "log"), "-w", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "log"))
		p.tb.Fatalf("testdb: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server as an operator's restart does: sessions are
// ended (57P01) and new connections refused until Start.
func (p *Postgres) Stop() {
	p.tb.Helper()
	if out, err := p.run("pg_ctl", "-D", p.data(), "-m", "fast", "-w", "stop"); err != nil {
		p.tb.Fatalf("testdb: pg_ctl stop: %v\n%s", err, out)
	}
}

// run runs a PostgreSQL binary, as the postgres user when we are root.
func (p *Postgres) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(p.bin, name), args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(p.bin, name)}, args...)...)
	}
	cmd.Dir = p.dir
	return cmd.CombinedOutput()
}

// postgresBin finds the folder of initdb and pg_ctl: on the PATH, or in
// Debian's /usr/lib/postgresql/<version>/bin, the newest version first.
func postgresBin() string {
	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func freePort(tb testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	var n int
	fmt.Sscan(strings.TrimSpace(port), &n)
	return n
}
