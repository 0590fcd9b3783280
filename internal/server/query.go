package server

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// The fields fields= may pick on each kind of answer: the JSON names of
// its type.
var (
	summaryFields = jsonFields(&api.ArticleSummary{})
	articleFields = jsonFields(&api.Article{})
	searchFields  = jsonFields(&api.SearchResult{})
	// changeFields are a summary's, and the text for apps that keep
	// whole articles offline.
	changeFields = union(summaryFields, map[string]bool{"body": true, "body_format": true, "body_html": true})
)

// cursorJSON is the cursor's wire form: base64url of this JSON. It names
// its sort so it cannot be replayed under another.
type cursorJSON struct {
	Key  time.Time `json:"k"`
	ID   string    `json:"i"`
	Sort string    `json:"s"`
}

func encodeCursor(c *content.Cursor, sort content.ArticleSort) string {
	b, _ := json.Marshal(cursorJSON{Key: c.Key.UTC(), ID: c.ID, Sort: string(sort)})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort content.ArticleSort) (*content.Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return nil, false
	}
	// Every field is checked before it reaches a query: ids are ULIDs
	// (26 characters of Crockford's base32), the time lies in the range
	// any stored time does, and the sort is the list's.
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != string(sort) || !content.SaneTime(c.Key) {
		return nil, false
	}
	if _, err := ulid.ParseStrict(c.ID); err != nil {
		return nil, false
	}
	return &content.Cursor{Key: c.Key, ID: c.ID}, true
}

// queryParser reads a route's query parameters into its typed query,
// collecting every problem. The parameters a route accepts are those its
// parser reads: err refuses any other, so no list is kept by hand.
type queryParser struct {
	c    echo.Context
	p    content.Problems
	read map[string]bool
}

func newQueryParser(c echo.Context) *queryParser {
	return &queryParser{c: c, read: map[string]bool{}}
}

// get returns the parameter name, "" when absent, and notes that the
// route takes it.
func (q *queryParser) get(name string) string {
	q.read[name] = true
	return q.c.QueryParam(name)
}

// err reports the problems found, and any parameter the route does not
// take, as one EINVALID error.
func (q *queryParser) err() error {
	for name := range q.c.QueryParams() {
		if !q.read[name] {
			q.p.Add(name, "unknown parameter")
		}
	}
	return q.p.Err("Query")
}

func (q *queryParser) str(name string, max int) string {
	v := q.get(name)
	if msg := content.CheckText(v, max, false); msg != "" {
		q.p.Add(name, msg)
		return ""
	}
	return v
}

func (q *queryParser) slug(name string) string {
	return content.NormalizeSlug(q.str(name, content.MaxSlugLen))
}

// language reads a BCP 47 tag, canonicalised ("" when absent).
func (q *queryParser) language(name string) string {
	v := q.str(name, 35)
	if v == "" {
		return ""
	}
	canon, _, err := content.ParseLanguage(v)
	if err != nil {
		q.p.Add(name, "must be a BCP 47 language tag such as ar or en")
	}
	return canon
}

func (q *queryParser) intIn(name string, def, min, max int) int {
	v := q.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.p.Add(name, "must be an integer from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
		return def
	}
	return n
}

func (q *queryParser) boolean(name string) *bool {
	switch q.get(name) {
	case "":
		return nil
	case "true", "1":
		t := true
		return &t
	case "false", "0":
		f := false
		return &f
	}
	q.p.Add(name, "must be true or false")
	return nil
}

func (q *queryParser) time(name string) *time.Time {
	v := q.get(name)
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || !content.SaneTime(t) {
		q.p.Add(name, "must be an RFC 3339 time from 1900 to 2199, such as 2026-11-26T10:00:00Z")
		return nil
	}
	t = t.UTC()
	return &t
}

// choice reads one of allowed, or def when the parameter is absent.
func choice[T ~string](q *queryParser, name string, allowed []T, def T) T {
	v := T(q.get(name))
	switch {
	case v == "":
		return def
	case !slices.Contains(allowed, v):
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		q.p.Add(name, "must be one of "+strings.Join(names, ", "))
		return def
	}
	return v
}

// articleFilter parses the list parameters. fields is the set fields=
// asked for (nil for all). Statuses need a token, checked by the caller.
func articleFilter(c echo.Context) (f content.ArticleFilter, fields []string, err error) {
	q := newQueryParser(c)
	f.Category, f.Tag, f.Author = q.slug("category"), q.slug("tag"), q.slug("author")
	f.Format = choice(q, "format", content.Formats, "")
	f.Language = q.language("lang")
	f.Featured, f.Breaking = q.boolean("featured"), q.boolean("breaking")
	f.Since, f.Until, f.UpdatedSince = q.time("since"), q.time("until"), q.time("updated_since")
	f.Sort = choice(q, "sort", content.ArticleSorts, content.SortNewest)
	f.Limit = q.intIn("limit", content.DefaultLimit, 1, content.MaxLimit)
	f.Page = q.intIn("page", 0, 1, content.MaxPage)
	if cur := q.get("cursor"); cur != "" {
		if f.Page > 0 {
			q.p.Add("cursor", "use either page or cursor, not both")
		} else if f.Cursor, _ = decodeCursor(cur, f.Sort); f.Cursor == nil {
			q.p.Add("cursor", "is malformed or belongs to another sort")
		}
	}
	if v := q.get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(content.Statuses, content.Status(st)) {
				q.p.Add("status", "must be a comma-separated list of draft, scheduled, published, archived")
				break
			}
			f.Statuses = append(f.Statuses, content.Status(st))
		}
	}
	return f, q.fields(summaryFields), q.err()
}

// fields reads fields=, a comma-separated list of the names in allowed:
// nil when absent, which means every field.
func (q *queryParser) fields(allowed map[string]bool) []string {
	v := q.get("fields")
	if v == "" {
		return nil
	}
	var out []string
	for _, name := range strings.Split(v, ",") {
		if !allowed[name] {
			q.p.Add("fields", "unknown field "+strconv.Quote(name))
			return nil
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

func union(a, b map[string]bool) map[string]bool {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// articlePage is the query of a single-article GET: which blocks to
// embed, and their parameters.
type articlePage struct {
	// Menus and Site embed the navigation menus and the site's settings,
	// in the article's language, so a page stays at two requests.
	Menus, Site, Ads bool
	// Preview is a preview link's token: the article is shown whatever
	// its status, when the token admits it.
	Preview          string
	Fields           []string // nil: all
	Related, Popular bool
	RelatedLimit     int
	PopularFilter    content.PopularFilter
}

// articlePageQuery parses the query of a single-article GET, before any
// database work: a bad parameter costs no query.
func articlePageQuery(c echo.Context) (articlePage, error) {
	q := newQueryParser(c)
	var page articlePage
	if v := q.get("include"); v != "" {
		for _, part := range strings.Split(v, ",") {
			switch part {
			case "related":
				page.Related = true
			case "popular":
				page.Popular = true
			case "menus":
				page.Menus = true
			case "site":
				page.Site = true
			case "ads":
				page.Ads = true
			default:
				q.p.Add("include", "must be a comma-separated list of related, popular, menus, site, ads")
			}
		}
	}
	page.RelatedLimit = q.intIn("related_limit", 6, 1, content.MaxPinned)
	page.PopularFilter = popularFilter(q, "popular_", 5)
	page.Fields = q.fields(articleFields)
	page.Preview = q.str("preview", 100)
	return page, q.err()
}
