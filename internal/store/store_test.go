package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/clock"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
	"github.com/masthead/masthead/migrations"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func ptr[T any](v T) *T { return &v }

func TestMigrationFoldersMatch(t *testing.T) {
	t.Parallel() // each test owns its databases
	names := func(dir string) []string {
		entries, err := fs.ReadDir(migrations.FS, dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	if pg, lite := names("postgres"), names("sqlite"); !slices.Equal(pg, lite) {
		t.Fatalf("migration folders differ: postgres %v, sqlite %v", pg, lite)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, e store.Engine) {
		s := testdb.Open(t, e)
		ctx := context.Background()
		// A second run finds nothing to do.
		if err := s.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		status, err := s.MigrationStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range status {
			if !m.Applied {
				t.Errorf("migration %s not applied", m.Name)
			}
		}
	})
}

// TestConcurrentMigrate starts four "replicas" on one empty database at
// once: on PostgreSQL the advisory lock makes them take turns, so both
// succeed and each migration is recorded once.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, e store.Engine) {
		if e == store.SQLite {
			t.Skip("one SQLite file has one process; the lock is PostgreSQL's")
		}
		url := testdb.URL(t, e)
		ctx := context.Background()
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				s, err := store.Open(ctx, url, nil, nil)
				if err != nil {
					errs <- err
					return
				}
				defer s.Close()
				errs <- s.Migrate(ctx, nil)
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		s, err := store.Open(ctx, url, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var n int
		if err := s.SQLDB().QueryRow(`SELECT count(*) FROM schema_migrations WHERE version_id = 1`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("migration 1 recorded %d times (%v)", n, err)
		}
	})
}

// editor acts in tests as a newsroom editor would, without a user
// account (articles get no author of record).
var editor = content.Actor{Role: content.RoleEditor}

// seed makes a section, a tag and an author to refer to.
func seed(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateCategory(ctx, content.CategoryUpdate{Term: content.Term{Name: ptr("News")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCategory(ctx, content.CategoryUpdate{Term: content.Term{Name: ptr("Syria")}, ParentRef: ptr("news")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTag(ctx, content.TagUpdate{Term: content.Term{Name: ptr("سوريا")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAuthor(ctx, content.AuthorUpdate{Term: content.Term{Name: ptr("Levant Desk")}}); err != nil {
		t.Fatal(err)
	}
}

func TestArticleLifecycle(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, e store.Engine) {
		clk := clock.New()
		s := testdb.OpenWith(t, e, clk, content.Site{})
		ctx := context.Background()
		seed(t, s)
		u := content.ArticleUpdate{
			Title: ptr("انفجار في مرفأ بيروت"), Body: ptr("نص **الخبر** هنا."), Language: ptr("ar"),
			CategoryRef: ptr("syria"), TagRefs: &[]string{"سوريا"}, AuthorRefs: &[]string{"levant-desk"},
		}
		if err := u.Check(true); err != nil {
			t.Fatal(err)
		}
		a, err := s.CreateArticle(ctx, u, editor)
		if err != nil {
			t.Fatal(err)
		}
		if a.Slug != "انفجار-في-مرفأ-بيروت" || a.Direction != "rtl" || a.Status != content.StatusDraft {
			t.Fatalf("got slug %q direction %q status %q", a.Slug, a.Direction, a.Status)
		}
		if _, err := s.FindArticleBySlug(ctx, a.Slug, true); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("draft visible to readers: %v", err)
		}
		// Scheduled: invisible until its time, then visible with no job.
		at := s.Now().Add(time.Hour)
		if _, err := s.SetArticleStatus(ctx, a.ID, content.StatusPublished, &at, 0, editor); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindArticle(ctx, a.ID, true); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("scheduled article visible early: %v", err)
		}
		clk.Advance(2 * time.Hour)
		got, err := s.FindArticleBySlug(ctx, a.Slug, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Tags) != 1 || got.Tags[0].Slug != "سوريا" || len(got.Authors) != 1 || got.Category.Slug != "syria" {
			t.Fatalf("relations: %+v %+v %+v", got.Tags, got.Authors, got.Category)
		}
		page, err := s.FindArticles(ctx, content.ArticleFilter{Category: "news", Limit: 10})
		if err != nil || len(page.Articles) != 1 {
			t.Fatalf("list by parent section: %v %v", page, err)
		}
		// Rename: the old slug redirects.
		upd, err := s.UpdateArticle(ctx, a.ID, content.ArticleUpdate{Slug: ptr("beirut-port")}, store.Precondition(got.Version), editor)
		if err != nil {
			t.Fatal(err)
		}
		var moved *content.Moved
		if _, err := s.FindArticleBySlug(ctx, a.Slug, true); err == nil || !asMoved(err, &moved) || moved.Slug != "beirut-port" {
			t.Fatalf("old slug: %v", err)
		}
		// A stale version is refused and changes nothing.
		if _, err := s.UpdateArticle(ctx, a.ID, content.ArticleUpdate{Title: ptr("x")}, store.Precondition(got.Version), editor); content.ErrorCode(err) != content.EPRECONDITIONFAILED {
			t.Fatalf("stale update: %v", err)
		}
		// An unknown tag fails the whole update.
		_, err = s.UpdateArticle(ctx, a.ID, content.ArticleUpdate{Title: ptr("changed"), TagRefs: &[]string{"nope"}}, 0, editor)
		if content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), `"nope"`) {
			t.Fatalf("unknown tag: %v", err)
		}
		after, _ := s.FindArticle(ctx, a.ID, false)
		if after.Title != upd.Title || after.Version != upd.Version {
			t.Fatalf("failed update wrote: %+v", after)
		}
		// Authors with articles cannot be deleted.
		if err := s.DeleteAuthor(ctx, "levant-desk"); content.ErrorCode(err) != content.ECONFLICT {
			t.Fatalf("delete author in use: %v", err)
		}
	})
}

func asMoved(err error, m **content.Moved) bool {
	mv, ok := err.(*content.Moved)
	*m = mv
	return ok
}

// TestConcurrentWrites: editors save at the same time. On SQLite writers
// queue on the busy timeout instead of failing; on both, each concurrent
// edit of one article either lands or gets EPRECONDITIONFAILED.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel() // each test owns its databases
	testdb.Run(t, func(t *testing.T, e store.Engine) {
		s := testdb.Open(t, e)
		ctx := context.Background()
		seed(t, s)
		const n = 20
		errs := make(chan error, n)
		for i := range n {
			go func() {
				u := content.ArticleUpdate{Title: ptr(fmt.Sprintf("Story %d", i)), Body: ptr("Text."), Language: ptr("en"),
					CategoryRef: ptr("news"), TagRefs: &[]string{"سوريا"}, AuthorRefs: &[]string{"levant-desk"}}
				_, err := s.CreateArticle(ctx, u, editor)
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		a, err := s.CreateArticle(ctx, content.ArticleUpdate{Title: ptr("Contested"), Body: ptr("x"), Language: ptr("en"),
			CategoryRef: ptr("news"), AuthorRefs: &[]string{"levant-desk"}}, editor)
		if err != nil {
			t.Fatal(err)
		}
		landed := make(chan bool, n)
		for i := range n {
			go func() {
				_, err := s.UpdateArticle(ctx, a.ID, content.ArticleUpdate{Title: ptr(fmt.Sprintf("Edit %d", i))}, store.Precondition(a.Version), editor)
				switch content.ErrorCode(err) {
				case "":
					landed <- true
				case content.EPRECONDITIONFAILED:
					landed <- false
				default:
					t.Error(err)
					landed <- false
				}
			}()
		}
		wins := 0
		for range n {
			if <-landed {
				wins++
			}
		}
		if wins != 1 {
			t.Fatalf("%d edits from the same version landed, want exactly 1", wins)
		}
	})
}
