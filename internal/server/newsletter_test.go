package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	mmail "github.com/masthead/masthead/internal/mail"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/internal/testsmtp"
)

var testSite = content.Site{URL: "https://www.example.com", Name: "The Daily", ArticlePath: "/{category}/{slug}",
	SectionPath: "/{slug}", TagPath: "/tag/{slug}", AuthorPath: "/author/{slug}",
	ConfirmPath: "/newsletter/confirm", UnsubscribePath: "/newsletter/unsubscribe"}

// newsletterEnv is a server with a mail outbox sending to a real SMTP
// server started for the test.
func newsletterEnv(t *testing.T, engine store.Engine, limit int) (*env, *testsmtp.Server, *mmail.Outbox) {
	e := newEnv(t, engine, func(c *server.Config) { c.Site, c.SubscribeLimit = testSite, limit })
	smtpd := testsmtp.Start(t, testsmtp.Options{})
	sender, err := mmail.NewSMTP("smtp://" + smtpd.Addr)
	if err != nil {
		t.Fatal(err)
	}
	return e, smtpd, mmail.NewOutbox(e.store, sender, testSite, "The Daily <news@example.com>", 48*time.Hour, nil, e.clock)
}

func drain(t *testing.T, o *mmail.Outbox) {
	t.Helper()
	for {
		n, err := o.Drain(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

var tokenIn = regexp.MustCompile(`/newsletter/(confirm|unsubscribe)\?token=([A-Za-z0-9_\-]+)`)

// mailTokens reads a received mail's text part and returns its
// confirmation and unsubscribe tokens, with its subject.
func mailTokens(t *testing.T, raw []byte) (confirm, unsubscribe, subject string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	part, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(part)
	for _, m := range tokenIn.FindAllStringSubmatch(string(text), -1) {
		if m[1] == "confirm" {
			confirm = m[2]
		} else {
			unsubscribe = m[2]
		}
	}
	if confirm == "" || unsubscribe == "" || !strings.Contains(msg.Header.Get("List-Unsubscribe"), unsubscribe) {
		t.Fatalf("mail lacks its tokens:\n%s", raw)
	}
	return confirm, unsubscribe, subject
}

func TestNewsletterDoubleOptIn(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e, smtpd, outbox := newsletterEnv(t, engine, 100)
		editor := e.newsroom()
		subscribe := func(body map[string]any) *response {
			return e.do(req{method: "POST", path: "/api/v1/newsletter/subscriptions", body: body})
		}
		r := subscribe(map[string]any{"email": "Reader@Example.com", "language": "ar", "categories": []string{"news"}})
		want(t, r, http.StatusAccepted, "")
		answer := string(r.Body)
		if n := len(smtpd.Messages()); n != 0 {
			t.Fatalf("mail went out during the request (%d); it should wait for the outbox", n)
		}
		drain(t, outbox)
		msgs := smtpd.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "reader@example.com" {
			t.Fatalf("messages: %+v", msgs)
		}
		confirm, unsubscribe, subject := mailTokens(t, msgs[0].Data)
		if !strings.Contains(subject, "أكّد اشتراكك") {
			t.Errorf("subject %q is not Arabic", subject)
		}

		// Asking again sends another mail, up to 3 a day; the answer never changes.
		for range 3 {
			r := subscribe(map[string]any{"email": "reader@example.com", "language": "ar", "categories": []string{"news"}})
			want(t, r, http.StatusAccepted, "")
			if string(r.Body) != answer {
				t.Fatalf("answer changed: %s vs %s", r.Body, answer)
			}
		}
		drain(t, outbox)
		if n := len(smtpd.Messages()); n != content.MaxConfirmMailsPerDay {
			t.Fatalf("%d mails, want %d (the daily cap)", n, content.MaxConfirmMailsPerDay)
		}

		list := func(q string) []map[string]any {
			r := e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers" + q, token: editor})
			want(t, r, http.StatusOK, "")
			var out struct{ Data []map[string]any }
			r.decode(t, &out)
			return out.Data
		}
		if got := list("?status=pending"); len(got) != 1 || got[0]["email"] != "reader@example.com" {
			t.Fatalf("pending: %v", got)
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/newsletter/confirm", body: map[string]string{"token": confirm}}), http.StatusOK, "")
		r = e.do(req{method: "POST", path: "/api/v1/newsletter/confirm", body: map[string]string{"token": confirm}})
		want(t, r, http.StatusBadRequest, content.EINVALID)
		want(t, e.do(req{method: "POST", path: "/api/v1/newsletter/confirm", body: map[string]string{"token": "nc_unknown"}}), http.StatusBadRequest, content.EINVALID)
		got := list("?status=confirmed&lang=ar&category=news")
		if len(got) != 1 || got[0]["language"] != "ar" || got[0]["confirmed_at"] == nil {
			t.Fatalf("confirmed: %v", got)
		}
		if len(list("?category=opinion")) != 0 || len(list("?status=pending")) != 0 {
			t.Fatal("filters let others through")
		}

		// A confirmed address asking again gets the same answer and no mail.
		before := len(smtpd.Messages())
		want(t, subscribe(map[string]any{"email": "reader@example.com"}), http.StatusAccepted, "")
		drain(t, outbox)
		if len(smtpd.Messages()) != before {
			t.Fatal("a confirmed subscriber was mailed again")
		}

		// CSV export, streamed.
		want(t, subscribe(map[string]any{"email": "=cmd@example.com"}), http.StatusAccepted, "")
		r = e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers.csv", token: editor})
		want(t, r, http.StatusOK, "")
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || len(rows) != 3 || rows[0][1] != "email" {
			t.Fatalf("csv: %v %q", err, r.Body)
		}
		if rows[1][1] != "'=cmd@example.com" || rows[2][1] != "reader@example.com" || rows[2][4] != "news" {
			t.Fatalf("csv rows: %q", rows)
		}

		// Unsubscribe without logging in; unknown tokens get the same answer.
		r = e.do(req{method: "POST", path: "/api/v1/newsletter/unsubscribe", body: map[string]string{"token": unsubscribe}})
		want(t, r, http.StatusOK, "")
		r2 := e.do(req{method: "POST", path: "/api/v1/newsletter/unsubscribe", body: map[string]string{"token": "nu_unknown"}})
		if r2.Status != http.StatusOK || string(r2.Body) != string(r.Body) {
			t.Fatalf("unknown token answered %d %s", r2.Status, r2.Body)
		}
		if got := list("?status=unsubscribed"); len(got) != 1 {
			t.Fatalf("unsubscribed: %v", got)
		}

		// Erasure removes the address for good.
		id := list("?status=unsubscribed")[0]["id"].(string)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/newsletter/subscribers/" + id, token: editor}), http.StatusNoContent, "")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/newsletter/subscribers/" + id, token: editor}), http.StatusNotFound, content.ENOTFOUND)
		var n int64
		db := e.store.SQLDB()
		for _, q := range []string{
			`SELECT count(*) FROM subscribers WHERE email = 'reader@example.com'`,
			`SELECT count(*) FROM subscriber_tokens WHERE subscriber_id = '` + id + `'`,
			`SELECT count(*) FROM mail_outbox WHERE subscriber_id = '` + id + `'`,
		} {
			if err := db.QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%s = %d (%v) after erasure", q, n, err)
			}
		}
	})
}

func TestNewsletterBadInput(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e, smtpd, outbox := newsletterEnv(t, engine, 13)
		editor := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		path := "/api/v1/newsletter/subscriptions"
		for _, c := range []struct {
			name  string
			body  any
			ctype string
			field string
			code  int
		}{
			{"NoAt", map[string]any{"email": "reader.example.com"}, "", "email", 400},
			{"NoDomainDot", map[string]any{"email": "reader@localhost"}, "", "email", 400},
			{"HeaderInjection", map[string]any{"email": "reader@example.com\r\nBcc: all@example.com"}, "", "email", 400},
			{"DisplayName", map[string]any{"email": "Reader <reader@example.com>"}, "", "email", 400},
			{"TooLong", map[string]any{"email": strings.Repeat("a", 250) + "@example.com"}, "", "email", 400},
			{"LocalTooLong", map[string]any{"email": strings.Repeat("a", 65) + "@example.com"}, "", "email", 400},
			{"Missing", map[string]any{}, "", "email", 400},
			{"BadLanguage", map[string]any{"email": "a@example.com", "language": "not a language!"}, "", "language", 400},
			{"UnknownSection", map[string]any{"email": "a@example.com", "categories": []string{"sport"}}, "", "categories", 400},
			{"WrongType", map[string]any{"email": 42}, "", "email", 400},
			{"UnknownField", map[string]any{"email": "a@example.com", "name": "x"}, "", "name", 400},
			{"ServerOwned", map[string]any{"email": "a@example.com", "status": "confirmed"}, "", "status", 400},
			{"NotJSON", "email=a@example.com", "application/x-www-form-urlencoded", "", 415},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.do(req{method: "POST", path: path, body: c.body, contentType: c.ctype})
				if r.Status != c.code || (c.field != "" && r.fields()[c.field] == "") {
					t.Fatalf("got %d %s, want %d naming %q", r.Status, r.Body, c.code, c.field)
				}
			})
		}
		for _, p := range []string{"/api/v1/newsletter/confirm", "/api/v1/newsletter/unsubscribe"} {
			want(t, e.do(req{method: "POST", path: p, body: map[string]any{}}), http.StatusBadRequest, content.EINVALID)
			want(t, e.do(req{method: "POST", path: p, body: map[string]any{"token": "x\x00y"}}), http.StatusBadRequest, content.EINVALID)
			want(t, e.do(req{method: "POST", path: p, body: "[1]"}), http.StatusBadRequest, content.EINVALID)
		}
		drain(t, outbox)
		if n := len(smtpd.Messages()); n != 0 {
			t.Fatalf("bad input sent %d mails", n)
		}
		// The limit (13 an hour here) counts every try from this address,
		// bad ones too: the 13 above used it up.
		r := e.do(req{method: "POST", path: path, body: map[string]any{"email": "late@example.com"}})
		want(t, r, http.StatusTooManyRequests, content.ERATELIMITED)
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		// Editors' routes.
		want(t, e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers"}), http.StatusUnauthorized, content.EUNAUTHORIZED)
		want(t, e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers", token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers.csv", token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		want(t, e.do(req{method: "DELETE", path: "/api/v1/newsletter/subscribers/x", token: writer}), http.StatusForbidden, content.EFORBIDDEN)
		for _, q := range []string{"?status=gone", "?lang=!!", "?limit=0", "?limit=101", "?cursor=abc", "?sort=email"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers" + q, token: editor}), http.StatusBadRequest, content.EINVALID)
		}
		want(t, e.do(req{method: "GET", path: "/api/v1/newsletter/subscribers.csv?cursor=x", token: editor}), http.StatusBadRequest, content.EINVALID)
	})
}

// TestNewsletterOutboxSurvivesFailures: a queued mail waits out an SMTP
// server that is down and a restart of the sender, and goes out once.
func TestNewsletterOutboxSurvivesFailures(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e, smtpd, _ := newsletterEnv(t, engine, 100)
		want(t, e.do(req{method: "POST", path: "/api/v1/newsletter/subscriptions", body: map[string]any{"email": "a@example.com"}}), http.StatusAccepted, "")
		down, err := mmail.NewSMTP("smtp://127.0.0.1:1")
		if err != nil {
			t.Fatal(err)
		}
		broken := mmail.NewOutbox(e.store, down, testSite, "The Daily <news@example.com>", 48*time.Hour, nil, e.clock)
		if n, err := broken.Drain(context.Background()); n != 1 || err != nil {
			t.Fatalf("drain with SMTP down: %d %v", n, err)
		}
		var attempts int
		var lastErr string
		if err := e.store.SQLDB().QueryRow(`SELECT attempts, last_error FROM mail_outbox`).Scan(&attempts, &lastErr); err != nil || attempts != 1 || lastErr == "" {
			t.Fatalf("after a failed send: attempts %d, error %q (%v)", attempts, lastErr, err)
		}
		// A new process (new outbox) with SMTP back, once the retry is due.
		sender, _ := mmail.NewSMTP("smtp://" + smtpd.Addr)
		restarted := mmail.NewOutbox(e.store, sender, testSite, "The Daily <news@example.com>", 48*time.Hour, nil, e.clock)
		drain(t, restarted)
		if len(smtpd.Messages()) != 0 {
			t.Fatal("retried before the backoff")
		}
		e.clock.Advance(time.Minute)
		drain(t, restarted)
		drain(t, restarted)
		if n := len(smtpd.Messages()); n != 1 {
			t.Fatalf("%d mails after recovery, want 1", n)
		}
		confirm, _, _ := mailTokens(t, smtpd.Messages()[0].Data)
		want(t, e.do(req{method: "POST", path: "/api/v1/newsletter/confirm", body: map[string]string{"token": confirm}}), http.StatusOK, "")

		// Later, sent mail and expired confirmation tokens are pruned; the
		// unsubscribe tokens keep working, the failed attempt's too (a
		// server may take a mail and then drop the connection).
		if err := e.store.PruneMail(context.Background(), time.Now().Add(72*time.Hour)); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := e.store.SQLDB().QueryRow(`SELECT (SELECT count(*) FROM mail_outbox) + (SELECT count(*) FROM subscriber_tokens WHERE purpose = 'confirm')`).Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("%d outbox rows and confirmation tokens left (%v)", rows, err)
		}
		if err := e.store.SQLDB().QueryRow(`SELECT count(*) FROM subscriber_tokens WHERE purpose = 'unsubscribe'`).Scan(&rows); err != nil || rows != 2 {
			t.Fatalf("%d unsubscribe tokens (%v), want 2", rows, err)
		}
	})
}

// TestNewsletterConcurrentSignups: sign-ups of one new address at once
// all get the same 202, and the address is stored once.
func TestNewsletterConcurrentSignups(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e, _, _ := newsletterEnv(t, engine, 100)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				r := e.do(req{method: "POST", path: "/api/v1/newsletter/subscriptions", body: map[string]any{"email": "race@example.com"}})
				if r.Status != http.StatusAccepted {
					t.Errorf("concurrent sign-up: %d %s", r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		var n, mails int
		if err := e.store.SQLDB().QueryRow(`SELECT count(*), (SELECT count(*) FROM mail_outbox) FROM subscribers`).Scan(&n, &mails); err != nil || n != 1 || mails != content.MaxConfirmMailsPerDay {
			t.Fatalf("%d subscribers, %d queued mails (%v); want 1 and %d", n, mails, err, content.MaxConfirmMailsPerDay)
		}
	})
}

// TestNewsletterStopHandsBack: a worker told to stop while sending
// finishes that mail and hands the rest back at once.
func TestNewsletterStopHandsBack(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e, smtpd, outbox := newsletterEnv(t, engine, 100)
		for _, a := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			want(t, e.do(req{method: "POST", path: "/api/v1/newsletter/subscriptions", body: map[string]any{"email": a}}), http.StatusAccepted, "")
		}
		ctx, cancel := context.WithCancel(context.Background())
		stopping := *outbox
		stopping.Sender = stopOnSend{outbox.Sender, cancel}
		if n, err := stopping.Drain(ctx); n != 3 || err != nil {
			t.Fatalf("drain: %d %v", n, err)
		}
		if n := len(smtpd.Messages()); n != 1 {
			t.Fatalf("a stopping worker sent %d mails, want the one in flight", n)
		}
		drain(t, outbox) // at once, not after the 2-minute lease
		if n := len(smtpd.Messages()); n != 3 {
			t.Fatalf("%d mails after the hand-back, want 3", n)
		}
	})
}

// stopOnSend is told to stop as it sends.
type stopOnSend struct {
	mmail.Sender
	stop context.CancelFunc
}

func (s stopOnSend) Send(ctx context.Context, m *mmail.Message) error {
	s.stop()
	return s.Sender.Send(ctx, m)
}
