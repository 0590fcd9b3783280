package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/internal/webhook"
)

// receiver is a real HTTP endpoint that keeps what it is sent and
// answers with status (200 unless set).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []received
	status   atomic.Int32
	delay    atomic.Int64 // nanoseconds to wait before answering
	requests atomic.Int32
}

type received struct {
	header http.Header
	body   []byte
	event  api.WebhookEvent
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.status.Store(http.StatusOK)
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.requests.Add(1)
		time.Sleep(time.Duration(r.delay.Load()))
		body, _ := io.ReadAll(req.Body)
		status := int(r.status.Load())
		if status < 300 {
			var ev api.WebhookEvent
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields() // the payload is exactly the documented shape
			if err := dec.Decode(&ev); err != nil {
				t.Errorf("payload %s: %v", body, err)
			}
			r.mu.Lock()
			r.got = append(r.got, received{header: req.Header.Clone(), body: body, event: ev})
			r.mu.Unlock()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) events() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) types() []string {
	var out []string
	for _, g := range r.events() {
		out = append(out, g.event.Type)
	}
	return out
}

func deliverAll(t *testing.T, d *webhook.Dispatcher) {
	t.Helper()
	for {
		n, err := d.Deliver(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (e *env) webhook(t *testing.T, admin string, body map[string]any) api.Webhook {
	t.Helper()
	r := e.do(req{method: "POST", path: "/api/v1/webhooks", body: body, token: admin})
	want(t, r, http.StatusCreated, "")
	var out api.WebhookResponse
	r.decode(t, &out)
	return out.Data
}

func TestWebhooks(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site, c.WebhookAllowPrivate = testSite, true })
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		articles, sections := newReceiver(t), newReceiver(t)
		wa := e.webhook(t, admin, map[string]any{"url": articles.URL + "/hook", "events": []string{"article.*"}})
		ws := e.webhook(t, admin, map[string]any{"url": sections.URL, "events": []string{"category.*", "tag.created"}, "secret": "a-shared-secret-0123"})
		if len(wa.Secret) < 40 || ws.Secret != "a-shared-secret-0123" {
			t.Fatalf("secrets %q %q", wa.Secret, ws.Secret)
		}
		r := e.do(req{method: "GET", path: "/api/v1/webhooks/" + wa.ID, token: admin})
		want(t, r, http.StatusOK, "")
		var got api.WebhookResponse
		r.decode(t, &got)
		if got.Data.Secret != "" {
			t.Fatal("the secret is shown after creation")
		}
		d := webhook.New(e.store, nil, true, e.clock)

		editor := e.newsroom() // creates 3 sections, 3 tags, 2 authors
		a := e.draft(editor, map[string]any{"title": "Port blast"})
		deliverAll(t, d)
		if got := articles.types(); len(got) != 0 {
			t.Fatalf("a draft fired %v", got)
		}
		if got := sections.types(); len(got) != 6 {
			t.Fatalf("sections webhook got %v, want 3 category.created and 3 tag.created", got)
		}
		start := time.Now()
		e.publish(editor, a.ID, "")
		if time.Since(start) > time.Second {
			t.Fatal("publishing waited on the receiver")
		}
		e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, body: map[string]any{"slug": "port-blast-beirut"}, token: editor})
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + a.ID + "/unpublish", token: editor}), http.StatusOK, "")
		e.publish(editor, a.ID, "")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/articles/" + a.ID, token: editor}), http.StatusNoContent, "")
		deliverAll(t, d)
		evs := articles.events()
		wantTypes := []string{"article.published", "article.updated", "article.unpublished", "article.published", "article.deleted"}
		if len(evs) != len(wantTypes) {
			t.Fatalf("events %v, want %v", articles.types(), wantTypes)
		}
		for i, ev := range evs {
			if ev.event.Type != wantTypes[i] || ev.header.Get(webhook.HeaderEvent) != wantTypes[i] {
				t.Errorf("event %d: %s (header %s), want %s", i, ev.event.Type, ev.header.Get(webhook.HeaderEvent), wantTypes[i])
			}
			if ev.header.Get(webhook.HeaderDelivery) == "" || ev.header.Get("Content-Type") != "application/json" {
				t.Errorf("event %d headers %v", i, ev.header)
			}
			if err := webhook.Verify(wa.Secret, ev.header.Get(webhook.HeaderSignature), ev.body, time.Now(), 5*time.Minute); err != nil {
				t.Errorf("event %d signature: %v", i, err)
			}
			if ev.event.Data.Article == nil || ev.event.Data.Article.ID != a.ID {
				t.Errorf("event %d data %+v", i, ev.event.Data)
			}
			// The keys a CDN purges: the article's id, the lists' key
			// when it joins them.
			wantKeys := []string{a.ID}
			if ev.event.Type == "article.published" {
				wantKeys = append(wantKeys, "articles")
			}
			if !slices.Equal(ev.event.SurrogateKeys, wantKeys) {
				t.Errorf("event %d (%s) surrogate keys %v, want %v", i, ev.event.Type, ev.event.SurrogateKeys, wantKeys)
			}
		}
		upd := evs[1].event.Data.Article
		if upd.Slug != "port-blast-beirut" || upd.PreviousSlug != "port-blast" || upd.URL != "https://www.example.com/news/port-blast-beirut" {
			t.Errorf("update event %+v", upd)
		}
		if err := webhook.Verify("a-shared-secret-0123", sections.events()[0].header.Get(webhook.HeaderSignature), sections.events()[0].body, time.Now(), time.Minute); err != nil {
			t.Errorf("given secret: %v", err)
		}

		// A scheduled story fires article.published when its time comes, once.
		later := e.draft(editor, map[string]any{"title": "Tomorrow"})
		e.publish(editor, later.ID, time.Now().UTC().Add(time.Hour).Format(time.RFC3339))
		deliverAll(t, d)
		n := len(articles.events())
		e.clock.Advance(2 * time.Hour)
		for range 2 {
			if _, err := e.store.PublishDue(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		deliverAll(t, d)
		if evs := articles.events()[n:]; len(evs) != 1 || evs[0].event.Type != "article.published" || evs[0].event.Data.Article.ID != later.ID {
			t.Fatalf("going live by time fired %v", articles.types()[n:])
		}
		e.clock.Reset()

		// Deliveries are listed with their attempts.
		r = e.do(req{method: "GET", path: "/api/v1/webhooks/" + wa.ID + "/deliveries?limit=2", token: admin})
		want(t, r, http.StatusOK, "")
		var list api.DeliveryList
		r.decode(t, &list)
		if len(list.Data) != 2 || list.Meta.NextCursor == "" || list.Data[0].Status != "succeeded" || len(list.Data[0].Attempts) != 1 || list.Data[0].Attempts[0].StatusCode != 200 {
			t.Fatalf("deliveries %+v", list)
		}
		r = e.do(req{method: "GET", path: "/api/v1/webhooks/" + wa.ID + "/deliveries?limit=100&cursor=" + list.Meta.NextCursor, token: admin})
		want(t, r, http.StatusOK, "")
		r.decode(t, &list)
		if len(list.Data) != 4 {
			t.Fatalf("second page has %d deliveries, want 4", len(list.Data))
		}

		// Paused webhooks get no new events; deleted ones lose their deliveries.
		want(t, e.do(req{method: "PATCH", path: "/api/v1/webhooks/" + ws.ID, body: map[string]any{"active": false}, token: admin}), http.StatusOK, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/categories", body: map[string]any{"name": "Sport"}, token: editor}), http.StatusCreated, "")
		deliverAll(t, d)
		if len(sections.events()) != 6 {
			t.Fatal("a paused webhook got an event")
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/webhooks/" + ws.ID, token: admin}), http.StatusNoContent, "")
		want(t, e.do(req{method: "GET", path: "/api/v1/webhooks/" + ws.ID + "/deliveries", token: admin}), http.StatusNotFound, content.ENOTFOUND)
	})
}

// TestWebhookRetries: a receiver that is down gets the event later, a
// slow one times out without holding anything up, a crashed dispatcher's
// claim is taken over, and retries stop after the window.
func TestWebhookRetries(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.WebhookAllowPrivate = true })
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		rec := newReceiver(t)
		wh := e.webhook(t, admin, map[string]any{"url": rec.URL, "events": []string{"*"}})
		editor := e.newsroom()
		// One clock for the store and the dispatcher, moved by the test.
		var offset time.Duration
		advance := func(d time.Duration) { offset += d; e.clock.Advance(d) }
		d := webhook.New(e.store, nil, true, e.clock)

		rec.status.Store(http.StatusServiceUnavailable)
		deliverAll(t, d) // each delivery fails once and waits for its retry...
		pending := func() []api.Delivery {
			r := e.do(req{method: "GET", path: "/api/v1/webhooks/" + wh.ID + "/deliveries?status=pending&limit=100", token: admin})
			want(t, r, http.StatusOK, "")
			var l api.DeliveryList
			r.decode(t, &l)
			return l.Data
		}
		// The first (oldest) delivery was tried; the rest wait behind it
		// instead of each costing a request to a failing endpoint.
		p := pending()
		if len(p) != 8 || rec.requests.Load() != 1 {
			t.Fatalf("after a 503: %d pending, %d requests", len(p), rec.requests.Load())
		}
		oldest := p[len(p)-1]
		if len(oldest.Attempts) != 1 || oldest.Attempts[0].StatusCode != 503 || oldest.NextAttemptAt == nil {
			t.Fatalf("oldest after a 503: %+v", oldest)
		}
		for _, d := range p[:len(p)-1] {
			if len(d.Attempts) != 0 || d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(*oldest.NextAttemptAt) {
				t.Fatalf("a later delivery was not postponed with the oldest: %+v", d)
			}
		}
		// ...and all get through, in order, once the receiver is back.
		rec.status.Store(http.StatusNoContent)
		advance(time.Minute)
		deliverAll(t, d)
		if p := pending(); len(p) != 0 || len(rec.events()) != 8 {
			t.Fatalf("pending %d, received %d, want 0 and 8", len(p), len(rec.events()))
		}
		if got := rec.types(); got[0] != "category.created" || got[7] != "author.created" {
			t.Fatalf("order after recovery: %v", got)
		}

		// A slow receiver times out.
		slow := webhook.New(e.store, nil, true, e.clock)
		slow.Client = webhook.Client(true, 200*time.Millisecond)
		rec.delay.Store(int64(2 * time.Second))
		e.draft(editor, map[string]any{"title": "x"}) // drafts fire nothing; a section does
		want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": "Slow"}, token: editor}), http.StatusCreated, "")
		if n, err := slow.Deliver(context.Background()); n != 1 || err != nil {
			t.Fatalf("deliver: %d %v", n, err)
		}
		p = pending()
		if len(p) != 1 || p[0].Attempts[0].Error == "" || p[0].Attempts[0].DurationMS > 1500 {
			t.Fatalf("slow receiver: %+v", p)
		}
		rec.delay.Store(0)

		// A dispatcher that claimed the delivery and died: the lease runs
		// out and another takes it over.
		advance(time.Minute) // the slow attempt's retry is due
		claimed, err := e.store.ClaimDeliveries(context.Background(), 10, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d %v", len(claimed), err)
		}
		if n, _ := d.Deliver(context.Background()); n != 0 {
			t.Fatal("a leased delivery was claimed twice")
		}
		advance(2 * time.Minute) // past the lease
		deliverAll(t, d)
		if len(pending()) != 0 {
			t.Fatal("the delivery was not taken over after its lease")
		}

		// Past the 24-hour window a failing delivery is given up.
		rec.status.Store(http.StatusInternalServerError)
		want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": "Doomed"}, token: editor}), http.StatusCreated, "")
		d.Window = 0
		deliverAll(t, d)
		r := e.do(req{method: "GET", path: "/api/v1/webhooks/" + wh.ID + "/deliveries?status=failed", token: admin})
		want(t, r, http.StatusOK, "")
		var l api.DeliveryList
		r.decode(t, &l)
		if len(l.Data) != 1 || l.Data[0].FinishedAt == nil || l.Data[0].Attempts[0].StatusCode != 500 {
			t.Fatalf("failed: %+v", l.Data)
		}

		// Once the endpoint is fixed, an admin sends the failed one again,
		// and pings the endpoint.
		rec.status.Store(http.StatusOK)
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks/" + wh.ID + "/deliveries/" + l.Data[0].ID + "/retry", token: admin}), http.StatusAccepted, "")
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks/" + wh.ID + "/ping", token: admin}), http.StatusAccepted, "")
		before := len(rec.events())
		deliverAll(t, d)
		got := rec.events()[before:]
		if len(got) != 2 || got[0].event.Type != "tag.created" || got[1].event.Type != "webhook.ping" {
			t.Fatalf("after retry and ping: %v", rec.types()[before:])
		}
		if err := webhook.Verify(wh.Secret, got[1].header.Get(webhook.HeaderSignature), got[1].body, time.Now().Add(offset), time.Minute); err != nil {
			t.Fatalf("ping signature: %v", err)
		}
		r = e.do(req{method: "GET", path: "/api/v1/webhooks/" + wh.ID + "/deliveries?status=failed", token: admin})
		r.decode(t, &l)
		if len(l.Data) != 0 {
			t.Fatalf("still failed after the retry: %+v", l.Data)
		}
		other := e.webhook(t, admin, map[string]any{"url": rec.URL, "events": []string{"author.*"}})
		for _, p := range []string{"/api/v1/webhooks/nope/ping", "/api/v1/webhooks/" + wh.ID + "/deliveries/nope/retry",
			"/api/v1/webhooks/" + other.ID + "/deliveries/" + got[0].header.Get(webhook.HeaderDelivery) + "/retry"} {
			want(t, e.do(req{method: "POST", path: p, token: admin}), http.StatusNotFound, content.ENOTFOUND)
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks/" + wh.ID + "/ping", token: editor}), http.StatusForbidden, content.EFORBIDDEN)

		// Past the retention, finished deliveries and their events go.
		n, err := e.store.PruneDeliveries(context.Background(), time.Now().Add(time.Hour))
		if err != nil || n != 11 {
			t.Fatalf("pruned %d (%v), want all 11 finished deliveries", n, err)
		}
		var left int
		if err := e.store.SQLDB().QueryRow(`SELECT (SELECT count(*) FROM webhook_events) + (SELECT count(*) FROM webhook_attempts)`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d events and attempts left (%v)", left, err)
		}
	})
}

func TestWebhookBadInput(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine) // private addresses refused
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		editor, _ := e.user(content.RoleEditor, "editor@example.com")
		for _, c := range []struct {
			name  string
			body  any
			field string
		}{
			{"NoURL", map[string]any{"events": []string{"*"}}, "url"},
			{"NoEvents", map[string]any{"url": "https://hooks.example.com"}, "events"},
			{"EmptyEvents", map[string]any{"url": "https://hooks.example.com", "events": []string{}}, "events"},
			{"UnknownEvent", map[string]any{"url": "https://hooks.example.com", "events": []string{"article.liked"}}, "events"},
			{"BadPattern", map[string]any{"url": "https://hooks.example.com", "events": []string{"*.published"}}, "events"},
			{"NotHTTP", map[string]any{"url": "ftp://hooks.example.com", "events": []string{"*"}}, "url"},
			{"Credentials", map[string]any{"url": "https://u:p@hooks.example.com", "events": []string{"*"}}, "url"},
			{"Metadata", map[string]any{"url": "http://169.254.169.254/latest/meta-data", "events": []string{"*"}}, "url"},
			{"Loopback", map[string]any{"url": "http://127.0.0.1:8080/x", "events": []string{"*"}}, "url"},
			{"Localhost", map[string]any{"url": "http://localhost/x", "events": []string{"*"}}, "url"},
			{"Private", map[string]any{"url": "http://10.0.0.8/x", "events": []string{"*"}}, "url"},
			{"ShortSecret", map[string]any{"url": "https://hooks.example.com", "events": []string{"*"}, "secret": "short"}, "secret"},
			{"WrongType", map[string]any{"url": "https://hooks.example.com", "events": "article.published"}, "events"},
			{"ServerOwned", map[string]any{"url": "https://hooks.example.com", "events": []string{"*"}, "id": "x"}, "id"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.do(req{method: "POST", path: "/api/v1/webhooks", body: c.body, token: admin})
				if r.Status != http.StatusBadRequest || r.fields()[c.field] == "" {
					t.Fatalf("got %d %s, want 400 naming %s", r.Status, r.Body, c.field)
				}
			})
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks", body: "{}", contentType: "text/plain", token: admin}), http.StatusUnsupportedMediaType, content.EUNSUPPORTEDMEDIA)
		want(t, e.do(req{method: "POST", path: "/api/v1/webhooks", body: map[string]any{"url": "https://hooks.example.com", "events": []string{"*"}}, token: editor}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "GET", path: "/api/v1/webhooks"}), http.StatusUnauthorized, content.EUNAUTHORIZED)
		w := e.webhook(t, admin, map[string]any{"url": "https://hooks.example.com/x", "events": []string{"article.published"}})
		want(t, e.do(req{method: "PATCH", path: "/api/v1/webhooks/" + w.ID, body: map[string]any{"url": "http://169.254.169.254/"}, token: admin}), http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "PATCH", path: "/api/v1/webhooks/" + w.ID, body: map[string]any{"events": []string{"nope"}}, token: admin}), http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "PATCH", path: "/api/v1/webhooks/unknown", body: map[string]any{"active": false}, token: admin}), http.StatusNotFound, content.ENOTFOUND)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/webhooks/unknown", token: admin}), http.StatusNotFound, content.ENOTFOUND)
		for _, q := range []string{"?status=done", "?limit=0", "?cursor=zzz", "?page=2"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/webhooks/" + w.ID + "/deliveries" + q, token: admin}), http.StatusBadRequest, content.EINVALID)
		}
		r := e.do(req{method: "GET", path: "/api/v1/webhooks", token: admin})
		want(t, r, http.StatusOK, "")
		var l api.WebhookList
		r.decode(t, &l)
		if len(l.Data) != 1 || l.Data[0].Events[0] != "article.published" {
			t.Fatalf("bad input changed the webhooks: %+v", l.Data)
		}
	})
}

// TestWebhookStopHandsBack: a dispatcher told to stop finishes the send
// in flight and hands the rest of its batch back at once, so the next
// process does not wait for the leases to run out.
func TestWebhookStopHandsBack(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.WebhookAllowPrivate = true })
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		rec := newReceiver(t)
		e.webhook(t, admin, map[string]any{"url": rec.URL, "events": []string{"tag.*"}})
		editor, _ := e.user(content.RoleEditor, "editor@example.com")
		for _, name := range []string{"One", "Two", "Three"} {
			want(t, e.do(req{method: "POST", path: "/api/v1/tags", body: map[string]any{"name": name}, token: editor}), http.StatusCreated, "")
		}
		rec.delay.Store(int64(300 * time.Millisecond))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		n, err := webhook.New(e.store, nil, true, e.clock).Deliver(ctx)
		if err != nil || n != 3 {
			t.Fatalf("deliver: %d %v", n, err)
		}
		if got := rec.types(); len(got) != 1 {
			t.Fatalf("received %v, want the one in flight", got)
		}
		back, err := e.store.ClaimDeliveries(context.Background(), 10, time.Minute)
		if err != nil || len(back) != 2 {
			t.Fatalf("handed back %d (%v), want 2 claimable at once", len(back), err)
		}
	})
}

// TestBreakingEvents: a live story that becomes breaking news fires
// article.breaking besides its usual event, once; the payload carries
// what a push gateway needs.
func TestBreakingEvents(t *testing.T) {
	t.Parallel()
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine, func(c *server.Config) { c.Site, c.WebhookAllowPrivate = testSite, true })
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		rec := newReceiver(t)
		e.webhook(t, admin, map[string]any{"url": rec.URL, "events": []string{"article.*"}})
		d := webhook.New(e.store, nil, true, e.clock)
		editor := e.newsroom()
		a := e.draft(editor, map[string]any{"title": "Blast at the port", "breaking": true, "cover": map[string]any{"url": "https://images.example.com/port.jpg"}})
		e.publish(editor, a.ID, "")
		patch := func(body map[string]any) {
			want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + a.ID, token: editor, body: body}), http.StatusOK, "")
		}
		patch(map[string]any{"title": "Blast at the port: 12 hurt"}) // still breaking: no new alert
		patch(map[string]any{"breaking": false})
		patch(map[string]any{"breaking": true})
		deliverAll(t, d)
		wantTypes := []string{"article.published", "article.breaking", "article.updated", "article.updated", "article.updated", "article.breaking"}
		if got := rec.types(); strings.Join(got, " ") != strings.Join(wantTypes, " ") {
			t.Fatalf("events %v, want %v", got, wantTypes)
		}
		alert := rec.events()[1].event.Data.Article
		if !alert.Breaking || alert.Excerpt == "" || alert.CategoryName != "News" || alert.CoverURL != "https://images.example.com/port.jpg" || alert.Language != "en" {
			t.Fatalf("breaking payload %+v", alert)
		}
	})
}
