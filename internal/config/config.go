// Package config reads Masthead's settings from the environment, with
// defaults that run the service with no setup: an SQLite file under
// ./data and a generated JWT secret kept beside it.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/masthead/masthead/internal/content"
)

// Config is the service's configuration.
type Config struct {
	Addr           string       // MASTHEAD_ADDR, default ":8080"
	DataDir        string       // MASTHEAD_DATA_DIR, default "./data"
	DatabaseURL    string       // MASTHEAD_DATABASE_URL; empty means SQLite in DataDir
	JWTSecret      []byte       // MASTHEAD_JWT_SECRET, at least 32 bytes
	SecretFile     string       // where a generated secret is kept, when it was
	AdminEmail     string       // MASTHEAD_ADMIN_EMAIL
	AdminPassword  string       // MASTHEAD_ADMIN_PASSWORD
	CORSOrigins    []string     // MASTHEAD_CORS_ORIGINS, comma-separated
	TrustedProxies []*net.IPNet // MASTHEAD_TRUSTED_PROXIES, comma-separated IPs or CIDRs
	// Embeds are the embed providers bodies may show (MASTHEAD_EMBEDS,
	// comma-separated; nil: all of content.EmbedProviders; "none": none).
	Embeds []string

	// Site is the public site the API feeds: links in feeds, sitemaps,
	// structured data and e-mails point there, not at the API.
	Site content.Site

	SMTPURL string // MASTHEAD_SMTP_URL; empty writes mails to the log
	// MailFrom is the sender of newsletter mail (MASTHEAD_MAIL_FROM).
	MailFrom string
	// SubscribeLimit is how many subscription requests one client address
	// may make per hour (MASTHEAD_NEWSLETTER_RATE_LIMIT, default 20).
	SubscribeLimit int
	// ConfirmTTL is how long a confirmation link works
	// (MASTHEAD_NEWSLETTER_CONFIRM_TTL, default 48h).
	ConfirmTTL time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback and private
	// addresses (MASTHEAD_WEBHOOK_ALLOW_PRIVATE=true); link-local ones
	// stay refused.
	WebhookAllowPrivate bool
	// ShutdownDelay is how long, on SIGTERM, /readyz answers 503 while
	// requests are still served, before draining starts, so a load
	// balancer stops sending first (MASTHEAD_SHUTDOWN_DELAY, default 5s).
	ShutdownDelay time.Duration
	// MetricsAddr, when set, is where /metrics (Prometheus) and
	// /debug/pprof/ are served, apart from the public address
	// (MASTHEAD_METRICS_ADDR, e.g. 127.0.0.1:9090).
	MetricsAddr string
	// CacheMB bounds the response cache of anonymous reads; 0 turns it
	// off (MASTHEAD_CACHE_MB, default 64).
	CacheMB int
	// MediaMaxMB bounds an uploaded image (MASTHEAD_MEDIA_MAX_MB, default
	// 20).
	MediaMaxMB int
	// MediaURL is where media files are kept (MASTHEAD_MEDIA_URL): empty
	// for DataDir/media, or s3://bucket[/prefix]?endpoint=…&region=….
	MediaURL string
	// MediaPublicURL prefixes the URLs of media files in answers
	// (MASTHEAD_MEDIA_PUBLIC_URL): the API's public address, or a CDN in
	// front of it. Empty: root-relative paths (/media/…).
	MediaPublicURL string
}

// MinSecretLen is the shortest JWT secret accepted, in bytes.
const MinSecretLen = 32

// Load reads the configuration. Errors are one line, fit to end the
// process with. It does not touch the disk; see EnsureSecret.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{
		Addr:          or(getenv("MASTHEAD_ADDR"), ":8080"),
		DataDir:       or(getenv("MASTHEAD_DATA_DIR"), "./data"),
		DatabaseURL:   getenv("MASTHEAD_DATABASE_URL"),
		JWTSecret:     []byte(getenv("MASTHEAD_JWT_SECRET")),
		AdminEmail:    getenv("MASTHEAD_ADMIN_EMAIL"),
		AdminPassword: getenv("MASTHEAD_ADMIN_PASSWORD"),
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, fmt.Errorf("MASTHEAD_ADDR %q is not host:port (for example :8080)", c.Addr)
	}
	switch u := c.DatabaseURL; {
	case u == "":
		c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "masthead.db")
	case strings.HasPrefix(u, "sqlite://"):
		if strings.TrimPrefix(u, "sqlite://") == "" {
			return nil, errors.New("MASTHEAD_DATABASE_URL sqlite:// names no file (use sqlite:///abs/path.db or sqlite://rel/path.db)")
		}
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		if _, err := url.Parse(u); err != nil {
			return nil, errors.New("MASTHEAD_DATABASE_URL is not a valid postgres:// URL")
		}
	default:
		return nil, errors.New("MASTHEAD_DATABASE_URL must start with postgres:// or sqlite:// (or be empty for SQLite in MASTHEAD_DATA_DIR)")
	}
	switch {
	case len(c.JWTSecret) > 0 && len(c.JWTSecret) < MinSecretLen:
		return nil, fmt.Errorf("MASTHEAD_JWT_SECRET must be at least %d bytes; it has %d", MinSecretLen, len(c.JWTSecret))
	case len(c.JWTSecret) == 0 && c.Postgres():
		return nil, fmt.Errorf("MASTHEAD_JWT_SECRET must be set (at least %d bytes) when using PostgreSQL: every replica must sign with the same secret", MinSecretLen)
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return nil, errors.New("set MASTHEAD_ADMIN_EMAIL and MASTHEAD_ADMIN_PASSWORD together, or neither")
	}
	for _, o := range splitList(getenv("MASTHEAD_CORS_ORIGINS")) {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("MASTHEAD_CORS_ORIGINS: %q is not an origin such as https://www.example.com", o)
		}
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
	}
	if v := strings.TrimSpace(getenv("MASTHEAD_EMBEDS")); v == "none" {
		c.Embeds = []string{}
	} else {
		for _, name := range splitList(v) {
			if !slices.ContainsFunc(content.EmbedProviders, func(p content.EmbedProvider) bool { return p.Name == name }) {
				return nil, fmt.Errorf("MASTHEAD_EMBEDS: %q is not a provider: use none or some of %s", name, embedNames())
			}
			c.Embeds = append(c.Embeds, name)
		}
	}
	for _, p := range splitList(getenv("MASTHEAD_TRUSTED_PROXIES")) {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("MASTHEAD_TRUSTED_PROXIES: %q is not an IP address or CIDR range", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	c.CacheMB = 64
	if v := getenv("MASTHEAD_CACHE_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			return nil, fmt.Errorf("MASTHEAD_CACHE_MB %q must be a number of megabytes, 0 to turn the cache off", v)
		}
		c.CacheMB = n
	}
	c.MediaMaxMB = 20
	if v := getenv("MASTHEAD_MEDIA_MAX_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("MASTHEAD_MEDIA_MAX_MB %q must be a number of megabytes from 1 to 1024", v)
		}
		c.MediaMaxMB = n
	}
	if c.MediaURL = getenv("MASTHEAD_MEDIA_URL"); c.MediaURL != "" && !strings.HasPrefix(c.MediaURL, "s3://") {
		return nil, errors.New("MASTHEAD_MEDIA_URL must be s3://bucket[/prefix]?endpoint=host:port&region=… (or empty for MASTHEAD_DATA_DIR/media)")
	}
	if v := strings.TrimSuffix(getenv("MASTHEAD_MEDIA_PUBLIC_URL"), "/"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("MASTHEAD_MEDIA_PUBLIC_URL %q must be an http(s) URL such as https://api.example.com", v)
		}
		c.MediaPublicURL = v
	}
	if err := c.loadDistribution(getenv); err != nil {
		return nil, err
	}
	return c, nil
}

// loadDistribution reads the settings of feeds, sitemaps, mail and
// webhooks.
func (c *Config) loadDistribution(getenv func(string) string) error {
	d := content.DefaultSite
	c.Site = content.Site{
		URL:             strings.TrimSuffix(or(getenv("MASTHEAD_SITE_URL"), d.URL), "/"),
		Name:            or(getenv("MASTHEAD_PUBLICATION_NAME"), d.Name),
		ArticlePath:     or(getenv("MASTHEAD_ARTICLE_PATH"), d.ArticlePath),
		SectionPath:     or(getenv("MASTHEAD_SECTION_PATH"), d.SectionPath),
		TagPath:         or(getenv("MASTHEAD_TAG_PATH"), d.TagPath),
		AuthorPath:      or(getenv("MASTHEAD_AUTHOR_PATH"), d.AuthorPath),
		PagePath:        or(getenv("MASTHEAD_PAGE_PATH"), d.PagePath),
		ConfirmPath:     or(getenv("MASTHEAD_NEWSLETTER_CONFIRM_PATH"), d.ConfirmPath),
		UnsubscribePath: or(getenv("MASTHEAD_NEWSLETTER_UNSUBSCRIBE_PATH"), d.UnsubscribePath),
		DefaultLanguage: getenv("MASTHEAD_DEFAULT_LANGUAGE"),
	}
	if v := getenv("MASTHEAD_PUBLICATION_NAMES"); v != "" {
		if err := json.Unmarshal([]byte(v), &c.Site.Names); err != nil {
			return errors.New(`MASTHEAD_PUBLICATION_NAMES must be a JSON object of names by language, such as {"ar": "اليومية", "en": "The Daily"}`)
		}
	}
	if err := c.Site.Check(); err != nil {
		return err
	}
	c.SMTPURL = getenv("MASTHEAD_SMTP_URL")
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return errors.New("MASTHEAD_SMTP_URL must look like smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 or smtp://relay:25")
		}
	}
	c.MailFrom = or(getenv("MASTHEAD_MAIL_FROM"), c.Site.Name+" <newsletter@localhost>")
	if a, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "\r\n") || a.Address == "" {
		return fmt.Errorf("MASTHEAD_MAIL_FROM %q is not an e-mail address such as \"The Daily <news@example.com>\"", c.MailFrom)
	}
	c.SubscribeLimit = 20
	if v := getenv("MASTHEAD_NEWSLETTER_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("MASTHEAD_NEWSLETTER_RATE_LIMIT %q must be a positive number of requests per hour", v)
		}
		c.SubscribeLimit = n
	}
	c.ConfirmTTL = 48 * time.Hour
	if v := getenv("MASTHEAD_NEWSLETTER_CONFIRM_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return fmt.Errorf("MASTHEAD_NEWSLETTER_CONFIRM_TTL %q must be a duration of at least 1m, such as 48h", v)
		}
		c.ConfirmTTL = d
	}
	if v := getenv("MASTHEAD_METRICS_ADDR"); v != "" {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("MASTHEAD_METRICS_ADDR %q must be host:port, such as 127.0.0.1:9090", v)
		}
		c.MetricsAddr = v
	}
	c.ShutdownDelay = 5 * time.Second
	if v := getenv("MASTHEAD_SHUTDOWN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 5*time.Minute {
			return fmt.Errorf("MASTHEAD_SHUTDOWN_DELAY %q must be a duration from 0s to 5m, such as 5s", v)
		}
		c.ShutdownDelay = d
	}
	switch v := getenv("MASTHEAD_WEBHOOK_ALLOW_PRIVATE"); v {
	case "", "false", "0":
	case "true", "1":
		c.WebhookAllowPrivate = true
	default:
		return fmt.Errorf("MASTHEAD_WEBHOOK_ALLOW_PRIVATE %q must be true or false", v)
	}
	return nil
}

// Postgres reports whether the database is PostgreSQL.
func (c *Config) Postgres() bool { return !strings.HasPrefix(c.DatabaseURL, "sqlite://") }

// EnsureSecret, when no JWT secret was set (SQLite only), reads the one
// kept in the data folder or makes one there with mode 0600. It reports
// whether it did so, for the caller to warn.
func (c *Config) EnsureSecret() (generated bool, err error) {
	if len(c.JWTSecret) > 0 {
		return false, nil
	}
	c.SecretFile = filepath.Join(c.DataDir, "jwt-secret")
	if b, err := os.ReadFile(c.SecretFile); err == nil && len(b) >= MinSecretLen {
		c.JWTSecret = b
		return true, nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return false, fmt.Errorf("create data folder: %w", err)
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return false, err
	}
	c.JWTSecret = []byte(base64.RawURLEncoding.EncodeToString(raw))
	if err := os.WriteFile(c.SecretFile, c.JWTSecret, 0o600); err != nil {
		return false, fmt.Errorf("keep JWT secret: %w", err)
	}
	return true, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// embedNames lists the embed providers, for an error message.
func embedNames() string {
	names := make([]string, len(content.EmbedProviders))
	for i, p := range content.EmbedProviders {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
