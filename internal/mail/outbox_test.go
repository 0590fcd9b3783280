package mail_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/mail"
)

// fakeQueue is an in-memory mail.Queue. The real one is tested against
// both databases with a real SMTP server in internal/server; this one
// makes the outbox's retry and hand-back logic testable without timing.
type fakeQueue struct {
	mu       sync.Mutex
	due      []content.OutboxMail
	finished []finished
	released []string
	tokens   int
}

type finished struct {
	ID     string
	Failed bool
	Retry  *time.Time
}

func (q *fakeQueue) ClaimMail(_ context.Context, limit int, _ time.Duration) ([]content.OutboxMail, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(limit, len(q.due))
	out := q.due[:n]
	q.due = q.due[n:]
	return out, nil
}

func (q *fakeQueue) FinishMail(_ context.Context, id string, sendErr error, retry *time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	f := finished{ID: id, Failed: sendErr != nil}
	if sendErr != nil {
		f.Retry = retry
	}
	q.finished = append(q.finished, f)
	return nil
}

func (q *fakeQueue) ReleaseMail(_ context.Context, ids []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.released = append(q.released, ids...)
	return nil
}

func (q *fakeQueue) Settings(context.Context) (*content.Settings, error) {
	return &content.Settings{}, nil
}

func (q *fakeQueue) SaveTokens(context.Context, string, string, string, time.Duration) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tokens++
	return nil
}

// sender records what it sends, failing when err is set; cancel, when
// set, is called on the first send (the server stopping meanwhile).
type sender struct {
	err    error
	sent   []string
	cancel func()
}

func (s *sender) Send(_ context.Context, m *mail.Message) error {
	if s.cancel != nil {
		s.cancel()
	}
	if s.err != nil {
		return s.err
	}
	s.sent = append(s.sent, m.To)
	return nil
}

func TestOutboxRetriesAndHandsBack(t *testing.T) {
	clk := clock.New()
	now := clk.Now()
	const ttl = 48 * time.Hour
	pending := func(id string, created time.Time, attempts int) content.OutboxMail {
		return content.OutboxMail{ID: id, SubscriberID: "s" + id, Email: id + "@example.com", Language: "ar",
			Status: content.SubscriberPending, Attempts: attempts, CreatedAt: created}
	}
	tests := []struct {
		name         string
		due          []content.OutboxMail
		sendErr      error
		stop         bool
		wantSent     []string
		wantFinished []finished
		wantReleased []string
	}{
		{name: "OK each mail sent once", due: []content.OutboxMail{pending("m1", now, 0), pending("m2", now, 0)},
			wantSent:     []string{"m1@example.com", "m2@example.com"},
			wantFinished: []finished{{ID: "m1"}, {ID: "m2"}}},
		{name: "OK confirmed meanwhile: nothing to send", due: []content.OutboxMail{{ID: "m1", Status: content.SubscriberConfirmed, CreatedAt: now}},
			wantFinished: []finished{{ID: "m1"}}},
		{name: "ErrSMTPDown retried with backoff", due: []content.OutboxMail{pending("m1", now, 0), pending("m2", now, 2)},
			sendErr: errors.New("connection refused"),
			wantFinished: []finished{{ID: "m1", Failed: true, Retry: ptr(now.Add(30 * time.Second))},
				{ID: "m2", Failed: true, Retry: ptr(now.Add(2 * time.Minute))}}},
		{name: "ErrSMTPDown given up once the link would have expired", due: []content.OutboxMail{pending("m1", now.Add(-ttl+10*time.Second), 0)},
			sendErr:      errors.New("connection refused"),
			wantFinished: []finished{{ID: "m1", Failed: true}}},
		{name: "OK stopping: the mail in flight finishes, the rest is handed back", stop: true,
			due:          []content.OutboxMail{pending("m1", now, 0), pending("m2", now, 0), pending("m3", now, 0)},
			wantSent:     []string{"m1@example.com"},
			wantFinished: []finished{{ID: "m1"}},
			wantReleased: []string{"m2", "m3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &fakeQueue{due: tt.due}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			snd := &sender{err: tt.sendErr}
			if tt.stop {
				snd.cancel = cancel
			}
			o := mail.NewOutbox(q, snd, content.DefaultSite, "The Daily <news@example.com>", ttl, nil, clk)
			n, err := o.Drain(ctx)
			if err != nil || n != len(tt.due) {
				t.Fatalf("Drain = %d, %v; want %d claimed", n, err, len(tt.due))
			}
			approx := cmp.Comparer(func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Second })
			if diff := cmp.Diff(tt.wantSent, snd.sent); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFinished, q.finished, approx); diff != "" {
				t.Errorf("finished (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantReleased, q.released); diff != "" {
				t.Errorf("handed back (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
