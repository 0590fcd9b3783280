package content

import (
	"testing"
	"time"
)

func TestPreviewAdmits(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	past := now.Add(-time.Minute)
	live := Preview{ArticleID: "a", ExpiresAt: now.Add(time.Hour)}
	for _, c := range []struct {
		name string
		p    *Preview
		id   string
		ok   bool
	}{
		{"live", &live, "a", true},
		{"none (altered or never issued)", nil, "a", false},
		{"another article", &live, "b", false},
		{"expired", &Preview{ArticleID: "a", ExpiresAt: now}, "a", false},
		{"revoked", &Preview{ArticleID: "a", ExpiresAt: now.Add(time.Hour), RevokedAt: &past}, "a", false},
	} {
		err := c.p.Admits(c.id, now)
		if (err == nil) != c.ok || err != nil && ErrorCode(err) != EFORBIDDEN {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestPreviewTTL(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, c := range []struct {
		in   *int
		want time.Duration
		ok   bool
	}{
		{nil, DefaultPreviewTTL, true}, {n(60), time.Minute, true}, {n(59), 0, false},
		{n(30 * 24 * 3600), MaxPreviewTTL, true}, {n(30*24*3600 + 1), 0, false}, {n(-5), 0, false},
	} {
		got, err := PreviewTTL(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%v: %v, %v", c.in, got, err)
		}
	}
}
