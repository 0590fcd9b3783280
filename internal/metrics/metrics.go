// Package metrics is what operators see inside a running server: request
// counts and latencies by route, the database pool and query latency,
// the view counter's buffer and flush lag, the outboxes' depth and the
// age of their oldest item, and scheduled-publish lag, in Prometheus
// format; with pprof beside it. It is served on its own address
// (MASTHEAD_METRICS_ADDR), never on the public one.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/masthead/masthead/internal/cache"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
)

// Source is what the metrics read from the rest of the server.
type Source interface {
	SQLDB() *sql.DB
	ObserveQueries(func(time.Duration))
	Backlog(context.Context) (content.Backlog, error)
}

// Buffer is the view counter's side.
type Buffer interface {
	Buffered() (pending int, lastFlush time.Time)
}

// Metrics holds the series. Create it with New.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers every series over src and views, telling ages by clk.
func New(src Source, views Buffer, clk *clock.Clock) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "masthead_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "masthead_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route", "method"}),
	}
	queries := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "masthead_db_query_duration_seconds", Help: "Time each SQL statement took.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .5, 2},
	})
	src.ObserveQueries(func(d time.Duration) { queries.Observe(d.Seconds()) })
	reg.MustRegister(m.requests, m.latency, queries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(src.SQLDB(), "masthead"),
		&backlog{src: src, views: views, clock: clk})
	return m
}

// Observe records one answered request. route is the pattern (e.g.
// /api/v1/articles/:id), so ids and slugs do not multiply series.
func (m *Metrics) Observe(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// Handler serves /metrics and /debug/pprof/ for the operators' address.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// backlog reads the waiting work when scraped.
type backlog struct {
	src   Source
	views Buffer
	clock *clock.Clock
}

var (
	descDepth = prometheus.NewDesc("masthead_outbox_depth", "Items waiting: mail to send, webhook deliveries to make.", []string{"outbox"}, nil)
	descAge   = prometheus.NewDesc("masthead_outbox_oldest_age_seconds", "Age of the oldest waiting item (0 when none waits).", []string{"outbox"}, nil)
	descDue   = prometheus.NewDesc("masthead_scheduled_publish_lag_seconds", "How long the oldest scheduled story whose time came has waited to be marked published (0 when none).", nil, nil)
	descViews = prometheus.NewDesc("masthead_views_buffered", "Read counts waiting for the next flush.", nil, nil)
	descFlush = prometheus.NewDesc("masthead_views_flush_lag_seconds", "Time since the view counter last wrote (0 before it first did).", nil, nil)
	descUp    = prometheus.NewDesc("masthead_backlog_scrape_ok", "1 when the backlog could be read from the database.", nil, nil)
)

func (b *backlog) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descDepth, descAge, descDue, descViews, descFlush, descUp} {
		ch <- d
	}
}

func (b *backlog) Collect(ch chan<- prometheus.Metric) {
	now := b.clock.Now()
	age := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return now.Sub(t).Seconds()
	}
	n, last := b.views.Buffered()
	ch <- prometheus.MustNewConstMetric(descViews, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(descFlush, prometheus.GaugeValue, age(last))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	bl, err := b.src.Backlog(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descDepth, prometheus.GaugeValue, float64(bl.Mail), "mail")
	ch <- prometheus.MustNewConstMetric(descDepth, prometheus.GaugeValue, float64(bl.Deliveries), "webhooks")
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, age(bl.OldestMail), "mail")
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, age(bl.OldestDelivery), "webhooks")
	ch <- prometheus.MustNewConstMetric(descDue, prometheus.GaugeValue, age(bl.OldestDue))
}

// WatchCache exposes the response cache's counters.
func (m *Metrics) WatchCache(stats func() cache.Stats) {
	m.reg.MustRegister(cacheCollector(stats))
}

type cacheCollector func() cache.Stats

var (
	descCacheHits      = prometheus.NewDesc("masthead_cache_hits_total", "Anonymous reads answered from the response cache (a request that waited for another's fill counts too).", nil, nil)
	descCacheMisses    = prometheus.NewDesc("masthead_cache_misses_total", "Anonymous reads that filled the response cache.", nil, nil)
	descCacheEvictions = prometheus.NewDesc("masthead_cache_evictions_total", "Entries dropped to stay within MASTHEAD_CACHE_MB.", nil, nil)
	descCacheEntries   = prometheus.NewDesc("masthead_cache_entries", "Entries in the response cache.", nil, nil)
	descCacheBytes     = prometheus.NewDesc("masthead_cache_bytes", "Bytes the response cache holds.", nil, nil)
)

func (cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCacheHits, descCacheMisses, descCacheEvictions, descCacheEntries, descCacheBytes} {
		ch <- d
	}
}

func (f cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := f()
	ch <- prometheus.MustNewConstMetric(descCacheHits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(descCacheMisses, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(descCacheEvictions, prometheus.CounterValue, float64(s.Evictions))
	ch <- prometheus.MustNewConstMetric(descCacheEntries, prometheus.GaugeValue, float64(s.Entries))
	ch <- prometheus.MustNewConstMetric(descCacheBytes, prometheus.GaugeValue, float64(s.Bytes))
}
