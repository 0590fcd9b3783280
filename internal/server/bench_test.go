package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// benchArticles is the archive size the reader benchmarks run against.
const benchArticles = 10_000

// BenchmarkReader drives the whole handler stack (routing, middleware,
// store, JSON) over a loaded archive on each engine, and reports SQL
// statements per request next to time and allocations:
//
//	MASTHEAD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	    go test -run '^$' -bench Reader -benchmem ./internal/server/
func BenchmarkReader(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(string(engine), func(b *testing.B) {
			e := newEnv(b, engine)
			slugs := loadArchive(b, e.store, benchArticles)
			for _, bc := range []struct {
				name string
				path func(i int) string
			}{
				{"list_newest_20", func(int) string { return "/api/v1/articles?limit=20" }},
				{"list_by_section", func(i int) string { return fmt.Sprintf("/api/v1/articles?category=section-%02d&limit=20", i%20) }},
				{"list_by_tag", func(i int) string { return fmt.Sprintf("/api/v1/articles?tag=tag-%03d&limit=20", i%500) }},
				{"list_page_50", func(int) string { return "/api/v1/articles?limit=20&page=50" }},
				{"get_by_slug", func(i int) string { return "/api/v1/articles/slug/" + url.PathEscape(slugs[i%len(slugs)]) }},
			} {
				b.Run(bc.name, func(b *testing.B) {
					// Warm up, and check the route answers 200.
					if code := serve(e, bc.path(0)); code != http.StatusOK {
						b.Fatalf("%s: status %d", bc.path(0), code)
					}
					queries := e.store.Queries()
					b.ReportAllocs()
					// A server has many requests in flight, not one per core.
					b.SetParallelism(8)
					b.ResetTimer()
					start := time.Now()
					b.RunParallel(func(pb *testing.PB) {
						i := rand.IntN(1000)
						for pb.Next() {
							i++
							if code := serve(e, bc.path(i)); code != http.StatusOK {
								b.Errorf("%s: status %d", bc.path(i), code)
								return
							}
						}
					})
					elapsed := time.Since(start)
					b.ReportMetric(float64(e.store.Queries()-queries)/float64(b.N), "sql/req")
					b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
				})
			}
		})
	}
}

func serve(e *env, path string) int {
	rec := httptest.NewRecorder()
	e.server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// loadArchive bulk-inserts a newsroom: 20 sections (4 with 4 children
// each), 500 tags, 20 authors and n published articles over two years,
// each with 3 tags and 1 or 2 authors. It returns the article slugs.
func loadArchive(b testing.TB, s *store.Store, n int) []string {
	b.Helper()
	ctx := context.Background()
	db := s.SQLDB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Truncate(time.Microsecond)
	// bulk inserts rows of width placeholders each, in batches.
	bulk := func(head string, width int, rows [][]any) {
		const batch = 400
		for start := 0; start < len(rows); start += batch {
			end := min(start+batch, len(rows))
			var sb strings.Builder
			var args []any
			sb.WriteString(head + " VALUES ")
			for i, r := range rows[start:end] {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(")
				for j := range width {
					if j > 0 {
						sb.WriteString(", ")
					}
					if s.Engine() == store.Postgres {
						fmt.Fprintf(&sb, "$%d", len(args)+j+1)
					} else {
						sb.WriteString("?")
					}
				}
				sb.WriteString(")")
				args = append(args, r...)
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				b.Fatalf("%s: %v", head, err)
			}
		}
	}
	var rows [][]any
	for i := range 20 {
		var parent any
		if i >= 4 {
			parent = fmt.Sprintf("cat-%02d", i%4)
		}
		rows = append(rows, []any{fmt.Sprintf("cat-%02d", i), fmt.Sprintf("section-%02d", i), fmt.Sprintf("Section %d", i), parent, i, now, now})
	}
	// Parents first: rows are in order, and a batch holds all 20.
	bulk("INSERT INTO categories (id, slug, name, parent_id, position, created_at, updated_at)", 7, rows)
	rows = nil
	for i := range 500 {
		rows = append(rows, []any{fmt.Sprintf("tag-%03d", i), fmt.Sprintf("tag-%03d", i), fmt.Sprintf("Tag %d", i), now, now})
	}
	bulk("INSERT INTO tags (id, slug, name, created_at, updated_at)", 5, rows)
	rows = nil
	for i := range 20 {
		rows = append(rows, []any{fmt.Sprintf("au-%02d", i), fmt.Sprintf("author-%02d", i), fmt.Sprintf("Author %d", i), now, now})
	}
	bulk("INSERT INTO authors (id, slug, name, created_at, updated_at)", 5, rows)

	rng := rand.New(rand.NewPCG(1, 2))
	body := strings.Repeat("A paragraph of reporting with enough words to look like a story. ", 60)
	html := "<p>" + body + "</p>"
	var articles, tagLinks, authorLinks [][]any
	slugs := make([]string, n)
	for i := range n {
		id := fmt.Sprintf("art-%06d", i)
		lang, title := "en", fmt.Sprintf("Story number %d about the economy", i)
		if i%3 == 0 {
			lang, title = "ar", fmt.Sprintf("خبر رقم %d عن الاقتصاد", i)
		}
		slugs[i] = fmt.Sprintf("story-%06d", i)
		dir := map[string]string{"ar": "rtl", "en": "ltr"}[lang]
		published := now.Add(-time.Duration(rng.IntN(2*365*24*60)) * time.Minute)
		articles = append(articles, []any{id, slugs[i], title, body[:200], body, "markdown", html, "news", lang, dir,
			fmt.Sprintf("cat-%02d", rng.IntN(20)), i%50 == 0, "published", published, 400, 2, published, published})
		for j, t := range rng.Perm(500)[:3] {
			tagLinks = append(tagLinks, []any{id, fmt.Sprintf("tag-%03d", t), j})
		}
		for j, a := range rng.Perm(20)[:1+i%2] {
			authorLinks = append(authorLinks, []any{id, fmt.Sprintf("au-%02d", a), j})
		}
	}
	bulk(`INSERT INTO articles (id, slug, title, excerpt, body, body_format, body_html, format, language, direction,
		category_id, featured, status, published_at, word_count, reading_time, created_at, updated_at)`, 18, articles)
	bulk("INSERT INTO article_tags (article_id, tag_id, position)", 3, tagLinks)
	bulk("INSERT INTO article_authors (article_id, author_id, position)", 3, authorLinks)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// Fresh statistics, as a long-running database would have.
	analyze := "ANALYZE"
	if _, err := db.ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
	return slugs
}
