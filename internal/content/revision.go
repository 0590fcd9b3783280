package content

import "time"

// Revision is one save of an article's editorial fields: who saved, when,
// which fields changed, their values before and the values after.
type Revision struct {
	ID        string
	ArticleID string
	Version   int // the article's version this save made
	CreatedAt time.Time
	CreatedBy string   // user id; "" once that user is gone
	Fields    []string // the editorial fields that changed
	Previous  Editorial
	Snapshot  Editorial
}

// RevisionWindow is how close together saves of a draft by one person
// must be to count as one revision: drafts are saved every few seconds
// while they are written, and that autosave noise would bury the history.
// Saves of a story readers have seen are all kept.
const RevisionWindow = 10 * time.Minute

// NewRevision describes the save of a that changed it from before.
func NewRevision(id string, a *Article, before Editorial, by string, now time.Time) Revision {
	after := EditorialOf(a)
	return Revision{ID: id, ArticleID: a.ID, Version: a.Version, CreatedAt: now, CreatedBy: by,
		Fields: before.Changed(after), Previous: before, Snapshot: after}
}

// Absorbs reports whether next, a save of an article that is a draft,
// folds into r, the article's last revision, instead of adding one: the
// same person saving again within RevisionWindow.
func (r Revision) Absorbs(next Revision, draft bool) bool {
	return draft && r.ArticleID == next.ArticleID && r.CreatedBy == next.CreatedBy &&
		next.CreatedAt.Sub(r.CreatedAt) < RevisionWindow
}

// Absorb folds next into r: the values before stay r's, the values after
// and the time are next's, and the changed fields are counted across
// both saves (none when the second undid the first).
func (r *Revision) Absorb(next Revision) {
	r.Version, r.CreatedAt, r.Snapshot = next.Version, next.CreatedAt, next.Snapshot
	r.Fields = r.Previous.Changed(r.Snapshot)
}

// RestoreUpdate is the update that brings an article back to the values
// r saved. A section, tag or author deleted since is refused when the
// update is applied, by name.
func (r Revision) RestoreUpdate() ArticleUpdate {
	e := r.Snapshot
	excerpt := e.Excerpt
	if e.ExcerptDerived {
		excerpt = "" // derived from the body again
	}
	tags, authors := append([]string{}, e.Tags...), append([]string{}, e.Authors...)
	return ArticleUpdate{
		Slug: &e.Slug, Title: &e.Title, Subtitle: &e.Subtitle, Excerpt: &excerpt, Body: &e.Body, BodyFormat: &e.BodyFormat,
		Format: &e.Format, Language: &e.Language, Source: &e.Source, CategoryRef: &e.Category, TagRefs: &tags, AuthorRefs: &authors,
		Cover: &Cover{URL: e.Cover.URL, Alt: e.Cover.Alt, Caption: e.Cover.Caption, Credit: e.Cover.Credit, MediaID: e.Cover.MediaID},
	}
}
