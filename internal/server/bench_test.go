package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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
			cached := newEnv(b, engine)
			slugs := loadArchive(b, cached.store, benchArticles)
			// The same database behind a server without the response
			// cache: what a miss costs.
			for _, e := range []*env{cached, newEnvAt(b, cached.url, noCache)} {
				name := "cache"
				if e != cached {
					name = "nocache"
				}
				b.Run(name, func(b *testing.B) { benchReader(b, e, slugs) })
			}
		})
	}
}

func benchReader(b *testing.B, e *env, slugs []string) {
	for _, bc := range []struct {
		name string
		path func(i int) string
	}{
		{"list_newest_20", func(int) string { return "/api/v1/articles?limit=20" }},
		{"list_by_section", func(i int) string { return fmt.Sprintf("/api/v1/articles?category=section-%02d&limit=20", i%20) }},
		{"list_by_tag", func(i int) string { return fmt.Sprintf("/api/v1/articles?tag=tag-%03d&limit=20", i%500) }},
		{"list_page_50", func(int) string { return "/api/v1/articles?limit=20&page=50" }},
		{"get_by_slug", func(i int) string { return "/api/v1/articles/slug/" + url.PathEscape(slugs[i%len(slugs)]) }},
		{"feed_latest_rss", func(int) string { return "/feeds/latest.rss" }},
		{"feed_by_section_atom", func(i int) string { return fmt.Sprintf("/feeds/category/section-%02d.atom", i%20) }},
		{"news_sitemap", func(int) string { return "/sitemap-news.xml" }},
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
}

// vocabulary draws article text: real English and Arabic news words and
// made-up names, with Zipf-distributed frequencies as in real text, so a
// query matches a realistic share of the archive.
type vocabulary struct {
	rng    *rand.Rand
	zipf   *rand.Zipf
	en, ar []string
}

func newVocabulary(rng *rand.Rand) *vocabulary {
	en := strings.Fields(`government minister president election parliament economy inflation bank market oil price
		war peace talks border refugees camp aid agency report court judge police protest strike union workers
		school university hospital health doctors virus water electricity fuel power cuts winter summer rain
		floods drought harvest farmers export import currency debt budget tax reform corruption investigation
		journalists press freedom ceasefire army soldiers attack explosion port airport road bridge city village
		capital region coast mountain valley river sea football match league cup final team coach players fans
		film festival music concert book library museum theatre artist culture history heritage mosque church
		summit treaty agreement deal sanctions embassy ambassador visit meeting conference statement spokesman`)
	ar := strings.Fields(`الحكومة الوزير الرئيس الانتخابات البرلمان الاقتصاد التضخم المصرف السوق النفط الأسعار الحرب السلام
		المفاوضات الحدود اللاجئين المخيم المساعدات الوكالة التقرير المحكمة القاضي الشرطة الاحتجاج الإضراب العمال
		المدرسة الجامعة المستشفى الصحة الأطباء المياه الكهرباء الوقود الشتاء الصيف الأمطار الفيضانات الجفاف
		المزارعين التصدير العملة الدين الموازنة الضرائب الإصلاح الفساد التحقيق الصحفيين الحرية الهدنة الجيش
		الانفجار المرفأ المطار الطريق الجسر المدينة القرية العاصمة الساحل الجبل النهر البحر المباراة الدوري الكأس
		المنتخب المدرب الجمهور الفيلم المهرجان الموسيقى الكتاب المكتبة المتحف المسرح الثقافة التاريخ التراث
		القمة المعاهدة الاتفاق العقوبات السفارة السفير الزيارة الاجتماع المؤتمر البيان المتحدث بيروت دمشق عمان`)
	return &vocabulary{rng: rng, zipf: rand.NewZipf(rng, 1.07, 3, 4999), en: en, ar: ar}
}

// word returns a word. The most frequent ranks stand for function words
// ("c1", "c2": what no one searches for), the next for real news words,
// so each real word is in a few percent of stories, as in a real archive;
// the long tail are made-up names ("kw1a2").
func (v *vocabulary) word(lang string) string {
	r := int(v.zipf.Uint64())
	real := v.en
	if lang == "ar" {
		real = v.ar
	}
	switch {
	case r < functionWords:
		return "c" + strconv.Itoa(r)
	case r < functionWords+len(real):
		return real[r-functionWords]
	}
	return "kw" + strconv.FormatInt(int64(r), 36)
}

const functionWords = 60

func (v *vocabulary) text(lang string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = v.word(lang)
	}
	return strings.Join(w, " ")
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
	slugs := loadArticles(b, s, n)
	if err := s.IndexMissing(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	return slugs
}

// loadArticles is loadArchive without the search index, for benchmarks
// that do not search.
func loadArticles(b testing.TB, s *store.Store, n int) []string {
	b.Helper()
	ctx := context.Background()
	db := s.SQLDB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Truncate(time.Microsecond)
	bulk := func(head string, width int, rows [][]any) { bulkInsert(b, tx, s.Engine(), head, width, rows) }
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
	words := newVocabulary(rng)
	var articles, tagLinks, authorLinks [][]any
	slugs := make([]string, n)
	for i := range n {
		id := fmt.Sprintf("art-%06d", i)
		lang := "en"
		if i%3 == 0 {
			lang = "ar"
		}
		title := words.text(lang, 8)
		body := words.text(lang, 150)
		html := "<p>" + body + "</p>"
		slugs[i] = fmt.Sprintf("story-%06d", i)
		dir := map[string]string{"ar": "rtl", "en": "ltr"}[lang]
		published := now.Add(-time.Duration(rng.IntN(2*365*24*60)) * time.Minute)
		articles = append(articles, []any{id, slugs[i], title, strings.Join(strings.Fields(body)[:25], " "), body, "markdown", html, "news", lang, dir,
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
	if _, err := db.ExecContext(ctx, `UPDATE tags SET article_count = (SELECT count(*) FROM article_tags at WHERE at.tag_id = tags.id)`); err != nil {
		b.Fatal(err)
	}
	// Fresh statistics and visibility map, as autovacuum keeps them on
	// a long-running database.
	analyze := "ANALYZE"
	if s.Engine() == store.Postgres {
		analyze = "VACUUM ANALYZE"
	}
	if _, err := db.ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
	return slugs
}

// bulkInsert inserts rows of width values each, in batches of 400 rows.
func bulkInsert(b testing.TB, tx *sql.Tx, engine store.Engine, head string, width int, rows [][]any) {
	b.Helper()
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
				if engine == store.Postgres {
					fmt.Fprintf(&sb, "$%d", len(args)+j+1)
				} else {
					sb.WriteString("?")
				}
			}
			sb.WriteString(")")
			args = append(args, r...)
		}
		if _, err := tx.Exec(sb.String(), args...); err != nil {
			b.Fatalf("%s: %v", head, err)
		}
	}
}
