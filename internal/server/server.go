// Package server is Masthead's HTTP API: echo, the routes (all listed in
// routes.go), one handler file per concept, and the JSON error shape.
package server

import (
	"cmp"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/masthead/masthead/internal/cache"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/oklog/ulid/v2"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/views"
)

// Config is what the server needs from the outside.
type Config struct {
	Store  *store.Store
	Tokens *auth.Tokens
	// Clock is the one clock; nil is the system clock.
	Clock *clock.Clock
	// Ready tells whether the server takes traffic; nil is always.
	Ready *Readiness
	// Metrics, when set, is told of every answered request.
	Metrics Observer
	// Views counts reads; its owner runs and closes it. Nil gives one
	// that is flushed only by hand, for tests.
	Views *views.Counter
	Log   *slog.Logger
	// AccessLog gets one line per request; nil is Log.
	AccessLog *slog.Logger
	// CORSOrigins lists the origins whose browsers may call the API.
	CORSOrigins []string
	// TrustedProxies lists the proxies whose X-Forwarded-For is believed;
	// without any, the client address is the connection's.
	TrustedProxies []*net.IPNet
	// CacheBytes bounds the response cache (0: 64 MB); NoCache turns it
	// off.
	CacheBytes int64
	NoCache    bool
	// RequestTimeout bounds each request's database work.
	RequestTimeout time.Duration
	// Site is the public site that feeds, sitemaps, structured data and
	// mails link to.
	Site content.Site
	// SubscribeLimit is how many newsletter sign-ups one client address
	// may make per hour (default 20).
	SubscribeLimit int
	// WebhookAllowPrivate lets webhooks target loopback and private
	// addresses.
	WebhookAllowPrivate bool
	// SitemapPageSize is how many articles one sitemap file lists; by
	// default as many as the site's URL patterns let fit in 50 MB.
	SitemapPageSize int
	// Media keeps uploaded images; nil leaves the media routes out.
	Media *media.Library
	// MediaURL prefixes the URLs of media files ("": root-relative).
	MediaURL string
	// Embeds names the embed providers bodies show (nil: all of
	// content.EmbedProviders); other players are left out of answers.
	Embeds []string
}

// Observer is told of every answered request: the route pattern, the
// method, the status and how long it took (metrics.Metrics).
type Observer interface {
	Observe(route, method string, status int, d time.Duration)
}

// Server serves the API. Create it with New.
type Server struct {
	echo   *echo.Echo
	store  *store.Store
	views  *views.Counter
	tokens *auth.Tokens
	guard  *auth.Guard
	log    *slog.Logger
	access *slog.Logger // one line per request
	// logins slows down password guessing (see handleLogin).
	logins  loginThrottle
	timeout time.Duration
	site    content.Site
	// subscribes limits newsletter sign-ups per client address.
	subscribes   *auth.Throttle
	allowPrivate bool
	sitemapPage  int
	clock        *clock.Clock
	ready        *Readiness
	metrics      Observer
	// cache keeps finished anonymous reader answers (respcache.go);
	// aliases maps request URLs that are not in canonical form to their
	// cache keys, so those hit before routing too.
	cache   *cache.Cache[*entry]
	aliases *cache.Cache[string]
	// cors is set when CORS is configured: a request with an Origin then
	// takes the routed path, where the CORS middleware answers it.
	cors  bool
	media *media.Library
	// mediaBase prefixes media file URLs.
	mediaBase string
	// embeds are the providers whose players bodies show (nil: all);
	// ownLink matches a link to the public site, which keeps no
	// nofollow.
	embeds  map[string]bool
	ownLink *regexp.Regexp
}

// New returns a server over cfg.Store.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Views == nil {
		cfg.Views = views.New(cfg.Store, cfg.Log, cfg.Clock)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.SubscribeLimit == 0 {
		cfg.SubscribeLimit = 20
	}
	if cfg.Site.URL == "" {
		cfg.Site = content.DefaultSite
	}
	if cfg.Ready == nil {
		cfg.Ready = &Readiness{}
	}
	if cfg.SitemapPageSize == 0 {
		cfg.SitemapPageSize = articlesPerSitemap(cfg.Site)
	}
	s := &Server{
		echo:         echo.New(),
		store:        cfg.Store,
		views:        cfg.Views,
		tokens:       cfg.Tokens,
		guard:        auth.NewGuard(cfg.Tokens, cfg.Store),
		log:          cfg.Log,
		access:       cmp.Or(cfg.AccessLog, cfg.Log),
		logins:       newLoginThrottle(cfg.Clock, cfg.Log),
		timeout:      cfg.RequestTimeout,
		site:         cfg.Site,
		subscribes:   auth.NewThrottle(cfg.SubscribeLimit, time.Hour, cfg.Clock),
		allowPrivate: cfg.WebhookAllowPrivate,
		sitemapPage:  cfg.SitemapPageSize,
		clock:        cfg.Clock,
		ready:        cfg.Ready,
		metrics:      cfg.Metrics,
		cache:        cache.New[*entry](cacheBytes(cfg)),
		aliases:      cache.New[string](min(cacheBytes(cfg), aliasBytes)),
		cors:         len(cfg.CORSOrigins) > 0,
		media:        cfg.Media,
		mediaBase:    cfg.MediaURL,
		ownLink:      regexp.MustCompile(`<a\b[^>]*\bhref="` + regexp.QuoteMeta(cfg.Site.URL) + `(?:[/?#][^"]*)?"[^>]*>`),
	}
	if cfg.Embeds != nil {
		s.embeds = map[string]bool{}
		for _, name := range cfg.Embeds {
			s.embeds[name] = true
		}
	}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)

	e.Pre(headerLimit)
	e.Pre(headAsGet)
	e.Use(s.requestIDAndLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "err", err, "request_id", requestID(c), "stack", string(stack))
		return content.Errorf(content.EINTERNAL, "An internal error occurred.")
	}}))
	e.Use(securityHeaders)
	if len(cfg.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  cfg.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "If-None-Match"},
			ExposeHeaders: []string{"ETag", echo.HeaderLocation, echo.HeaderRetryAfter, echo.HeaderXRequestID},
			MaxAge:        600,
		}))
	}
	e.Use(cacheHeaders)
	e.Use(s.started)
	e.Use(s.deadline)
	e.Use(checkParams)
	s.routes()
	return s
}

func cacheBytes(cfg Config) int64 {
	switch {
	case cfg.NoCache:
		return 0
	case cfg.CacheBytes == 0:
		return 64 << 20
	}
	return cfg.CacheBytes
}

// siteAt is the public site as readers see it now: the environment's,
// with the settings set through the API over it (content.Settings.Site).
// Should the settings be unreadable, the environment's serves.
func (s *Server) siteAt(ctx context.Context) content.Site {
	st, err := s.store.Settings(ctx)
	if err != nil {
		s.log.Warn("site settings unreadable; serving the environment's", "err", err)
		return s.site
	}
	return st.Site(s.site)
}

// ServeHTTP makes the server an http.Handler. A cached answer is sent
// before routing (serveHit); everything else goes through echo.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.serveHit(w, r) {
		s.echo.ServeHTTP(w, r)
	}
}

// ipExtractor believes X-Forwarded-For only from the listed proxies;
// echo's default would believe any client.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

const requestIDKey = "masthead.request_id"

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// requestIDAndLog gives each request a fresh id (sent back as
// X-Request-Id; a client's own is not trusted) and logs one line per
// request. It logs the path only: no query string, no headers.
func (s *Server) requestIDAndLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		id := ulid.Make().String()
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.logRequest(c.Request(), id, c.Path(), c.Response().Status, c.Response().Size, start, c.RealIP())
		return nil
	}
}

// logRequest writes the access log line of one answered request and
// tells the metrics; route is the route's pattern.
func (s *Server) logRequest(r *http.Request, id, route string, status int, size int64, start time.Time, ip string) {
	level := slog.LevelInfo
	switch {
	case status == statusClientClosed:
		// The client went away: nothing went wrong here.
	case status == http.StatusServiceUnavailable, status == http.StatusInsufficientStorage:
		level = slog.LevelWarn // a known fault, answered as such
	case status >= 500:
		level = slog.LevelError
	}
	if s.metrics != nil {
		s.metrics.Observe(route, r.Method, status, time.Since(start))
	}
	s.access.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", size),
		slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("ip", ip),
	)
}

// securityHeaders sets headers every response carries. The docs page
// sets its own, looser Content-Security-Policy.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for k, v := range securityHeaderSet {
			h[k] = v
		}
		return next(c)
	}
}

// securityHeaderSet is what securityHeaders sets, in canonical form.
var securityHeaderSet = http.Header{
	"X-Content-Type-Options":  {"nosniff"},
	"X-Frame-Options":         {"DENY"},
	"Referrer-Policy":         {"no-referrer"},
	"Content-Security-Policy": {"default-src 'none'; frame-ancestors 'none'"},
}

// Header limits. net/http refuses headers past MaxHeaderBytes itself,
// with a plain-text 431 that no handler sees; the server lets in up to
// that and refuses past MaxRequestHeaders in the error shape, so any
// client short of a flood gets a JSON answer.
const (
	MaxHeaderBytes    = 4 << 20
	MaxRequestHeaders = 64 << 10
)

// headerLimit refuses requests whose headers pass MaxRequestHeaders.
func headerLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if headerSize(c.Request()) > MaxRequestHeaders {
			return content.Errorf(content.EHEADERSTOOLARGE, "The request headers are larger than %d KB.", MaxRequestHeaders>>10)
		}
		return next(c)
	}
}

// headerSize is the size of r's request line and headers.
func headerSize(r *http.Request) int {
	n := len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// headAsGet answers HEAD as the GET of the same resource without its
// body, as HTTP asks of every GET route: feed readers, crawlers and link
// checkers send HEAD. It runs before routing, so HEAD finds GET routes.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Response().Writer = bodiless{c.Response().Writer}
		}
		return next(c)
	}
}

// bodiless drops the body of a response to HEAD.
type bodiless struct{ http.ResponseWriter }

func (w bodiless) Write(b []byte) (int, error) { return len(b), nil }

// Flush lets streaming handlers flush as they would for GET.
func (w bodiless) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// readerMaxAge is how long shared caches may keep a reader response: a
// scheduled story shows up at most this late.
const readerMaxAge = "public, max-age=60, stale-while-revalidate=60"

// cacheHeaders lets shared caches keep successful anonymous reads; what an
// editor reads with a token, errors and writes are never stored.
func cacheHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		res := c.Response()
		anonymousRead := (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.Header.Get(echo.HeaderAuthorization) == ""
		res.Before(func() {
			if res.Header().Get(echo.HeaderCacheControl) != "" {
				return
			}
			if anonymousRead && res.Status < 400 {
				res.Header().Set(echo.HeaderCacheControl, readerMaxAge)
				res.Header().Add(echo.HeaderVary, echo.HeaderAuthorization)
			} else {
				res.Header().Set(echo.HeaderCacheControl, "no-store")
			}
		})
		return next(c)
	}
}

// deadline bounds the request's database work. Errors are answered
// here, while the deadline's context still tells a passed deadline
// (503) from a client that went away (nothing to answer).
func (s *Server) deadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		if err := next(c); err != nil {
			c.Error(err)
		}
		return nil
	}
}

// checkParams refuses query and path values with invalid UTF-8, NUL or
// other control characters before any handler sees them: PostgreSQL
// would turn them into errors deep inside a query.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// A malformed query (a stray %) would otherwise lose its
		// parameters silently.
		if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
			return &content.Error{Code: content.EINVALID, Message: "Request is invalid.", Fields: map[string]string{"query": "is not a valid query string"}}
		}
		var p content.Problems
		for name, values := range c.QueryParams() {
			for _, v := range append(values, name) {
				if msg := checkParam(v); msg != "" {
					p.Add(name, msg)
				}
			}
		}
		for _, name := range c.ParamNames() {
			if msg := checkParam(pathParam(c, name)); msg != "" {
				p.Add(name, msg)
			}
		}
		if err := p.Err("Request"); err != nil {
			return err
		}
		return next(c)
	}
}

// pathParam returns a path parameter decoded: echo leaves it escaped
// when the client's escaping of the path differs from Go's own.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

func checkParam(v string) string {
	if !utf8.ValidString(v) {
		return "must be valid UTF-8"
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "must not contain control characters"
	}
	if len(v) > 2000 {
		return "is too long"
	}
	return ""
}
