package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/webhook"
)

// fakeQueue is an in-memory webhook.Queue: it hands out the deliveries
// it holds and keeps what the dispatcher records. The real queue is
// tested against both databases in internal/server; this one makes the
// dispatcher's retry and hand-back logic testable without timing.
type fakeQueue struct {
	mu        sync.Mutex
	due       []content.DueDelivery
	attempts  []recorded
	postponed map[string]time.Time
}

type recorded struct {
	ID     string
	Status content.DeliveryStatus
	Code   int
	Retry  *time.Time
}

func (q *fakeQueue) ClaimDeliveries(_ context.Context, limit int, _ time.Duration) ([]content.DueDelivery, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(limit, len(q.due))
	out := q.due[:n]
	q.due = q.due[n:]
	return out, nil
}

func (q *fakeQueue) RecordAttempt(_ context.Context, id string, at content.Attempt, status content.DeliveryStatus, retry *time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.attempts = append(q.attempts, recorded{ID: id, Status: status, Code: at.StatusCode, Retry: retry})
	return nil
}

func (q *fakeQueue) PostponeDeliveries(_ context.Context, ids []string, when time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.postponed == nil {
		q.postponed = map[string]time.Time{}
	}
	for _, id := range ids {
		q.postponed[id] = when
	}
	return nil
}

// endpoint is a receiver answering status, counting what it got.
func endpoint(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func deliveries(url string, created time.Time, ids ...string) []content.DueDelivery {
	var out []content.DueDelivery
	for _, id := range ids {
		out = append(out, content.DueDelivery{ID: id, WebhookID: "w1", URL: url, Secret: "a-shared-secret-0123",
			EventID: "e" + id, EventType: content.EventTagCreated, Payload: []byte(`{}`), CreatedAt: created})
	}
	return out
}

func TestDispatcherRetriesAndHandsBack(t *testing.T) {
	clk := clock.New()
	now := clk.Now()
	tests := []struct {
		name          string
		status        int
		created       time.Time
		cancel        bool
		wantAttempts  []recorded
		wantPostponed map[string]time.Time
		wantSent      int32
	}{
		{name: "OK each sent once, in order", status: http.StatusNoContent, created: now,
			wantAttempts: []recorded{{"d1", content.DeliverySucceeded, 204, nil}, {"d2", content.DeliverySucceeded, 204, nil},
				{"d3", content.DeliverySucceeded, 204, nil}},
			wantSent: 3},
		{name: "ErrEndpointDown the later ones wait behind the retry", status: http.StatusServiceUnavailable, created: now,
			wantAttempts:  []recorded{{"d1", content.DeliveryPending, 503, ptr(now.Add(10 * time.Second))}},
			wantPostponed: map[string]time.Time{"d2": now.Add(10 * time.Second), "d3": now.Add(10 * time.Second)},
			wantSent:      1},
		{name: "ErrEndpointDown retries stop at the end of the window", status: http.StatusServiceUnavailable,
			created: now.Add(-webhook.Window + 5*time.Second),
			// The retry would come after the window: it is moved to its end.
			wantAttempts:  []recorded{{"d1", content.DeliveryPending, 503, ptr(now.Add(5 * time.Second))}},
			wantPostponed: map[string]time.Time{"d2": now.Add(5 * time.Second), "d3": now.Add(5 * time.Second)},
			wantSent:      1},
		{name: "ErrEndpointDown past the window it fails for good", status: http.StatusServiceUnavailable,
			created: now.Add(-webhook.Window),
			wantAttempts: []recorded{{"d1", content.DeliveryFailed, 503, nil}, {"d2", content.DeliveryFailed, 503, nil},
				{"d3", content.DeliveryFailed, 503, nil}},
			wantSent: 3},
		{name: "OK stopping hands every claimed delivery back at once", status: http.StatusNoContent, created: now, cancel: true,
			wantPostponed: map[string]time.Time{"d1": now, "d2": now, "d3": now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, sent := endpoint(t, tt.status)
			q := &fakeQueue{due: deliveries(srv.URL, tt.created, "d1", "d2", "d3")}
			d := webhook.New(q, nil, true, clk)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			n, err := d.Deliver(ctx)
			if err != nil || n != 3 {
				t.Fatalf("Deliver = %d, %v; want 3 claimed", n, err)
			}
			// The clock runs: times are compared to the second.
			approx := cmp.Comparer(func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Second })
			if diff := cmp.Diff(tt.wantAttempts, q.attempts, approx); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPostponed, q.postponed, approx); diff != "" {
				t.Errorf("postponed (-want +got):\n%s", diff)
			}
			if got := sent.Load(); got != tt.wantSent {
				t.Errorf("endpoint got %d requests, want %d", got, tt.wantSent)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
