package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/webhook"
)

func TestSignVerify(t *testing.T) {
	body := []byte(`{"id":"1","type":"article.published"}`)
	now := time.Unix(1_790_000_000, 0)
	sig := webhook.Sign("whsec_test", now, body)
	if !strings.HasPrefix(sig, "t=1790000000,v1=") || len(sig) != len("t=1790000000,v1=")+64 {
		t.Fatalf("signature %q", sig)
	}
	if err := webhook.Verify("whsec_test", sig, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		secret, header string
		body           []byte
		at             time.Time
	}{
		"OtherSecret": {"whsec_other", sig, body, now},
		"AlteredBody": {"whsec_test", sig, []byte(`{"id":"2"}`), now},
		"Replayed":    {"whsec_test", sig, body, now.Add(10 * time.Minute)},
		"Malformed":   {"whsec_test", "v1=abc", body, now},
	} {
		if err := webhook.Verify(c.secret, c.header, c.body, c.at, 5*time.Minute); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestCheckAddress(t *testing.T) {
	for addr, want := range map[string][2]bool{ // [allowed, allowed with private]
		"93.184.216.34":          {true, true},
		"2606:2800:220:1::":      {true, true},
		"169.254.169.254":        {false, false}, // cloud metadata
		"::ffff:169.254.169.254": {false, false},
		"fe80::1":                {false, false},
		"0.0.0.0":                {false, false},
		"224.0.0.1":              {false, false},
		"127.0.0.1":              {false, true},
		"::1":                    {false, true},
		"10.1.2.3":               {false, true},
		"172.16.0.1":             {false, true},
		"192.168.1.1":            {false, true},
		"100.100.100.201":        {false, true},  // CGNAT
		"100.100.100.200":        {false, false}, // metadata services: never, whatever the setting
		"::ffff:100.100.100.200": {false, false},
		"fd00:ec2::254":          {false, false},
		"168.63.129.16":          {false, false},
		"192.0.0.192":            {false, false},
		"fd20:ce::254":           {false, false},
		"fd00:ec2::253":          {false, true},
	} {
		ip := netip.MustParseAddr(addr)
		if got := webhook.CheckAddress(ip, false) == nil; got != want[0] {
			t.Errorf("%s: allowed=%v, want %v", addr, got, want[0])
		}
		if got := webhook.CheckAddress(ip, true) == nil; got != want[1] {
			t.Errorf("%s with private allowed: allowed=%v, want %v", addr, got, want[1])
		}
	}
	for url, ok := range map[string]bool{
		"https://hooks.example.com/x": true, "http://169.254.169.254/latest/meta-data": false,
		"http://localhost:3000/x": false, "http://app.localhost/x": false, "http://[::1]/x": false, "http://10.0.0.5/x": false,
	} {
		if got := webhook.CheckURL(url, false) == nil; got != ok {
			t.Errorf("CheckURL(%s) = %v, want %v", url, got, ok)
		}
	}
}

// TestClientChecksDialledAddress: the check runs on the address dialled,
// so a redirect from an allowed endpoint to a refused one fails, and a
// loopback endpoint fails when private addresses are not allowed.
func TestClientChecksDialledAddress(t *testing.T) {
	hit := make(chan string, 10)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit <- r.URL.Path }))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()

	post := func(c *http.Client, url string) error {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader("{}"))
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := post(webhook.Client(false, time.Second), target.URL); err == nil || !strings.Contains(err.Error(), "loopback or private") {
		t.Fatalf("loopback endpoint without MASTHEAD_WEBHOOK_ALLOW_PRIVATE: %v", err)
	}
	if err := post(webhook.Client(true, time.Second), target.URL); err != nil {
		t.Fatalf("loopback endpoint with private allowed: %v", err)
	}
	if err := post(webhook.Client(true, time.Second), redirect.URL); err == nil || !strings.Contains(err.Error(), "link-local") {
		t.Fatalf("redirect to the metadata service: %v", err)
	}
	if got := len(hit); got != 1 {
		t.Fatalf("target hit %d times, want 1", got)
	}
}

func TestBackoff(t *testing.T) {
	var total time.Duration
	n := 0
	for total < webhook.Window {
		n++
		total += webhook.Backoff(n)
	}
	if webhook.Backoff(1) != 10*time.Second || webhook.Backoff(2) != 30*time.Second || webhook.Backoff(20) != 6*time.Hour {
		t.Fatalf("backoff %v %v %v", webhook.Backoff(1), webhook.Backoff(2), webhook.Backoff(20))
	}
	t.Logf("%d retries fit in the 24-hour window", n)
}
