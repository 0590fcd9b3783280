package content

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// SubscriberStatus is where a newsletter subscriber stands in the double
// opt-in.
type SubscriberStatus string

// Subscriber statuses: pending until the address is confirmed from the
// mail; unsubscribed keeps the row (to stop mail) until erasure.
const (
	SubscriberPending      SubscriberStatus = "pending"
	SubscriberConfirmed    SubscriberStatus = "confirmed"
	SubscriberUnsubscribed SubscriberStatus = "unsubscribed"
)

// SubscriberStatuses lists the statuses.
var SubscriberStatuses = []SubscriberStatus{SubscriberPending, SubscriberConfirmed, SubscriberUnsubscribed}

// MaxConfirmMailsPerDay caps the confirmation mails one address gets in a
// UTC day, so the form cannot be used to flood someone's inbox.
const MaxConfirmMailsPerDay = 3

// Subscriber is a newsletter subscriber.
type Subscriber struct {
	ID             string
	Email          string
	Language       string
	Status         SubscriberStatus
	Categories     []string // section slugs; none means every section
	ConfirmedAt    *time.Time
	UnsubscribedAt *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Subscription is a request to subscribe, checked by Check.
type Subscription struct {
	Email      string
	Language   string
	Categories []string
}

// Check validates and normalises the request: the address (syntax,
// length, nothing that could inject a mail header), the language and the
// section slugs. It reports every problem at once.
func (s *Subscription) Check() error {
	var p Problems
	if msg := CheckEmail(s.Email); msg != "" {
		p.Add("email", msg)
	} else {
		s.Email = NormalizeEmail(s.Email)
	}
	if s.Language == "" {
		s.Language = "en"
	}
	if lang, _, err := ParseLanguage(s.Language); err != nil {
		p.Add("language", err.Error())
	} else {
		s.Language = lang
	}
	if len(s.Categories) > 50 {
		p.Add("categories", "must list at most 50 sections")
	}
	seen := map[string]bool{}
	cats := s.Categories[:0:0]
	for _, c := range s.Categories {
		c = NormalizeSlug(c)
		if msg := CheckSlug(c); msg != "" {
			p.Add("categories", "each must be a section slug")
			break
		}
		if !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	s.Categories = cats
	return p.Err("Subscription")
}

// CheckEmail reports what is wrong with an e-mail address, or "". It
// takes a bare address (no display name) of at most 254 bytes with a
// local part of at most 64, a domain with a dot, and no control or
// space characters, so it can go into a mail header as it is.
func CheckEmail(s string) string {
	if msg := CheckText(s, MaxEmailLen, false); msg != "" {
		return msg
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' || r == '\\' {
			return "must be a plain e-mail address such as name@example.com"
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "must be a plain e-mail address such as name@example.com"
	}
	if len(s) > 254 {
		return "must be at most 254 bytes"
	}
	local, domain, _ := strings.Cut(s, "@")
	switch {
	case len(local) > 64:
		return "must have at most 64 bytes before the @"
	case !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, ".."):
		return "must have a domain such as example.com"
	}
	return ""
}

// SubscriberFilter selects subscribers for editors.
type SubscriberFilter struct {
	Status   SubscriberStatus
	Language string
	Category string // section slug
	Limit    int
	Cursor   *Cursor // keyset on created_at, id (newest first)
}

// SubscriberPage is one page of subscribers; Next is set when more follow.
type SubscriberPage struct {
	Subscribers []*Subscriber
	Next        *Cursor
}

// OutboxMail is a queued mail claimed for sending.
type OutboxMail struct {
	ID           string
	Kind         string
	SubscriberID string
	Email        string
	Language     string
	Status       SubscriberStatus
	Attempts     int // made before this one
	CreatedAt    time.Time
}
