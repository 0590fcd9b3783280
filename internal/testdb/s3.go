package testdb

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// S3 access keys of the test gateway.
const (
	S3AccessKey = "masthead-test"
	S3SecretKey = "masthead-test-secret"
)

// StartS3 starts an S3-compatible server of the test's own on loopback:
// the Versity S3 gateway over a temporary folder (versitygw on the PATH,
// in $GOBIN or ~/go/bin; make test installs the pinned version). It
// returns the media URL of an empty bucket, and the folder that holds
// the bucket's objects as files. Without versitygw the test
// is skipped, or fails under MASTHEAD_TEST_REQUIRE_S3=1 (make test, CI).
func StartS3(t testing.TB) (u, dir string) {
	t.Helper()
	bin := versitygw()
	if bin == "" {
		if os.Getenv("MASTHEAD_TEST_REQUIRE_S3") == "1" {
			t.Fatal("testdb: versitygw not found (make test installs it)")
		}
		t.Skip("versitygw not found: S3 storage not tested (make test installs it)")
	}
	dir = t.TempDir()
	// The posix backend's buckets are the folders of its root.
	if err := os.Mkdir(filepath.Join(dir, "media"), 0o755); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(bin, "--access", S3AccessKey, "--secret", S3SecretKey, "--port", addr, "posix", dir)
	log, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("testdb: start versitygw: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Since(start) > 10*time.Second {
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("testdb: versitygw did not listen on %s:\n%s", addr, out)
		}
	}
	return "s3://" + S3AccessKey + ":" + S3SecretKey + "@media/test?endpoint=" + addr + "&region=us-east-1&secure=false", filepath.Join(dir, "media")
}

func versitygw() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	for _, d := range []string{os.Getenv("GOBIN"), filepath.Join(os.Getenv("GOPATH"), "bin"), filepath.Join(home, "go", "bin")} {
		if p := filepath.Join(d, "versitygw"); d != "" && fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
