// Package webhook delivers events to the endpoints admins registered:
// signed POSTs from a background dispatcher that claims due deliveries
// from the database, retries with backoff for 24 hours, and dials only
// addresses a webhook may reach.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/worker"
)

// Headers sent with every delivery.
const (
	HeaderEvent     = "X-Masthead-Event"
	HeaderDelivery  = "X-Masthead-Delivery"
	HeaderSignature = "X-Masthead-Signature"
)

// NewSecret returns a new signing secret.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

// Sign returns the X-Masthead-Signature value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">", Stripe's scheme.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a signature header as a receiver should: the HMAC must
// match (compared in constant time) and the timestamp be within
// tolerance of now, so a captured request cannot be replayed later.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return errors.New("malformed signature header")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("signature timestamp outside tolerance")
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return errors.New("signature mismatch")
}

// cgnat is the carrier-grade NAT range, where some clouds put their
// metadata service (100.100.100.200).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// metadata lists the cloud metadata and platform services outside the
// link-local range: no webhook may reach them, whatever
// MASTHEAD_WEBHOOK_ALLOW_PRIVATE says.
var metadata = []netip.Prefix{
	netip.MustParsePrefix("100.100.100.200/32"), // Alibaba Cloud metadata
	netip.MustParsePrefix("fd00:ec2::254/128"),  // AWS IMDS over IPv6
	netip.MustParsePrefix("168.63.129.16/32"),   // Azure WireServer
	netip.MustParsePrefix("192.0.0.192/32"),     // Oracle Cloud metadata (legacy)
	netip.MustParsePrefix("fd20:ce::254/128"),   // Google Cloud metadata over IPv6
}

// CheckAddress reports why a webhook may not connect to ip, or nil.
// Link-local addresses (the cloud metadata service at 169.254.169.254
// among them), the other metadata services listed in metadata,
// unspecified and multicast ones are always refused; loopback, private
// and CGNAT ones unless allowPrivate.
func CheckAddress(ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return errors.New("not an IP address")
	case slices.ContainsFunc(metadata, func(p netip.Prefix) bool { return p.Contains(ip) }):
		return fmt.Errorf("address %s is a cloud metadata service", ip)
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return fmt.Errorf("address %s is link-local", ip)
	case ip.IsUnspecified(), ip.IsMulticast(), ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return fmt.Errorf("address %s is not a unicast address", ip)
	case !allowPrivate && (ip.IsLoopback() || ip.IsPrivate() || cgnat.Contains(ip)):
		return fmt.Errorf("address %s is loopback or private (set MASTHEAD_WEBHOOK_ALLOW_PRIVATE=true to allow)", ip)
	}
	return nil
}

// CheckURL refuses, at registration, a URL whose host is an address or
// name a webhook may never reach. Other host names are checked when
// dialled, after DNS, on every connection and redirect.
func CheckURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	// A trailing dot is the fully qualified form of the same host:
	// "169.254.0.0." is the link-local address too.
	host := strings.TrimSuffix(u.Hostname(), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		return CheckAddress(ip, allowPrivate)
	}
	if h := strings.ToLower(host); !allowPrivate && (h == "localhost" || strings.HasSuffix(h, ".localhost")) {
		return errors.New("localhost is refused (set MASTHEAD_WEBHOOK_ALLOW_PRIVATE=true to allow)")
	}
	return nil
}

// Client returns the HTTP client deliveries use: no proxy from the
// environment, a dialer that checks each address it is about to connect
// to (after DNS, so a name that resolves to an internal address is
// refused too), at most 3 redirects, and timeout for the whole exchange.
func Client(allowPrivate bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("webhook dial %s: %w", address, err)
			}
			return CheckAddress(ap.Addr(), allowPrivate)
		},
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
			MaxIdleConnsPerHost:   8,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("more than 3 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errors.New("redirect to a non-HTTP URL")
			}
			return nil
		},
	}
}

// Window is how long a delivery is retried before it counts as failed.
const Window = 24 * time.Hour

// Backoff returns the wait before retry number n (1 for the first
// retry): 10 s, 30 s, 90 s, … tripling up to 6 hours.
func Backoff(n int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 3
	}
	return min(d, 6*time.Hour)
}

// Queue is what the dispatcher needs of the database: due deliveries
// leased to it, and somewhere to record how each went.
type Queue interface {
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]content.DueDelivery, error)
	RecordAttempt(ctx context.Context, id string, at content.Attempt, status content.DeliveryStatus, retry *time.Time) error
	PostponeDeliveries(ctx context.Context, ids []string, when time.Time) error
}

// Dispatcher sends due deliveries. Run it once per process; several
// processes may run one each against the same database.
type Dispatcher struct {
	Queue  Queue
	Log    *slog.Logger
	Client *http.Client
	Clock  *clock.Clock
	// Workers is how many deliveries are in flight at once.
	Workers int
	// Poll is how often the database is asked for due work.
	Poll time.Duration
	// Backoff and Window decide retries; tests shorten them.
	Backoff func(n int) time.Duration
	Window  time.Duration
	// Lease is how long a claimed delivery is kept from others.
	Lease time.Duration
}

// New returns a dispatcher with the defaults: 8 workers, a one-second
// poll, 10-second timeout per delivery.
func New(q Queue, log *slog.Logger, allowPrivate bool, clk *clock.Clock) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{Queue: q, Log: log, Client: Client(allowPrivate, 10*time.Second), Clock: clk, Workers: 8,
		Poll: time.Second, Backoff: Backoff, Window: Window, Lease: time.Minute}
}

// Retention is how long finished deliveries are kept for the
// deliveries list.
const Retention = 30 * 24 * time.Hour

// Run delivers due events until ctx ends (a worker.Worker); in-flight
// deliveries finish first and the rest of their batch is handed back.
func (d *Dispatcher) Run(ctx context.Context) error {
	return worker.Poller{Name: "deliver webhooks", Every: d.Poll, Log: d.Log, Step: func(ctx context.Context) (bool, error) {
		n, err := d.Deliver(ctx)
		return n >= d.Workers*4, err // a full batch: more may be due
	}}.Run(ctx)
}

// Deliver claims one batch of due deliveries and sends them: each
// webhook's in the order their events happened, one at a time, and up to
// Workers webhooks at once. It returns how many it claimed. When ctx
// ends, sends in flight finish and the rest are handed back at once, so
// a stopping server neither cuts a request short nor keeps others
// waiting for its leases.
func (d *Dispatcher) Deliver(ctx context.Context) (int, error) {
	due, err := d.Queue.ClaimDeliveries(ctx, d.Workers*4, d.Lease)
	if err != nil {
		return 0, err
	}
	work := context.WithoutCancel(ctx)
	var order []string
	byWebhook := map[string][]content.DueDelivery{}
	for _, dd := range due {
		if _, ok := byWebhook[dd.WebhookID]; !ok {
			order = append(order, dd.WebhookID)
		}
		byWebhook[dd.WebhookID] = append(byWebhook[dd.WebhookID], dd)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, d.Workers)
	for _, id := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			list := byWebhook[id]
			postpone := func(from int, when time.Time) {
				rest := make([]string, 0, len(list)-from)
				for _, later := range list[from:] {
					rest = append(rest, later.ID)
				}
				if err := d.Queue.PostponeDeliveries(work, rest, when); err != nil {
					d.Log.Error("postpone webhook deliveries", "webhook", id, "err", err)
				}
			}
			for i, dd := range list {
				if ctx.Err() != nil {
					postpone(i, d.Clock.Now()) // stopping: due again for whoever runs next
					return
				}
				if retry := d.send(work, dd); retry != nil {
					// The endpoint is failing: its later events wait for
					// the retry rather than each costing a timeout now, and
					// stay behind the failed one.
					postpone(i+1, *retry)
					return
				}
			}
		})
	}
	wg.Wait()
	return len(due), nil
}

// send makes one attempt at dd and records it. It returns when dd is
// to be tried again, nil when it succeeded or was given up.
func (d *Dispatcher) send(ctx context.Context, dd content.DueDelivery) *time.Time {
	start := d.Clock.Now()
	at := content.Attempt{At: start.UTC()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dd.URL, bytes.NewReader(dd.Payload))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Masthead-Webhooks/1")
		req.Header.Set(HeaderEvent, dd.EventType)
		req.Header.Set(HeaderDelivery, dd.ID)
		req.Header.Set(HeaderSignature, Sign(dd.Secret, start, dd.Payload))
		var resp *http.Response
		if resp, err = d.Client.Do(req); err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			at.StatusCode = resp.StatusCode
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				err = fmt.Errorf("answered %s", resp.Status)
			}
		}
	}
	at.Duration = d.Clock.Now().Sub(start)
	status, retry := content.DeliverySucceeded, (*time.Time)(nil)
	if err != nil {
		at.Error = truncate(err.Error(), 500)
		deadline := dd.CreatedAt.Add(d.Window)
		next := d.Clock.Now().Add(d.Backoff(dd.Attempts + 1))
		switch {
		case !d.Clock.Now().Before(deadline):
			status = content.DeliveryFailed
		case next.After(deadline):
			next = deadline
			fallthrough
		default:
			status, retry = content.DeliveryPending, &next
		}
		d.Log.Warn("webhook delivery failed", "delivery", dd.ID, "webhook", dd.WebhookID, "attempt", dd.Attempts+1, "err", at.Error)
	}
	if err := d.Queue.RecordAttempt(ctx, dd.ID, at, status, retry); err != nil {
		d.Log.Error("record webhook attempt", "delivery", dd.ID, "err", err)
	}
	return retry
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
