package content_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/masthead/masthead/internal/content"
)

var (
	now      = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	hourAgo  = now.Add(-time.Hour)
	inAnHour = now.Add(time.Hour)
	writer   = content.Actor{UserID: "w1", Role: content.RoleWriter}
	editor   = content.Actor{UserID: "e1", Role: content.RoleEditor}
	admin    = content.Actor{UserID: "a1", Role: content.RoleAdmin}
)

func at(t time.Time) *time.Time { return &t }

func TestSetStatus(t *testing.T) {
	tests := []struct {
		name        string
		who         content.Actor
		from        content.Article
		to          content.Status
		publishedAt *time.Time
		wantStatus  content.Status
		wantAt      *time.Time
		wantErr     error
	}{
		{name: "OK publish now", who: editor, from: content.Article{Status: content.StatusDraft},
			to: content.StatusPublished, wantStatus: content.StatusPublished, wantAt: at(now)},
		{name: "OK publish with a past time (backdated archive)", who: editor, from: content.Article{Status: content.StatusDraft},
			to: content.StatusPublished, publishedAt: at(hourAgo), wantStatus: content.StatusPublished, wantAt: at(hourAgo)},
		{name: "OK schedule", who: admin, from: content.Article{Status: content.StatusDraft},
			to: content.StatusPublished, publishedAt: at(inAnHour), wantStatus: content.StatusScheduled, wantAt: at(inAnHour)},
		{name: "OK publish an archived article again", who: editor, from: content.Article{Status: content.StatusArchived, PublishedAt: at(hourAgo)},
			to: content.StatusPublished, wantStatus: content.StatusPublished, wantAt: at(now)},
		{name: "OK publishedAt is kept in UTC at microseconds", who: editor, from: content.Article{Status: content.StatusDraft},
			to: content.StatusPublished, publishedAt: at(time.Date(2026, 11, 26, 11, 0, 0, 123456789, time.FixedZone("EET", 2*3600))),
			wantStatus: content.StatusPublished, wantAt: at(time.Date(2026, 11, 26, 9, 0, 0, 123456000, time.UTC))},
		{name: "OK unpublish clears the time", who: editor, from: content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo)},
			to: content.StatusDraft, wantStatus: content.StatusDraft},
		{name: "OK unschedule", who: editor, from: content.Article{Status: content.StatusScheduled, PublishedAt: at(inAnHour)},
			to: content.StatusDraft, wantStatus: content.StatusDraft},
		{name: "OK archive keeps the time", who: editor, from: content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo)},
			to: content.StatusArchived, wantStatus: content.StatusArchived, wantAt: at(hourAgo)},
		{name: "ErrWriterCannotPublish", who: writer, from: content.Article{Status: content.StatusDraft, CreatedBy: "w1"},
			to: content.StatusPublished, wantStatus: content.StatusDraft, wantErr: content.ErrWriterCannotPublish},
		{name: "ErrWriterCannotPublish to archive either", who: writer, from: content.Article{Status: content.StatusDraft, CreatedBy: "w1"},
			to: content.StatusArchived, wantStatus: content.StatusDraft, wantErr: content.ErrWriterCannotPublish},
		{name: "ErrUnknownStatus", who: editor, from: content.Article{Status: content.StatusDraft},
			to: content.StatusScheduled, wantStatus: content.StatusDraft, wantErr: content.ErrUnknownStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.from
			err := content.SetStatus(tt.who, &a, tt.to, tt.publishedAt, now)
			if err != tt.wantErr {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if a.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", a.Status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantAt, a.PublishedAt); diff != "" {
				t.Errorf("published_at (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCanEdit(t *testing.T) {
	tests := []struct {
		name string
		who  content.Actor
		a    content.Article
		want error
	}{
		{"OK writer's own draft", writer, content.Article{CreatedBy: "w1", Status: content.StatusDraft}, nil},
		{"OK editor, anyone's published article", editor, content.Article{CreatedBy: "w1", Status: content.StatusPublished}, nil},
		{"OK admin", admin, content.Article{CreatedBy: "w2", Status: content.StatusArchived}, nil},
		{"ErrNotYourArticle", writer, content.Article{CreatedBy: "w2", Status: content.StatusDraft}, content.ErrNotYourArticle},
		{"ErrNotYourArticle when its author is gone", writer, content.Article{CreatedBy: "", Status: content.StatusDraft}, content.ErrNotYourArticle},
		{"ErrNotADraft published", writer, content.Article{CreatedBy: "w1", Status: content.StatusPublished}, content.ErrNotADraft},
		{"ErrNotADraft scheduled", writer, content.Article{CreatedBy: "w1", Status: content.StatusScheduled}, content.ErrNotADraft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := content.CanEdit(tt.who, &tt.a); got != tt.want {
				t.Fatalf("CanEdit = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCanRead(t *testing.T) {
	live := content.Article{CreatedBy: "w2", Status: content.StatusPublished, PublishedAt: at(hourAgo)}
	draft := content.Article{CreatedBy: "w1", Status: content.StatusDraft}
	due := content.Article{CreatedBy: "w2", Status: content.StatusScheduled, PublishedAt: at(hourAgo)}
	tests := []struct {
		name string
		who  *content.Actor
		a    content.Article
		want bool
	}{
		{"OK reader, published", nil, live, true},
		{"OK reader, scheduled whose time came", nil, due, true},
		{"OK writer, own draft", &writer, draft, true},
		{"OK editor, anyone's draft", &editor, draft, true},
		{"ErrNotFound reader, draft", nil, draft, false},
		{"ErrNotFound writer, someone else's draft", &content.Actor{UserID: "w9", Role: content.RoleWriter}, draft, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := content.CanRead(tt.who, &tt.a, now); got != tt.want {
				t.Fatalf("CanRead = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestArticleEvent(t *testing.T) {
	published := func(at time.Time) *content.Article {
		return &content.Article{Status: content.StatusPublished, PublishedAt: &at}
	}
	tests := []struct {
		name   string
		before content.Article
		after  *content.Article
		want   string
	}{
		{"OK published goes live", content.Article{Status: content.StatusDraft}, published(now), content.EventArticlePublished},
		{"OK edit while live", *published(hourAgo), published(hourAgo), content.EventArticleUpdated},
		{"OK unpublished", *published(hourAgo), &content.Article{Status: content.StatusDraft}, content.EventArticleUnpublished},
		{"OK archived while live", *published(hourAgo), &content.Article{Status: content.StatusArchived, PublishedAt: at(hourAgo)}, content.EventArticleUnpublished},
		// A scheduled story whose time came was visible but never
		// announced: the write that settles it announces it.
		{"OK scheduled time came, announced once", content.Article{Status: content.StatusScheduled, PublishedAt: at(hourAgo)}, published(hourAgo), content.EventArticlePublished},
		{"OK scheduled time came, then unpublished", content.Article{Status: content.StatusScheduled, PublishedAt: at(hourAgo)}, &content.Article{Status: content.StatusDraft}, content.EventArticleUnpublished},
		{"None draft edited", content.Article{Status: content.StatusDraft}, &content.Article{Status: content.StatusDraft}, ""},
		{"None scheduled for later", content.Article{Status: content.StatusDraft}, &content.Article{Status: content.StatusScheduled, PublishedAt: at(inAnHour)}, ""},
		{"None scheduled story unscheduled before its time", content.Article{Status: content.StatusScheduled, PublishedAt: at(inAnHour)}, &content.Article{Status: content.StatusDraft}, ""},
		{"None archived draft", content.Article{Status: content.StatusDraft}, &content.Article{Status: content.StatusArchived}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := *tt.after
			after.Settle(now)
			if got := content.ArticleEvent(content.StateOf(&tt.before, now), &after); got != tt.want {
				t.Fatalf("ArticleEvent = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDeleteEvent(t *testing.T) {
	tests := []struct {
		name string
		a    content.Article
		want string
	}{
		{"OK live article", content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo)}, content.EventArticleDeleted},
		{"None draft", content.Article{Status: content.StatusDraft}, ""},
		{"None scheduled for later", content.Article{Status: content.StatusScheduled, PublishedAt: at(inAnHour)}, ""},
		{"None archived", content.Article{Status: content.StatusArchived, PublishedAt: at(hourAgo)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := content.DeleteEvent(&tt.a, now); got != tt.want {
				t.Fatalf("DeleteEvent = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	tests := []struct {
		name string
		a    content.Article
		want content.Status
	}{
		{"OK scheduled time came", content.Article{Status: content.StatusScheduled, PublishedAt: at(hourAgo)}, content.StatusPublished},
		{"OK scheduled exactly now", content.Article{Status: content.StatusScheduled, PublishedAt: at(now)}, content.StatusPublished},
		{"Unchanged scheduled for later", content.Article{Status: content.StatusScheduled, PublishedAt: at(inAnHour)}, content.StatusScheduled},
		{"Unchanged draft", content.Article{Status: content.StatusDraft}, content.StatusDraft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.a.Settle(now)
			if tt.a.Status != tt.want {
				t.Fatalf("status = %s, want %s", tt.a.Status, tt.want)
			}
		})
	}
}

func TestDefaultByline(t *testing.T) {
	own := &content.Author{ID: "au1"}
	tests := []struct {
		name  string
		named *[]string
		own   *content.Author
		want  *[]string
	}{
		{"OK named authors win", &[]string{"levant-desk"}, own, &[]string{"levant-desk"}},
		{"OK an empty list stays empty (refused later)", &[]string{}, own, &[]string{}},
		{"OK own profile when none named", nil, own, &[]string{"au1"}},
		{"ErrAuthorsRequired none named, no profile", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, content.DefaultByline(tt.named, tt.own)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckParent(t *testing.T) {
	news := &content.Category{ID: "news"}
	local := &content.Category{ID: "local", ParentID: "news"}
	sport := &content.Category{ID: "sport"}
	tests := []struct {
		name        string
		c, parent   *content.Category
		hasChildren bool
		want        error
	}{
		{"OK top-level parent", sport, news, false, nil},
		{"ErrParentIsSelf", news, news, false, content.ErrParentIsSelf},
		{"ErrParentNotTopLevel", sport, local, false, content.ErrParentNotTopLevel},
		{"ErrParentHasChildren", sport, news, true, content.ErrParentHasChildren},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := content.CheckParent(tt.c, tt.parent, tt.hasChildren); got != tt.want {
				t.Fatalf("CheckParent = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRankRelated(t *testing.T) {
	art := func(id, category, lang string, published time.Time, title string) *content.Article {
		return &content.Article{ID: id, Category: content.Category{ID: category}, Language: lang, PublishedAt: &published, Title: title}
	}
	target := content.RelatedTarget{
		Article:   art("t", "news", "ar", now, "Port blast in Beirut"),
		TagCounts: map[string]int{"rare": 2, "common": 5000},
	}
	ids := func(list []*content.Article) []string {
		out := []string{}
		for _, a := range list {
			out = append(out, a.ID)
		}
		return out
	}
	tests := []struct {
		name   string
		pinned []*content.Article
		cands  []content.RelatedCandidate
		want   []string
	}{
		{name: "OK a rare shared tag beats a common one", cands: []content.RelatedCandidate{
			{Article: art("common", "other", "en", hourAgo, ""), SharedTags: []string{"common"}},
			{Article: art("rare", "other", "en", hourAgo, ""), SharedTags: []string{"rare"}},
		}, want: []string{"rare", "common"}},
		{name: "OK more shared tags rank higher", cands: []content.RelatedCandidate{
			{Article: art("one", "other", "en", hourAgo, ""), SharedTags: []string{"rare"}},
			{Article: art("two", "other", "en", hourAgo, ""), SharedTags: []string{"rare", "common"}},
		}, want: []string{"two", "one"}},
		{name: "OK same section and language count", cands: []content.RelatedCandidate{
			{Article: art("far", "other", "en", hourAgo, "")},
			{Article: art("section", "news", "en", hourAgo, "")},
			{Article: art("both", "news", "ar", hourAgo, "")},
		}, want: []string{"both", "section", "far"}},
		{name: "OK alike titles rank higher", cands: []content.RelatedCandidate{
			{Article: art("unlike", "other", "en", hourAgo, "Election results announced")},
			{Article: art("alike", "other", "en", hourAgo, "Beirut port blast: the inquiry")},
		}, want: []string{"alike", "unlike"}},
		{name: "OK fresher wins at equal overlap", cands: []content.RelatedCandidate{
			{Article: art("old", "other", "en", now.AddDate(-5, 0, 0), ""), SharedTags: []string{"rare"}},
			{Article: art("new", "other", "en", hourAgo, ""), SharedTags: []string{"rare"}},
		}, want: []string{"new", "old"}},
		{name: "OK ties go to the greater id", cands: []content.RelatedCandidate{
			{Article: art("a", "other", "en", hourAgo, "")},
			{Article: art("b", "other", "en", hourAgo, "")},
		}, want: []string{"b", "a"}},
		{name: "OK pins first, in their order, never twice, never the target",
			pinned: []*content.Article{art("p2", "other", "en", hourAgo, ""), art("t", "news", "ar", now, ""), art("p1", "other", "en", hourAgo, "")},
			cands: []content.RelatedCandidate{
				{Article: art("p1", "news", "ar", hourAgo, ""), SharedTags: []string{"rare"}},
				{Article: art("x", "news", "ar", hourAgo, ""), SharedTags: []string{"rare"}},
			}, want: []string{"p2", "p1", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := target
			tg.Pinned = tt.pinned
			if diff := cmp.Diff(tt.want, ids(content.RankRelated(tg, tt.cands, now))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestShortlistRelated(t *testing.T) {
	target := content.RelatedTarget{Article: &content.Article{ID: "t", Category: content.Category{ID: "news"}, Language: "ar"},
		TagCounts: map[string]int{"rare": 2}}
	var cands []content.RelatedCandidate
	for i := range 40 {
		a := &content.Article{ID: string(rune('A' + i)), Category: content.Category{ID: "other"}, Language: "en", PublishedAt: &hourAgo}
		c := content.RelatedCandidate{Article: a}
		if i%4 == 0 {
			c.SharedTags = []string{"rare"}
		}
		cands = append(cands, c)
	}
	got := content.ShortlistRelated(target, cands, now)
	if len(got) != content.RelatedShortlist {
		t.Fatalf("shortlist of %d, want %d", len(got), content.RelatedShortlist)
	}
	for i, c := range got[:10] {
		if len(c.SharedTags) == 0 {
			t.Fatalf("shortlist[%d] = %s shares no tag, but 10 candidates do", i, c.Article.ID)
		}
	}
}

func TestBecameBreaking(t *testing.T) {
	live := func(breaking bool) *content.Article {
		return &content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo), Breaking: breaking}
	}
	tests := []struct {
		name   string
		before content.Article
		after  *content.Article
		want   bool
	}{
		{"OK published as breaking", content.Article{Status: content.StatusDraft, Breaking: true}, live(true), true},
		{"OK live story made breaking", *live(false), live(true), true},
		{"OK breaking that had expired, made breaking again", content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo), Breaking: true, BreakingUntil: at(hourAgo)},
			live(true), true},
		{"None edit of a breaking story", *live(true), live(true), false},
		{"None breaking draft", content.Article{Status: content.StatusDraft}, &content.Article{Status: content.StatusDraft, Breaking: true}, false},
		{"None breaking but expired", *live(false), &content.Article{Status: content.StatusPublished, PublishedAt: at(hourAgo), Breaking: true, BreakingUntil: at(hourAgo)}, false},
		{"None no longer breaking", *live(true), live(false), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := content.BecameBreaking(content.StateOf(&tt.before, now), tt.after, now); got != tt.want {
				t.Fatalf("BecameBreaking = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPurgeKeys(t *testing.T) {
	art := &content.EventArticle{ID: "A1"}
	term := &content.EventTerm{ID: "T1"}
	for _, c := range []struct {
		name string
		ev   content.Event
		want []string
	}{
		{"OK published adds to lists", content.Event{Type: content.EventArticlePublished, Data: content.EventData{Article: art}}, []string{"A1", content.KeyArticles}},
		{"OK breaking moves up lists", content.Event{Type: content.EventArticleBreaking, Data: content.EventData{Article: art}}, []string{"A1", content.KeyArticles}},
		{"OK updated touches what shows it", content.Event{Type: content.EventArticleUpdated, Data: content.EventData{Article: art}}, []string{"A1"}},
		{"OK unpublished touches what shows it", content.Event{Type: content.EventArticleUnpublished, Data: content.EventData{Article: art}}, []string{"A1"}},
		{"OK deleted touches what shows it", content.Event{Type: content.EventArticleDeleted, Data: content.EventData{Article: art}}, []string{"A1"}},
		{"OK a tag renamed", content.Event{Type: content.EventTagUpdated, Data: content.EventData{Tag: term}}, []string{"T1", content.KeyTaxonomy}},
		{"OK a section created", content.Event{Type: content.EventCategoryCreated, Data: content.EventData{Category: term}}, []string{"T1", content.KeyTaxonomy}},
		{"OK an author deleted", content.Event{Type: content.EventAuthorDeleted, Data: content.EventData{Author: term}}, []string{"T1", content.KeyTaxonomy}},
		{"None ping", content.Event{Type: content.EventWebhookPing}, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := content.PurgeKeys(c.ev); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
