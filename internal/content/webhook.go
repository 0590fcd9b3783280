package content

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Event types a webhook can subscribe to. An article event fires when
// readers' view of it changes: it goes live (also when a scheduled time
// comes), changes while live, leaves the site, or is deleted while live.
const (
	EventArticlePublished   = "article.published"
	EventArticleUpdated     = "article.updated"
	EventArticleUnpublished = "article.unpublished"
	EventArticleDeleted     = "article.deleted"
	// EventArticleBreaking fires, besides article.published or
	// article.updated, when a live story becomes breaking news: what a
	// push gateway alerts readers on.
	EventArticleBreaking = "article.breaking"
	EventCategoryCreated = "category.created"
	EventCategoryUpdated = "category.updated"
	EventCategoryDeleted = "category.deleted"
	EventTagCreated      = "tag.created"
	EventTagUpdated      = "tag.updated"
	EventTagDeleted      = "tag.deleted"
	EventAuthorCreated   = "author.created"
	EventAuthorUpdated   = "author.updated"
	EventAuthorDeleted   = "author.deleted"
	// EventWebhookPing is sent on request to one webhook; no webhook
	// subscribes to it.
	EventWebhookPing = "webhook.ping"
)

// EventTypes lists every event type.
var EventTypes = []string{
	EventArticlePublished, EventArticleUpdated, EventArticleUnpublished, EventArticleDeleted, EventArticleBreaking,
	EventCategoryCreated, EventCategoryUpdated, EventCategoryDeleted,
	EventTagCreated, EventTagUpdated, EventTagDeleted,
	EventAuthorCreated, EventAuthorUpdated, EventAuthorDeleted,
}

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID          string
	URL         string
	Events      []string // event types or patterns: "category.*", "*"
	Secret      string
	Description string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Wants reports whether w subscribes to events of type typ.
func (w *Webhook) Wants(typ string) bool {
	kind, _, _ := strings.Cut(typ, ".")
	for _, p := range w.Events {
		if p == "*" || p == typ || p == kind+".*" {
			return true
		}
	}
	return false
}

// WebhookUpdate carries the fields of a webhook sent by an admin; nil was
// not sent.
type WebhookUpdate struct {
	URL         *string
	Events      *[]string
	Secret      *string
	Description *string
	Active      *bool
}

// Webhook limits.
const (
	MaxWebhookURLLen  = 2000
	MinWebhookSecret  = 16
	MaxWebhookSecret  = 200
	MaxWebhookPattern = 20
)

// Check validates the fields sent; creating makes url and events
// required. Event patterns are normalised (deduplicated).
func (u *WebhookUpdate) Check(creating bool) error {
	var p Problems
	switch {
	case u.URL == nil && creating:
		p.Add("url", "required")
	case u.URL != nil:
		if msg := CheckURL(*u.URL, MaxWebhookURLLen); msg != "" {
			p.Add("url", msg)
		} else if parsed, _ := url.Parse(*u.URL); parsed.User != nil {
			p.Add("url", "must not hold credentials; the signature authenticates us")
		} else if parsed.Fragment != "" {
			p.Add("url", "must not have a fragment")
		}
	}
	switch {
	case u.Events == nil && creating:
		p.Add("events", "required")
	case u.Events != nil:
		if len(*u.Events) == 0 || len(*u.Events) > MaxWebhookPattern {
			p.Add("events", "must list 1 to 20 event types, such as article.published or category.*")
		}
		var out []string
		for _, e := range *u.Events {
			if !validPattern(e) {
				p.Add("events", "unknown event type "+quoteShort(e)+"; see the docs for the list")
				break
			}
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
		*u.Events = out
	}
	if u.Secret != nil {
		if msg := CheckText(*u.Secret, MaxWebhookSecret, false); msg != "" {
			p.Add("secret", msg)
		} else if len(*u.Secret) < MinWebhookSecret || strings.TrimSpace(*u.Secret) != *u.Secret {
			p.Add("secret", "must be 16 to 200 characters without surrounding spaces")
		}
	}
	if u.Description != nil {
		if msg := CheckPlain(*u.Description, 500, false); msg != "" {
			p.Add("description", msg)
		}
	}
	return p.Err("Webhook")
}

func validPattern(p string) bool {
	if p == "*" || slices.Contains(EventTypes, p) {
		return true
	}
	kind, rest, ok := strings.Cut(p, ".")
	if !ok || rest != "*" {
		return false
	}
	return slices.ContainsFunc(EventTypes, func(t string) bool { return strings.HasPrefix(t, kind+".") })
}

func quoteShort(s string) string {
	if len([]rune(s)) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < ' ' {
			return -1
		}
		return r
	}, s) + `"`
}

// Apply copies the fields sent onto w.
func (u *WebhookUpdate) Apply(w *Webhook) {
	set(&w.URL, u.URL)
	set(&w.Secret, u.Secret)
	set(&w.Description, u.Description)
	set(&w.Active, u.Active)
	if u.Events != nil {
		w.Events = slices.Clone(*u.Events)
	}
}

// Event is a change reported to webhooks, recorded in the transaction of
// the change. webhook.Encoder turns it into the documented payload.
type Event struct {
	ID        string
	Type      string
	CreatedAt time.Time
	Data      EventData
}

// EventData holds the one object the event is about.
type EventData struct {
	Article  *EventArticle
	Category *EventTerm
	Tag      *EventTerm
	Author   *EventTerm
}

// EventArticle is an article as an event reports it: enough to purge or
// rebuild the pages that show it.
type EventArticle struct {
	ID           string
	Slug         string
	PreviousSlug string // when the slug changed
	Title        string
	Language     string
	Format       string
	Category     string // slug
	CategoryName string
	Excerpt      string
	CoverURL     string
	Featured     bool
	Breaking     bool // breaking now
	Tags         []string
	Authors      []string
	Status       Status
	PublishedAt  *time.Time
	UpdatedAt    time.Time
	Version      int
}

// EventTerm is a section, tag or author as an event reports it.
type EventTerm struct {
	ID           string
	Slug         string
	PreviousSlug string
	Name         string
}

// DeliveryStatus is where a webhook delivery stands.
type DeliveryStatus string

// Delivery statuses: pending until a 2xx answer (succeeded) or until
// retries run out (failed).
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliverySucceeded DeliveryStatus = "succeeded"
	DeliveryFailed    DeliveryStatus = "failed"
)

// Delivery is one event sent, or being sent, to one webhook.
type Delivery struct {
	ID            string
	WebhookID     string
	EventID       string
	EventType     string
	Payload       []byte // the JSON body sent, as signed
	Status        DeliveryStatus
	Attempts      []Attempt
	NextAttemptAt *time.Time // while pending
	CreatedAt     time.Time
	FinishedAt    *time.Time
}

// Attempt is one try at a delivery.
type Attempt struct {
	At         time.Time
	StatusCode int // 0 when no response came
	Error      string
	Duration   time.Duration
}

// set copies *v to *dst when v was sent.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// DueDelivery is a delivery claimed for sending, with what to send.
type DueDelivery struct {
	ID        string
	WebhookID string
	URL       string
	Secret    string
	EventID   string
	EventType string
	Payload   []byte
	Attempts  int // made before this one
	CreatedAt time.Time
}

// Backlog is the work waiting: mail to send, webhook deliveries to make,
// scheduled stories whose time came but are not yet marked published,
// each with its oldest item's time (zero when none waits).
type Backlog struct {
	Mail, Deliveries, DueArticles         int
	OldestMail, OldestDelivery, OldestDue time.Time
}

// Surrogate keys name what a cached answer shows, for CDNs that purge by
// key (Fastly's Surrogate-Key, Cloudflare's Cache-Tag, Varnish xkey).
// Every answer carries the ids of the entities in it (articles, their
// sections, tags and authors) and a key for its kind: KeyArticles on
// every list of articles (lists, search, related, popular, home, feeds),
// KeyTaxonomy on the lists of sections, tags and authors.
const (
	KeyArticles = "articles"
	KeyTaxonomy = "taxonomy"
)

// PurgeKeys are the keys a CDN purges on ev: the entity's id, which every
// answer showing it carries, and, when the event adds to lists or takes
// a term away, the key of those lists. A new story must appear in lists
// that never showed it; an edit, an unpublish or a delete only touches
// answers that show the article.
func PurgeKeys(ev Event) []string {
	d := ev.Data
	switch {
	case d.Article != nil:
		if ev.Type == EventArticlePublished || ev.Type == EventArticleBreaking {
			return []string{d.Article.ID, KeyArticles}
		}
		return []string{d.Article.ID}
	case d.Category != nil, d.Tag != nil, d.Author != nil:
		t := d.Category
		if t == nil {
			t = d.Tag
		}
		if t == nil {
			t = d.Author
		}
		return []string{t.ID, KeyTaxonomy}
	}
	return []string{}
}
