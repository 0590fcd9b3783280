package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

type hit struct {
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
}

func (e *env) search(q string) ([]hit, int) {
	e.t.Helper()
	r := e.do(req{method: "GET", path: "/api/v1/search?" + q})
	want(e.t, r, http.StatusOK, "")
	var out struct {
		Data []hit
		Meta struct{ Total int }
	}
	r.decode(e.t, &out)
	return out.Data, out.Meta.Total
}

func titles(hits []hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Title)
	}
	return out
}

func TestSearchArabicAndEnglish(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		stories := []map[string]any{
			// Written with full diacritics (tashkeel), as some desks do.
			{"title": "الرَّئِيسُ يَفْتَتِحُ مَكْتَبَةً جَدِيدَةً فِي القَاهِرَةِ", "language": "ar",
				"body": "افْتَتَحَ الرَّئِيسُ اليَوْمَ مَكْتَبَةً عَامَّةً تَضُمُّ مِئَةَ أَلْفِ كِتَابٍ."},
			{"title": "أمطار غزيرة تغرق شوارع الإسكندرية", "language": "ar",
				"body": "تسببت الأمطار في إغلاق الطرق، ونُقل عشرات المصابين إلى المستشفى الرئيسي."},
			{"title": "Central bank holds rates as inflation cools", "language": "en",
				"body": "Profits < costs, the report says. <script>alert(1)</script> Inflation eased for a third month."},
			{"title": "Floods close the coastal road", "language": "en", "category": "syria", "tags": []string{"climate"},
				"body": "Heavy rain flooded the road; the central bank was not involved."},
		}
		for _, s := range stories {
			e.publish(tok, e.draft(tok, s).ID, "")
		}
		e.draft(tok, map[string]any{"title": "Draft about inflation and the central bank", "language": "en"})

		for q, wantTitles := range map[string][]string{
			// Typed without diacritics, with ه for ة: still found.
			"q=" + url.QueryEscape("مكتبه جديده"): {"الرَّئِيسُ يَفْتَتِحُ مَكْتَبَةً جَدِيدَةً فِي القَاهِرَةِ"},
			"q=" + url.QueryEscape("مكتبة"):       {"الرَّئِيسُ يَفْتَتِحُ مَكْتَبَةً جَدِيدَةً فِي القَاهِرَةِ"},
			// Alef forms unified: امطار / الاسكندرية find أمطار / الإسكندرية.
			"q=" + url.QueryEscape("امطار الاسكندرية"): {"أمطار غزيرة تغرق شوارع الإسكندرية"},
			// Final yaa: مستشفي finds مستشفى.
			"q=" + url.QueryEscape("المستشفي"): {"أمطار غزيرة تغرق شوارع الإسكندرية"},
			// With diacritics in the query too.
			"q=" + url.QueryEscape("مَكْتَبَةً"): {"الرَّئِيسُ يَفْتَتِحُ مَكْتَبَةً جَدِيدَةً فِي القَاهِرَةِ"},
			"q=inflation":                               {"Central bank holds rates as inflation cools"},
			"q=" + url.QueryEscape(`"central bank"`):    {"Central bank holds rates as inflation cools", "Floods close the coastal road"},
			"q=" + url.QueryEscape("bank -inflation"):   {"Floods close the coastal road"},
			"q=" + url.QueryEscape("inflation OR road"): {"Central bank holds rates as inflation cools", "Floods close the coastal road"},
			"q=bank&category=syria":                     {"Floods close the coastal road"},
			"q=bank&tag=climate":                        {"Floods close the coastal road"},
			"q=bank&lang=ar":                            nil,
			"q=nothingmatches":                          nil,
		} {
			got, total := e.search(q)
			gotTitles := titles(got)
			if strings.Contains(q, "OR") || strings.Contains(q, "central") {
				// Both match; order by relevance is checked below.
				if len(gotTitles) != len(wantTitles) || total != len(wantTitles) {
					t.Errorf("%s: %v (total %d), want %v", q, gotTitles, total, wantTitles)
				}
				continue
			}
			if strings.Join(gotTitles, "|") != strings.Join(wantTitles, "|") || total != len(wantTitles) {
				t.Errorf("%s: %v (total %d), want %v", q, gotTitles, total, wantTitles)
			}
		}
		// A title match outranks a body-only match.
		got, _ := e.search("q=bank")
		if len(got) != 2 || got[0].Title != "Central bank holds rates as inflation cools" {
			t.Errorf("ranking: %v", titles(got))
		}
		// Snippets mark matches and escape everything else.
		got, _ = e.search("q=profits")
		if len(got) != 1 || !strings.Contains(got[0].Snippet, "<mark>") || !strings.Contains(got[0].Snippet, "&lt;") ||
			strings.Contains(got[0].Snippet, "<script") || strings.Count(got[0].Snippet, "<") != strings.Count(got[0].Snippet, "<mark>")+strings.Count(got[0].Snippet, "</mark>") {
			t.Errorf("snippet %q", got)
		}
		got, _ = e.search("q=" + url.QueryEscape("مكتبة"))
		if len(got) != 1 || !strings.Contains(got[0].Snippet, "<mark>") {
			t.Errorf("arabic snippet %q", got)
		}
		// Unpublished, moved or reworded, an article is found as it is now.
		var floods string
		for _, a := range e.list("/api/v1/articles?limit=100", "").Data {
			if a.Title == "Floods close the coastal road" {
				floods = a.ID
			}
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/articles/" + floods, body: map[string]any{"category": "opinion", "title": "Storm closes the coastal road"}, token: tok}), http.StatusOK, "")
		if got, _ := e.search("q=bank&category=syria"); len(got) != 0 {
			t.Errorf("moved article still in its old section: %v", titles(got))
		}
		if got, _ := e.search("q=storm&category=opinion"); len(got) != 1 {
			t.Errorf("reworded article not found by its new title: %v", titles(got))
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/articles/" + floods + "/unpublish", token: tok}), http.StatusOK, "")
		if got, _ := e.search("q=storm"); len(got) != 0 {
			t.Errorf("unpublished article found: %v", titles(got))
		}
	})
}

func TestSearchBadQueries(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		e.publish(tok, e.draft(tok, map[string]any{"title": "Inflation report"}).ID, "")
		// Odd input is no error: it finds nothing or what it can.
		for _, q := range []string{`"`, `""""`, `-`, `OR OR OR`, `((((`, `'; DROP TABLE articles; --`, `*`, `NEAR(a b)`,
			`inflation"`, `-inflation`, `" OR "`, `<script>alert(1)</script>`, `\`, `%`, `_`, `title:x`, `^inflation`,
			strings.Repeat(`"-(`, 66)} {
			r := e.do(req{method: "GET", path: "/api/v1/search?q=" + url.QueryEscape(q)})
			if r.Status != http.StatusOK {
				t.Errorf("%q: %d %s", q, r.Status, r.Body)
			}
		}
		for _, q := range []string{"", "q=", "q=%20%20", "q=" + strings.Repeat("x", 201), "q=" + strings.Repeat("-", 500),
			"q=a%00b", "q=a%01b", "q=%ff", "q=a&limit=51", "q=a&limit=0", "q=a&page=0", "q=a&page=101", "q=a&sort=new",
			"q=a&lang=!!", "q=a&since=yesterday"} {
			want(t, e.do(req{method: "GET", path: "/api/v1/search?" + q}), http.StatusBadRequest, content.EINVALID)
		}
	})
}

// TestSearchShowsWhatWasWritten: matching is normalised (hamza, alef
// maqsura, diacritics, case), but snippets show the text as written.
func TestSearchShowsWhatWasWritten(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		e.publish(tok, e.draft(tok, map[string]any{"title": "انفجار في مَرفأ بيروت يوقع عشرات الجرحى", "language": "ar"}).ID, "")
		e.publish(tok, e.draft(tok, map[string]any{"title": "Cranes return", "body": "The Port of Beirut reopened on Tuesday, weeks after the blast."}).ID, "")
		for q, want := range map[string][]string{
			"مرفا":    {"<mark>مَرفأ</mark>", "الجرحى"},
			"مرفأ":    {"<mark>مَرفأ</mark>"},
			"الجرحي":  {"<mark>الجرحى</mark>"},
			"BEIRUT":  {"<mark>Beirut</mark>", "Port of"},
			"tuesday": {"<mark>Tuesday</mark>"},
		} {
			var res struct{ Data []struct{ Snippet string } }
			e.get("/api/v1/search?q="+url.QueryEscape(q)).decode(t, &res)
			if len(res.Data) != 1 {
				t.Errorf("%s: %d results", q, len(res.Data))
				continue
			}
			for _, w := range want {
				if !strings.Contains(res.Data[0].Snippet, w) {
					t.Errorf("%s: snippet %q lacks %q", q, res.Data[0].Snippet, w)
				}
			}
		}
	})
}

// TestSearchScoreScale: scores are a share of the query's best match on
// both engines: the best is 1, all lie in 0-1, descending, and a later
// page is scaled by the same best, not its own.
func TestSearchScoreScale(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		tok := e.newsroom()
		for i, title := range []string{"Port blast in Beirut", "Beirut port: the inquiry", "Markets after the blast", "Port workers strike",
			"Port, port and port again", "A quiet day in Tripoli"} {
			e.publish(tok, e.draft(tok, map[string]any{"title": title, "body": strings.Repeat("The port of Beirut. ", i+1)}).ID, "")
		}
		for i := range 12 { // "port" is rare enough to weigh (SQLite's bm25 weighs rarity)
			e.publish(tok, e.draft(tok, map[string]any{"title": "Elections, day " + strconv.Itoa(i), "body": "Voters queued in Tripoli."}).ID, "")
		}
		var scores []float64
		for page := 1; page <= 2; page++ {
			var got struct {
				Data []struct{ Score float64 }
				Meta struct{ Total int }
			}
			r := e.get("/api/v1/search?q=port&limit=3&page=" + strconv.Itoa(page))
			want(t, r, http.StatusOK, "")
			r.decode(t, &got)
			for _, h := range got.Data {
				scores = append(scores, h.Score)
			}
		}
		if len(scores) < 4 || scores[0] != 1 {
			t.Fatalf("scores %v: want the best at 1", scores)
		}
		for i, s := range scores {
			if s < 0 || s > 1 || i > 0 && s > scores[i-1] {
				t.Errorf("scores %v: want 0-1, descending", scores)
				break
			}
		}
		if scores[3] == 1 {
			t.Errorf("page 2 was scaled by its own best: %v", scores)
		}
	})
}
