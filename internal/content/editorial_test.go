package content

import (
	"slices"
	"testing"
	"time"
)

func TestEditorialChanged(t *testing.T) {
	base := &Article{Slug: "s", Title: "T", Body: "b", BodyFormat: "markdown", Language: "en", Category: Category{Slug: "news"},
		Tags: []Tag{{Slug: "a"}, {Slug: "b"}}, Authors: []Author{{Slug: "x"}}, Cover: Cover{URL: "https://e.com/a.jpg"}}
	for _, c := range []struct {
		name   string
		change func(*Article)
		want   []string
	}{
		{"nothing", func(*Article) {}, nil},
		{"flags and counts", func(a *Article) { a.Featured, a.Breaking, a.ViewCount, a.Status = true, true, 9, StatusPublished }, nil},
		{"a loaded cover image", func(a *Article) { a.Cover.Media = &Media{ID: "m"} }, nil},
		{"title", func(a *Article) { a.Title = "T2" }, []string{"title"}},
		{"body format", func(a *Article) { a.BodyFormat = "html" }, []string{"body"}},
		{"tag order", func(a *Article) { a.Tags = []Tag{{Slug: "b"}, {Slug: "a"}} }, []string{"tags"}},
		{"section and byline", func(a *Article) { a.Category.Slug, a.Authors = "opinion", nil }, []string{"category", "authors"}},
		{"cover caption", func(a *Article) { a.Cover.Caption = "c" }, []string{"cover"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			after := *base
			after.Tags, after.Authors = slices.Clone(base.Tags), slices.Clone(base.Authors)
			c.change(&after)
			if got := EditorialOf(base).Changed(EditorialOf(&after)); !slices.Equal(got, c.want) {
				t.Errorf("changed %v, want %v", got, c.want)
			}
		})
	}
}

func TestAddCorrection(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	pub := now.Add(-2 * time.Hour)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	for _, c := range []struct {
		name   string
		status Status
		text   string
		at     *time.Time
		code   string // "" for success
		field  string
		wantAt time.Time
	}{
		{"now", StatusPublished, "Fixed the toll.", nil, "", "", now},
		{"dated", StatusPublished, "Fixed the toll.", at(-time.Hour), "", "", now.Add(-time.Hour)},
		{"draft", StatusDraft, "x", nil, ECONFLICT, "", time.Time{}},
		{"archived", StatusArchived, "x", nil, ECONFLICT, "", time.Time{}},
		{"empty", StatusPublished, " ", nil, EINVALID, "text", time.Time{}},
		{"markup", StatusPublished, "<b>x</b>", nil, EINVALID, "text", time.Time{}},
		{"future", StatusPublished, "x", at(time.Minute), EINVALID, "at", time.Time{}},
		{"before publication", StatusPublished, "x", at(-3 * time.Hour), EINVALID, "at", time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := pub
			a := &Article{Status: c.status, PublishedAt: &p, ModifiedAt: pub}
			err := AddCorrection(a, "id1", c.text, c.at, now)
			if c.code == "" {
				if err != nil || len(a.Corrections) != 1 || !a.Corrections[0].At.Equal(c.wantAt) || !a.ModifiedAt.Equal(now) {
					t.Fatalf("err %v, %+v", err, a)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != c.code || (c.field != "" && e.Fields[c.field] == "") || len(a.Corrections) != 0 || !a.ModifiedAt.Equal(pub) {
				t.Errorf("err %v, corrections %v, modified %v", err, a.Corrections, a.ModifiedAt)
			}
		})
	}
}

func TestRevisionAbsorbs(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	last := Revision{ArticleID: "a", CreatedBy: "u", CreatedAt: t0}
	for _, c := range []struct {
		name  string
		next  Revision
		draft bool
		want  bool
	}{
		{"a draft saved again", Revision{ArticleID: "a", CreatedBy: "u", CreatedAt: t0.Add(5 * time.Minute)}, true, true},
		{"a published story", Revision{ArticleID: "a", CreatedBy: "u", CreatedAt: t0.Add(time.Minute)}, false, false},
		{"someone else", Revision{ArticleID: "a", CreatedBy: "v", CreatedAt: t0.Add(time.Minute)}, true, false},
		{"after the window", Revision{ArticleID: "a", CreatedBy: "u", CreatedAt: t0.Add(RevisionWindow)}, true, false},
		{"another article", Revision{ArticleID: "b", CreatedBy: "u", CreatedAt: t0.Add(time.Minute)}, true, false},
	} {
		if got := last.Absorbs(c.next, c.draft); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	r := Revision{Previous: Editorial{Title: "A"}, Snapshot: Editorial{Title: "B"}, Fields: []string{"title"}}
	r.Absorb(Revision{Version: 3, CreatedAt: t0, Snapshot: Editorial{Title: "A", Body: "x"}})
	if !slices.Equal(r.Fields, []string{"body"}) || r.Version != 3 || r.Previous.Title != "A" {
		t.Errorf("absorbed %+v", r)
	}
	u := Revision{Snapshot: Editorial{Title: "T", Excerpt: "made", ExcerptDerived: true, Tags: []string{"x"}}}.RestoreUpdate()
	if *u.Title != "T" || *u.Excerpt != "" || len(*u.TagRefs) != 1 {
		t.Errorf("restore update %+v", u)
	}
}

func TestSettings(t *testing.T) {
	env := Site{Name: "The Daily", DefaultLanguage: "en", Names: Texts{"fr": "Le Quotidien"}}
	st := &Settings{Names: Texts{"ar": "اليومية"}, DefaultLanguage: "ar"}
	site := st.Site(env)
	if site.Name != "The Daily" || site.NameIn("ar") != "اليومية" || site.NameIn("fr") != "Le Quotidien" || site.DefaultLanguage != "ar" {
		t.Errorf("settings over the environment: %+v", site)
	}
	if (*Settings)(nil).Site(env).Name != "The Daily" {
		t.Error("no settings: not the environment's site")
	}
	str := func(s string) *string { return &s }
	for _, c := range []struct {
		name  string
		u     SettingsUpdate
		field string // "" for valid
	}{
		{"valid", SettingsUpdate{Name: str("The Daily"), Languages: &[]string{"AR", "en"}, DefaultLanguage: str("ar"), Social: &map[string]string{"x": "@daily", "youtube": "https://youtube.com/@daily", "facebook": ""}}, ""},
		{"default not offered", SettingsUpdate{Languages: &[]string{"en"}, DefaultLanguage: str("ar")}, "default_language"},
		{"language twice", SettingsUpdate{Languages: &[]string{"en", "EN"}}, "languages"},
		{"picture both ways", SettingsUpdate{Logo: &Picture{MediaID: "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M", URL: "https://x.example/l.png"}}, "logo"},
		{"picture not a media id", SettingsUpdate{Favicon: &Picture{MediaID: "logo.png"}}, "favicon.media_id"},
		{"handle with a slash", SettingsUpdate{Social: &map[string]string{"instagram": "a/b"}}, "social.instagram"},
		{"newsletter markup", SettingsUpdate{Newsletter: &NewsletterCopy{Title: Texts{"en": "<b>Sign up</b>"}}}, "newsletter.title.en"},
	} {
		err := c.u.Check()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if e, ok := err.(*Error); !ok || e.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", c.name, err, c.field)
		}
	}
}
