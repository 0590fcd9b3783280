// Command masthead runs the Masthead news content API.
//
//	masthead serve [--demo]     run the API (migrates first)
//	masthead migrate [status]   apply migrations, or list them
//	masthead user create --email E --name N --role R --password-stdin
//	masthead user reset-password --email E --password-stdin
//	masthead user list
//	masthead healthcheck        exit 0 when the local server is healthy
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/term"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/config"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/demo"
	"github.com/masthead/masthead/internal/mail"
	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/metrics"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/views"
	"github.com/masthead/masthead/internal/webhook"
	"github.com/masthead/masthead/internal/worker"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "masthead:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  masthead serve [--demo]
  masthead migrate [status]
  masthead user create --email E --name N --role admin|editor|writer --password-stdin
  masthead user reset-password --email E --password-stdin
  masthead user list
  masthead healthcheck`

// run is the whole program: main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	human := humanOutput(stdout, getenv("MASTHEAD_LOG_FORMAT"))
	log := newLogger(stdout, human)
	switch args[0] {
	case "serve":
		var summary io.Writer
		access := log
		if human {
			summary = stdout
		} else {
			// A machine reads these: the access log's lines are written
			// in batches, the rest at once.
			buf := newLogBuffer(stdout)
			defer buf.Flush()
			log, access = newLogger(buf.Now(), false), newLogger(buf, false)
		}
		return serve(ctx, args[1:], getenv, log, access, summary)
	case "migrate":
		return migrate(ctx, args[1:], getenv, log, stdout)
	case "user":
		return user(ctx, args[1:], getenv, stdin, stdout)
	case "healthcheck":
		return healthcheck(ctx, getenv)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

// humanOutput reports whether output to w is read by a person: a
// terminal, unless MASTHEAD_LOG_FORMAT says json; or text when it says so.
func humanOutput(w io.Writer, format string) bool {
	switch format {
	case "text":
		return true
	case "json":
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newLogger logs text for a person and JSON for machines.
func newLogger(w io.Writer, human bool) *slog.Logger {
	if human {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// open loads the configuration and opens and migrates the database, on
// the clock clk.
func open(ctx context.Context, getenv func(string) string, log *slog.Logger, clk *clock.Clock) (*config.Config, *store.Store, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, nil, err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, clk, webhook.Encoder(cfg.Site))
	if err != nil {
		return nil, nil, err
	}
	log.Info("migrating", "engine", s.Engine())
	if err := s.Migrate(ctx, log); err != nil {
		s.Close()
		return nil, nil, err
	}
	return cfg, s, nil
}

// serve runs the API. summary, when set (a person reads the output), gets
// a short human summary once the service is ready.
func serve(ctx context.Context, args []string, getenv func(string) string, log, access *slog.Logger, summary io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	withDemo := fs.Bool("demo", false, "load demo content into an empty database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The heap of a Masthead server is small and short-lived: collecting
	// less often buys throughput for memory the machine has. GOGC, when
	// set, wins.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// The one clock: everything that asks the time is handed this.
	clk := clock.New()
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	// ... but within a bound: the response cache's budget and 80 MB for
	// the rest, so a full cache does not grow the heap fivefold.
	// GOMEMLIMIT, when set, wins.
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.CacheMB+80) << 20)
	}
	if generated, err := cfg.EnsureSecret(); err != nil {
		return err
	} else if generated {
		log.Warn("MASTHEAD_JWT_SECRET is not set; using a generated secret kept in the data folder", "file", cfg.SecretFile)
	}
	tokens, err := auth.NewTokens(cfg.JWTSecret, clk)
	if err != nil {
		return err
	}
	sender, err := mailSender(cfg, log)
	if err != nil {
		return err
	}
	// Opening connects to nothing yet: the server answers (/healthz 200,
	// the API and /readyz 503) while the database is reached and
	// migrated, retrying until it answers.
	s, err := store.Open(ctx, cfg.DatabaseURL, clk, webhook.Encoder(cfg.Site))
	if err != nil {
		return err
	}
	defer s.Close()
	counter := views.New(s, log, clk)
	lib, err := mediaLibrary(cfg, s, log)
	if err != nil {
		return err
	}
	if s3, ok := lib.Storage.(*media.S3); ok {
		// Said at start, not at the first upload; the server serves
		// articles without it.
		checkCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := s3.Check(checkCtx); err != nil {
			log.Error("media storage unreachable: uploads and renditions will fail until it answers", "err", err)
		}
		cancel()
	}
	ready := server.NewReadiness("the database has not been reached yet")
	public, ops, err := listen(cfg, server.Config{
		Store: s, Tokens: tokens, Clock: clk, Ready: ready, Views: counter, Log: log, AccessLog: access, CORSOrigins: cfg.CORSOrigins,
		TrustedProxies: cfg.TrustedProxies, Site: cfg.Site, SubscribeLimit: cfg.SubscribeLimit, WebhookAllowPrivate: cfg.WebhookAllowPrivate,
		CacheBytes: int64(cfg.CacheMB) << 20, NoCache: cfg.CacheMB == 0,
		Media: lib, MediaURL: cfg.MediaPublicURL, Embeds: cfg.Embeds,
	})
	if err != nil {
		return err
	}
	base := "http://" + displayAddr(public.ln.Addr().String())
	log.Info("serving", "api", base+"/api/v1", "docs", base+"/docs", "openapi", base+"/openapi.json", "engine", s.Engine())
	if ops.srv != nil {
		at := "http://" + displayAddr(ops.ln.Addr().String())
		log.Info("serving operators", "metrics", at+"/metrics", "pprof", at+"/debug/pprof/")
	}
	bringUp := func(ctx context.Context) ([]worker.Worker, error) {
		if err := connect(ctx, s, ready, log); err != nil {
			return nil, err
		}
		password, err := prepare(ctx, cfg, s, log, *withDemo)
		if err != nil {
			return nil, err
		}
		if summary != nil {
			printSummary(summary, base, password)
		}
		return backgroundWork(cfg, s, clk, log, sender, counter), nil
	}
	return runServer(ctx, log, public, ops, cfg.ShutdownDelay, ready, bringUp, counter)
}

// listen opens the public address with the API on it and, when
// MASTHEAD_METRICS_ADDR is set, the operators' address with metrics and
// pprof.
func listen(cfg *config.Config, scfg server.Config) (public, ops listening, err error) {
	var m *metrics.Metrics
	if cfg.MetricsAddr != "" {
		m = metrics.New(scfg.Store, scfg.Views, scfg.Clock)
		scfg.Metrics = m
		ops.srv = &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second}
		if ops.ln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return public, ops, fmt.Errorf("listen on %s: %w", cfg.MetricsAddr, err)
		}
	}
	srv := server.New(scfg)
	if m != nil {
		m.WatchCache(srv.CacheStats)
	}
	public.srv = &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    server.MaxHeaderBytes,
	}
	if public.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		if ops.ln != nil {
			ops.ln.Close()
		}
		return public, ops, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return public, ops, nil
}

// connect reaches and migrates the database, retrying with backoff (1 s
// doubling to 30 s) while it is unreachable, and saying why in /readyz
// and the log. Other errors (a failed migration) end the start.
func connect(ctx context.Context, s *store.Store, ready *server.Readiness, log *slog.Logger) error {
	wait := time.Second
	for {
		err := s.Ping(ctx)
		if err == nil {
			log.Info("migrating", "engine", s.Engine())
			if err = s.Migrate(ctx, log); err == nil {
				return nil
			}
		}
		// Only an unreachable database is waited for; anything else, a
		// full disk among them, ends the start with its reason.
		if f := store.Fault(err); f == nil || f.Code != content.EUNAVAILABLE || ctx.Err() != nil {
			return err
		}
		reason := "the database is unreachable (" + oneLine(err) + "); retrying"
		ready.Starting(reason)
		log.Warn("database unreachable; retrying", "err", err, "in", wait.String())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// oneLine shortens an error for a status line.
func oneLine(err error) string {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

// prepare readies a migrated database for serving: search entries for
// articles written without one, the admin from the environment, and the
// demo newsroom when asked for. It returns the demo admin's one-time
// password when it made that admin.
func prepare(ctx context.Context, cfg *config.Config, s *store.Store, log *slog.Logger, withDemo bool) (string, error) {
	if err := s.IndexMissing(ctx, log); err != nil {
		return "", err
	}
	if err := s.Optimize(ctx); err != nil {
		return "", err
	}
	if err := bootstrapAdmin(ctx, cfg, s, log); err != nil {
		return "", err
	}
	if st, err := s.Settings(ctx); err != nil {
		return "", err
	} else if st.Version > 1 {
		// Say so, or an operator changing the environment wonders why
		// nothing moves.
		log.Info("site settings set through the API (PATCH /api/v1/site) win over the environment's where set",
			"version", st.Version, "name", st.Name, "default_language", st.DefaultLanguage)
	}
	if withDemo {
		lib, err := mediaLibrary(cfg, s, log)
		if err != nil {
			return "", err
		}
		return loadDemo(ctx, s, lib, log)
	}
	return "", nil
}

// printSummary tells a person at a terminal where things are.
func printSummary(w io.Writer, base, password string) {
	fmt.Fprintf(w, "\nMasthead is ready.\n  API    %s/api/v1\n  Docs   %s/docs\n  Try    curl -s '%s/api/v1/articles?limit=3'\n",
		base, base, base)
	if password != "" {
		fmt.Fprintf(w, "  Admin  %s  password %s  (shown once; forgot it? masthead user reset-password --email %s --password-stdin)\n",
			demo.AdminEmail, password, demo.AdminEmail)
	}
	fmt.Fprintln(w)
}

// mailSender sends through MASTHEAD_SMTP_URL, or writes mail to the log
// when none is set.
func mailSender(cfg *config.Config, log *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL != "" {
		return mail.NewSMTP(cfg.SMTPURL)
	}
	log.Warn("MASTHEAD_SMTP_URL is not set: newsletter mail is written to this log instead of being sent")
	return mail.Log{Logger: log}, nil
}

// backgroundWork lists every background worker of a server, all started
// together by runServer. The outboxes work from tables, so stopping them
// at any moment loses nothing.
func backgroundWork(cfg *config.Config, s *store.Store, clk *clock.Clock, log *slog.Logger, sender mail.Sender, counter *views.Counter) []worker.Worker {
	work := []worker.Worker{
		counter,
		webhook.New(s, log, cfg.WebhookAllowPrivate, clk),
		mail.NewOutbox(s, sender, cfg.Site, cfg.MailFrom, cfg.ConfirmTTL, log, clk),
		worker.Poller{Name: "publish scheduled articles", Every: time.Second, Log: log, Step: func(ctx context.Context) (bool, error) {
			n, err := s.PublishDue(ctx)
			return n == store.PublishBatch, err
		}},
		worker.Poller{Name: "prune webhook deliveries", Every: time.Hour, Log: log, Step: func(ctx context.Context) (bool, error) {
			_, err := s.PruneDeliveries(ctx, clk.Now().Add(-webhook.Retention))
			return false, err
		}},
		worker.Poller{Name: "prune mail outbox", Every: time.Hour, Log: log, Step: func(ctx context.Context) (bool, error) {
			return false, s.PruneMail(ctx, clk.Now().Add(-mail.Retention))
		}},
		worker.Poller{Name: "prune the sync log", Every: time.Hour, Log: log, Step: func(ctx context.Context) (bool, error) {
			return false, s.PruneChanges(ctx, clk.Now().Add(-content.ChangeRetention))
		}},
		// Statistics follow the data: a bulk import shows in the plans
		// within minutes, not at the next restart.
		worker.Poller{Name: "optimize", Every: 5 * time.Minute, Log: log, Step: func(ctx context.Context) (bool, error) {
			return false, s.Optimize(ctx)
		}},
	}
	if l := s.Listener(log); l != nil {
		work = append(work, l) // other replicas' writes, as they commit
	}
	return work
}

// mediaLibrary keeps uploaded images in MASTHEAD_DATA_DIR/media, or in
// the S3 bucket of MASTHEAD_MEDIA_URL.
func mediaLibrary(cfg *config.Config, s *store.Store, log *slog.Logger) (*media.Library, error) {
	lim := media.DefaultLimits
	lim.MaxBytes = int64(cfg.MediaMaxMB) << 20
	var storage media.Storage = media.Disk{Dir: filepath.Join(cfg.DataDir, "media")}
	if cfg.MediaURL != "" {
		s3, err := media.OpenS3(cfg.MediaURL)
		if err != nil {
			return nil, fmt.Errorf("MASTHEAD_MEDIA_URL: %w", err)
		}
		storage = s3
	}
	return &media.Library{Store: s, Storage: storage, Limits: lim, Log: log}, nil
}

// listening is an HTTP server with its listener; srv nil means none.
type listening struct {
	srv *http.Server
	ln  net.Listener
}

// runServer serves the public listener (and the operators', when set)
// at once and brings the service up behind it (bringUp: database,
// migrations, the workers it returns), marking it started when done. It runs until ctx ends or something fails, then
// stops in this order: /readyz turns 503 for delay while requests are
// still served, so load balancers stop sending; HTTP drains (in-flight
// requests finish, new ones are refused); the workers stop, finishing
// what is in flight and handing the rest back; the view counter writes
// the reads still buffered, when no request can add one. Every goroutine
// is waited for.
func runServer(ctx context.Context, log *slog.Logger, public, ops listening, delay time.Duration,
	ready *server.Readiness, bringUp func(context.Context) ([]worker.Worker, error), counter *views.Counter) error {
	srv := public.srv
	// Workers get a context of their own: they stop after HTTP has drained.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	g, gctx := errgroup.WithContext(ctx)
	for _, l := range []listening{public, ops} {
		if l.srv == nil {
			continue
		}
		g.Go(func() error {
			if err := l.srv.Serve(l.ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
	}
	var (
		mu       sync.Mutex // orders starting workers against stopping them
		stopping bool
		started  bool
		running  sync.WaitGroup
	)
	g.Go(func() error {
		workers, err := bringUp(gctx)
		if err != nil {
			if gctx.Err() != nil {
				return nil // stopped while starting
			}
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if stopping {
			return nil
		}
		for _, w := range workers {
			running.Add(1)
			g.Go(func() error {
				defer running.Done()
				return w.Run(workCtx)
			})
		}
		started = true
		ready.Started()
		log.Info("ready")
		return nil
	})
	g.Go(func() error {
		<-gctx.Done() // a signal, or the server or a worker failing
		ready.Drain()
		if ctx.Err() != nil && delay > 0 {
			log.Info("shutting down: /readyz answers 503 while requests are still served", "for", delay.String())
			time.Sleep(delay)
		}
		log.Info("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := srv.Shutdown(shutdownCtx)
		mu.Lock()
		stopping = true
		mu.Unlock()
		stopWork()
		running.Wait()
		if started {
			if ferr := counter.Close(shutdownCtx); ferr != nil {
				err = errors.Join(err, fmt.Errorf("flush views: %w", ferr))
			}
		}
		// The operators' address stays up to the end, to watch the stop.
		if ops.srv != nil {
			err = errors.Join(err, ops.srv.Shutdown(shutdownCtx))
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// loadDemo loads the demo newsroom into a database without content, and
// says why it did not otherwise. It returns the demo admin's one-time
// password when it made that admin.
func loadDemo(ctx context.Context, s *store.Store, lib *media.Library, log *slog.Logger) (string, error) {
	empty, err := demo.Empty(ctx, s)
	if err != nil {
		return "", err
	}
	if !empty {
		log.Info("demo content not loaded: the database already holds sections or articles")
		return "", nil
	}
	log.Info("loading demo content")
	pw, err := demo.Load(ctx, s, lib, log)
	if err != nil {
		return "", err
	}
	if pw == "" {
		log.Info("demo content loaded; the demo admin exists already and keeps its password", "email", demo.AdminEmail)
		return "", nil
	}
	log.Warn("demo admin created; this password is shown once", "email", demo.AdminEmail, "password", pw)
	return pw, nil
}

// displayAddr turns ":8080" or "[::]:8080" into "localhost:8080".
func displayAddr(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// bootstrapAdmin creates the admin named by MASTHEAD_ADMIN_EMAIL and
// MASTHEAD_ADMIN_PASSWORD when no user exists yet.
func bootstrapAdmin(ctx context.Context, cfg *config.Config, s *store.Store, log *slog.Logger) error {
	if cfg.AdminEmail == "" {
		return nil
	}
	n, err := s.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	if err := createUser(ctx, s, cfg.AdminEmail, "Administrator", string(content.RoleAdmin), cfg.AdminPassword); err != nil {
		return fmt.Errorf("MASTHEAD_ADMIN_EMAIL/MASTHEAD_ADMIN_PASSWORD: %w", err)
	}
	log.Info("admin created from the environment", "email", content.NormalizeEmail(cfg.AdminEmail))
	return nil
}

// createUser checks and stores a user, explaining what is wrong in one line.
func createUser(ctx context.Context, s *store.Store, email, name, role, password string) error {
	r := content.Role(role)
	u := content.UserUpdate{Email: &email, Name: &name, Role: &r, Password: &password}
	if err := u.Check(true); err != nil {
		var ce *content.Error
		if errors.As(err, &ce) {
			var parts []string
			for _, f := range []string{"email", "name", "role", "password"} {
				if msg, ok := ce.Fields[f]; ok {
					parts = append(parts, f+" "+msg)
				}
			}
			return errors.New(strings.Join(parts, "; "))
		}
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	err = s.CreateUser(ctx, &content.User{Email: email, Name: name, Role: r, PasswordHash: hash})
	if content.ErrorCode(err) == content.ECONFLICT {
		return fmt.Errorf("a user with e-mail %s exists", content.NormalizeEmail(email))
	}
	return err
}

func migrate(ctx context.Context, args []string, getenv func(string) string, log *slog.Logger, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, nil, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case len(args) == 0:
		if err := s.Migrate(ctx, log); err != nil {
			return err
		}
		log.Info("migrations applied", "engine", s.Engine())
		return nil
	case len(args) == 1 && args[0] == "status":
		list, err := s.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, m := range list {
			state := "pending"
			if m.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%-8s %04d %s\n", state, m.Version, m.Name)
		}
		return nil
	}
	return errors.New("usage: masthead migrate [status]")
}

const userUsage = `usage:
  masthead user create --email E --name N --role admin|editor|writer --password-stdin
  masthead user reset-password --email E --password-stdin
  masthead user list`

func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "admin, editor or writer")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w\n%s", err, userUsage)
	}
	readPassword := func() (string, error) {
		if !*fromStdin {
			return "", errors.New("pass --password-stdin and the password on standard input (never on the command line)")
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	switch args[0] {
	case "create":
		password, err := readPassword()
		if err != nil {
			return err
		}
		return withStore(ctx, getenv, func(s *store.Store) error {
			if err := createUser(ctx, s, *email, *name, *role, password); err != nil {
				return fmt.Errorf("user not created: %w", err)
			}
			fmt.Fprintf(stdout, "created %s %s\n", *role, content.NormalizeEmail(*email))
			return nil
		})
	case "reset-password":
		password, err := readPassword()
		if err != nil {
			return err
		}
		return withStore(ctx, getenv, func(s *store.Store) error {
			if err := resetPassword(ctx, s, *email, password); err != nil {
				return fmt.Errorf("password not reset: %w", err)
			}
			fmt.Fprintf(stdout, "password reset for %s; every login of that user has ended\n", content.NormalizeEmail(*email))
			return nil
		})
	case "list":
		return withStore(ctx, getenv, func(s *store.Store) error {
			users, err := s.FindUsers(ctx)
			if err != nil {
				return err
			}
			for _, u := range users {
				state := "active"
				if u.Disabled {
					state = "disabled"
				}
				fmt.Fprintf(stdout, "%-7s %-8s %s\t%s\n", u.Role, state, u.Email, u.Name)
			}
			return nil
		})
	}
	return fmt.Errorf("unknown user command %q\n%s", args[0], userUsage)
}

// withStore runs fn on the migrated database of the configuration.
func withStore(ctx context.Context, getenv func(string) string, fn func(*store.Store) error) error {
	_, s, err := open(ctx, getenv, slog.New(slog.DiscardHandler), clock.New())
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// resetPassword gives the user with e-mail address email a new password,
// ending all of their logins, explaining what is wrong in one line.
func resetPassword(ctx context.Context, s *store.Store, email, password string) error {
	u, err := s.FindUserByEmail(ctx, email)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return fmt.Errorf("no user with e-mail %s", content.NormalizeEmail(email))
	} else if err != nil {
		return err
	}
	if msg := content.CheckPassword(password, u.Email); msg != "" {
		return errors.New("password " + msg)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.UpdateUser(ctx, u.ID, content.UserUpdate{}, hash)
	return err
}

// healthcheck asks the local server's /healthz; the container image has no
// curl, so the binary checks itself.
func healthcheck(ctx context.Context, getenv func(string) string) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(cfg.Addr)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: status %d", resp.StatusCode)
	}
	return nil
}
