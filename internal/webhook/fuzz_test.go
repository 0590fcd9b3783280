package webhook_test

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/webhook"
)

// FuzzWebhookURL: a URL accepted at registration (as the API checks it:
// content.CheckURL, then webhook.CheckURL) never names a loopback,
// private, link-local or metadata address literally, nor localhost; with
// private addresses allowed, never link-local or metadata.
func FuzzWebhookURL(f *testing.F) {
	for _, s := range []string{"https://hooks.example.com/x", "http://169.254.169.254/latest", "http://[::ffff:127.0.0.1]/",
		"http://0x7f.1/", "http://127.1/", "http://[fd00:ec2::254]/", "http://100.100.100.200/", "http://LOCALHOST./", "http://a.localhost/",
		"http://[fe80::1%25eth0]/", "http://10.0.0.1:8080/x?y#z", "ftp://x/", "http://user:pw@example.com/"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, allowPrivate bool) {
		if content.CheckURL(raw, content.MaxWebhookURLLen) != "" || webhook.CheckURL(raw, allowPrivate) != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("accepted %q, which does not parse", raw)
		}
		host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
		if !allowPrivate && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			t.Fatalf("accepted %q", raw)
		}
		if ip, err := netip.ParseAddr(host); err == nil {
			ip = ip.Unmap()
			if ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() || !allowPrivate && (ip.IsLoopback() || ip.IsPrivate()) {
				t.Fatalf("accepted %q (allow private %v)", raw, allowPrivate)
			}
		}
	})
}
