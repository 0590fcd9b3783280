package mail

import (
	"bytes"
	"context"
	htmltemplate "html/template"
	"log/slog"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/worker"
)

// wording is the confirmation mail in one language.
type wording struct {
	Dir, Subject, Greeting, Action, Button, Ignore, Expires, Unsubscribe string
}

// wordings holds the confirmation mail per base language; others get
// English.
var wordings = map[string]wording{
	"en": {
		Dir: "ltr", Subject: "Confirm your subscription to %s",
		Greeting:    "Thank you for subscribing to the %s newsletter.",
		Action:      "Please confirm your address by opening this link:",
		Button:      "Confirm my subscription",
		Ignore:      "If you did not ask for this, ignore this mail: you will not be subscribed.",
		Expires:     "The link works once, for %s.",
		Unsubscribe: "Unsubscribe",
	},
	"ar": {
		Dir: "rtl", Subject: "أكّد اشتراكك في نشرة %s",
		Greeting:    "شكرًا لاشتراكك في النشرة البريدية لـ%s.",
		Action:      "يُرجى تأكيد عنوانك بفتح هذا الرابط:",
		Button:      "تأكيد اشتراكي",
		Ignore:      "إن لم تطلب ذلك فتجاهل هذه الرسالة، ولن يتم اشتراكك.",
		Expires:     "يعمل الرابط مرة واحدة خلال %s.",
		Unsubscribe: "إلغاء الاشتراك",
	},
}

type mailData struct {
	wording
	Lang, Publication, ConfirmURL, UnsubscribeURL string
}

var textTmpl = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}}

{{.Action}}
{{.ConfirmURL}}

{{.Expires}}
{{.Ignore}}

{{.Unsubscribe}}: {{.UnsubscribeURL}}
`))

var htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; direction: {{.Dir}};">
<p>{{.Greeting}}</p>
<p>{{.Action}}</p>
<p><a href="{{.ConfirmURL}}" style="display: inline-block; padding: 10px 16px; background: #1a4d8f; color: #fff; text-decoration: none;">{{.Button}}</a></p>
<p>{{.Expires}}<br>{{.Ignore}}</p>
<p style="font-size: small;"><a href="{{.UnsubscribeURL}}">{{.Unsubscribe}}</a></p>
</body></html>
`))

// ConfirmationMail renders the double opt-in mail for one subscriber.
func ConfirmationMail(site content.Site, from, to, lang, confirmToken, unsubscribeToken string, ttl time.Duration) (*Message, error) {
	base, _, _ := strings.Cut(lang, "-")
	w, ok := wordings[base]
	if !ok {
		w, lang = wordings["en"], "en"
	}
	name := site.NameIn(lang)
	w.Subject = sprintf(w.Subject, name)
	w.Greeting = sprintf(w.Greeting, name)
	w.Expires = sprintf(w.Expires, humanDuration(ttl, base))
	d := mailData{wording: w, Lang: lang, Publication: name,
		ConfirmURL: site.ConfirmURL(confirmToken, lang), UnsubscribeURL: site.UnsubscribeURL(unsubscribeToken, lang)}
	var text, html bytes.Buffer
	if err := textTmpl.Execute(&text, d); err != nil {
		return nil, err
	}
	if err := htmlTmpl.Execute(&html, d); err != nil {
		return nil, err
	}
	return &Message{From: from, To: to, Subject: w.Subject, Language: lang, Text: text.String(), HTML: html.String(),
		ListUnsubscribe: d.UnsubscribeURL}, nil
}

func sprintf(format, arg string) string { return strings.Replace(format, "%s", arg, 1) }

func humanDuration(d time.Duration, lang string) string {
	hours := int(d.Round(time.Hour) / time.Hour)
	if lang == "ar" {
		return strconv.Itoa(hours) + " ساعة"
	}
	if hours == 1 {
		return "1 hour"
	}
	return strconv.Itoa(hours) + " hours"
}

// Retention is how long mail sent or given up is kept.
const Retention = 7 * 24 * time.Hour

// Queue is what the outbox needs of the database: due mail leased to
// it, the subscriber's tokens, and somewhere to record how a send went.
type Queue interface {
	ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]content.OutboxMail, error)
	FinishMail(ctx context.Context, id string, sendErr error, retry *time.Time) error
	ReleaseMail(ctx context.Context, ids []string) error
	SaveTokens(ctx context.Context, subscriberID, confirmHash, unsubscribeHash string, ttl time.Duration) error
	// Settings are the site's settings as the newsroom set them, over
	// Site: the publication's name in each language.
	Settings(ctx context.Context) (*content.Settings, error)
}

// Outbox sends queued mail from the database. A mail is sent at least
// once: a crash between sending and recording it sends it again.
type Outbox struct {
	Queue  Queue
	Sender Sender
	Site   content.Site
	From   string
	TTL    time.Duration // how long confirmation links work
	Log    *slog.Logger
	Clock  *clock.Clock
	Poll   time.Duration
	// Backoff is the wait before retry n; tests shorten it.
	Backoff func(n int) time.Duration
}

// NewOutbox returns an outbox worker with a 2-second poll and retries
// at 30 s, 1 min, 2 min, … up to an hour apart, for as long as the
// confirmation link would work.
func NewOutbox(q Queue, sender Sender, site content.Site, from string, ttl time.Duration, log *slog.Logger, clk *clock.Clock) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{Queue: q, Sender: sender, Site: site, From: from, TTL: ttl, Log: log, Clock: clk, Poll: 2 * time.Second,
		Backoff: func(n int) time.Duration { return min(30*time.Second<<min(n-1, 7), time.Hour) }}
}

// Run drains the outbox until ctx ends (a worker.Worker): the mail being
// sent finishes, the rest of its batch is handed back.
func (o *Outbox) Run(ctx context.Context) error {
	return worker.Poller{Name: "mail outbox", Every: o.Poll, Log: o.Log, Step: func(ctx context.Context) (bool, error) {
		n, err := o.Drain(ctx)
		return n > 0, err
	}}.Run(ctx)
}

// Drain sends one batch of due mail and returns how many it took. When
// ctx ends, the mail being sent finishes and the rest is handed back.
func (o *Outbox) Drain(ctx context.Context) (int, error) {
	due, err := o.Queue.ClaimMail(ctx, 20, 2*time.Minute)
	if err != nil {
		return 0, err
	}
	work := context.WithoutCancel(ctx)
	for i, m := range due {
		if ctx.Err() != nil {
			ids := make([]string, 0, len(due)-i)
			for _, rest := range due[i:] {
				ids = append(ids, rest.ID)
			}
			return len(due), o.Queue.ReleaseMail(work, ids)
		}
		if err := o.Queue.FinishMail(work, m.ID, o.send(work, m), o.retry(m)); err != nil {
			return len(due), err
		}
	}
	return len(due), nil
}

// retry is when to try m again after a failure, nil once its
// confirmation link would have expired.
func (o *Outbox) retry(m content.OutboxMail) *time.Time {
	next := o.Clock.Now().Add(o.Backoff(m.Attempts + 1))
	if next.After(m.CreatedAt.Add(o.TTL)) {
		return nil
	}
	return &next
}

func (o *Outbox) send(ctx context.Context, m content.OutboxMail) error {
	if m.Status != content.SubscriberPending {
		return nil // confirmed or unsubscribed meanwhile: nothing to confirm
	}
	confirm, confirmHash := auth.NewToken("nc_")
	unsubscribe, unsubscribeHash := auth.NewToken("nu_")
	if err := o.Queue.SaveTokens(ctx, m.SubscriberID, confirmHash, unsubscribeHash, o.TTL); err != nil {
		return err
	}
	st, err := o.Queue.Settings(ctx)
	if err != nil {
		return err
	}
	msg, err := ConfirmationMail(st.Site(o.Site), o.From, m.Email, m.Language, confirm, unsubscribe, o.TTL)
	if err != nil {
		return err
	}
	if err := o.Sender.Send(ctx, msg); err != nil {
		o.Log.Warn("send mail", "mail", m.ID, "attempt", m.Attempts+1, "err", err)
		return err
	}
	return nil
}
