package content

import "time"

// Actor is who asks for a change: a user and the role they act in.
type Actor struct {
	UserID string
	Role   Role
}

// Times an article may carry: archives imported from long ago are fine,
// but nothing before 1900, and nothing scheduled more than ten years
// ahead. Query times and cursors are held to SaneTime.
var (
	EarliestTime     = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxScheduleAhead = 10 * 365 * 24 * time.Hour
)

// SaneTime reports whether t lies between 1900 and 2200: a time outside
// that in a query or a cursor is a mistake or an attack, and would only
// cost the database work.
func SaneTime(t time.Time) bool {
	return !t.Before(EarliestTime) && t.Before(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
}

// ErrPublishedAtOutOfRange refuses publication times before 1900 or more
// than ten years ahead.
var ErrPublishedAtOutOfRange = &Error{Code: EINVALID, Message: "Publish request is invalid.",
	Fields: map[string]string{"published_at": "must be from 1900 to ten years from now"}}

// Errors the article rules return. Each is a client error: the handler
// sends it as it is.
var (
	ErrWriterCannotPublish = &Error{Code: EFORBIDDEN, Message: "Publishing, unpublishing and archiving need the editor role."}
	ErrNotYourArticle      = &Error{Code: EFORBIDDEN, Message: "Writers may change only their own articles."}
	ErrNotADraft           = &Error{Code: EFORBIDDEN, Message: "Writers may change only drafts; ask an editor."}
	ErrUnknownStatus       = &Error{Code: EINVALID, Message: "An article can be published, made a draft again or archived."}
	ErrWriterCannotFeature = &Error{Code: EFORBIDDEN, Message: "Marking a story featured or breaking needs the editor role."}
)

// CanEdit reports whether who may edit or delete a as it is stored:
// editors and admins any article, writers only their own drafts.
func CanEdit(who Actor, a *Article) error {
	switch {
	case who.Role.AtLeast(RoleEditor):
		return nil
	case a.CreatedBy != who.UserID:
		return ErrNotYourArticle
	case a.Status != StatusDraft:
		return ErrNotADraft
	}
	return nil
}

// CanWrite reports whether who may send the fields of u: featured and
// breaking place a story on the front page, which is the editors' call.
// Writers may send them only to say no.
func CanWrite(who Actor, u *ArticleUpdate) error {
	if who.Role.AtLeast(RoleEditor) {
		return nil
	}
	if u.Featured != nil && *u.Featured || u.Breaking != nil && *u.Breaking || u.BreakingUntil != nil {
		return ErrWriterCannotFeature
	}
	return nil
}

// CanRead reports whether who may read a at now: readers (a nil actor)
// and writers see what is visible and writers their own articles too;
// editors see everything.
func CanRead(who *Actor, a *Article, now time.Time) bool {
	switch {
	case a.Visible(now):
		return true
	case who == nil:
		return false
	}
	return who.Role.AtLeast(RoleEditor) || a.CreatedBy == who.UserID
}

// SetStatus moves a to status to, as who asks at now:
//   - published: at publishedAt, or now when nil; a time still to come
//     schedules the article, which readers see once it has passed; the
//     time lies between 1900 and ten years ahead;
//   - draft: hidden again, with no publication time;
//   - archived: hidden for good, its publication time kept for the record.
//
// Only editors and admins change an article's status.
func SetStatus(who Actor, a *Article, to Status, publishedAt *time.Time, now time.Time) error {
	if !who.Role.AtLeast(RoleEditor) {
		return ErrWriterCannotPublish
	}
	switch to {
	case StatusPublished:
		at := now
		if publishedAt != nil {
			at = publishedAt.UTC().Truncate(time.Microsecond)
		}
		if at.Before(EarliestTime) || at.After(now.Add(MaxScheduleAhead)) {
			return ErrPublishedAtOutOfRange
		}
		a.PublishedAt, a.Status = &at, StatusPublished
		if at.After(now) {
			a.Status = StatusScheduled
		}
	case StatusDraft:
		a.Status, a.PublishedAt = StatusDraft, nil
	case StatusArchived:
		a.Status = StatusArchived
	default:
		return ErrUnknownStatus
	}
	return nil
}

// Settle reports a scheduled article whose time has come as published,
// so its going live is announced by the write that notices it.
func (a *Article) Settle(now time.Time) {
	if a.Status == StatusScheduled && a.Visible(now) {
		a.Status = StatusPublished
	}
}

// ArticleState is what the event rules need to know of an article before
// a write.
type ArticleState struct {
	Visible   bool // readers could see it
	Announced bool // its status was published, so going live was reported
	Breaking  bool // it was breaking news
	Slug      string
}

// StateOf is a's state at now, taken before a write changes it.
func StateOf(a *Article, now time.Time) ArticleState {
	return ArticleState{Visible: a.Visible(now), Announced: a.Status == StatusPublished, Breaking: a.IsBreaking(now), Slug: a.Slug}
}

// BecameBreaking reports whether a write made a live story breaking news
// at now (it was not, or it was not live): article.breaking fires then.
func BecameBreaking(before ArticleState, after *Article, now time.Time) bool {
	return after.Status == StatusPublished && after.IsBreaking(now) && !(before.Visible && before.Breaking)
}

// ArticleEvent is the event type a write to an article fires, given its
// state before and the article after (settled): going live is
// article.published, a change while live article.updated, leaving the
// site article.unpublished. A change readers never saw fires nothing ("").
func ArticleEvent(before ArticleState, after *Article) string {
	live := after.Status == StatusPublished
	switch {
	case live && !before.Announced:
		return EventArticlePublished
	case live:
		return EventArticleUpdated
	case before.Visible:
		return EventArticleUnpublished
	}
	return ""
}

// DeleteEvent is the event type deleting a at now fires: article.deleted
// when readers could see it, else nothing.
func DeleteEvent(a *Article, now time.Time) string {
	if a.Visible(now) {
		return EventArticleDeleted
	}
	return ""
}

// DefaultByline is the authors of a new article: those the request named,
// else the caller's own author profile (own, nil when the account has
// none). Nil means none could be found: the request must name them.
func DefaultByline(named *[]string, own *Author) *[]string {
	if named != nil || own == nil {
		return named
	}
	return &[]string{own.ID}
}

// Change kinds in the sync log: an app upserts the article, or drops it.
const (
	ChangeUpsert = "upsert"
	ChangeDelete = "delete"
)

// ChangeOf is what an article event means to an app's offline copy: the
// article to store again (published, updated), or to drop (unpublished,
// deleted). Other events change nothing there ("").
func ChangeOf(event string) string {
	switch event {
	case EventArticlePublished, EventArticleUpdated:
		return ChangeUpsert
	case EventArticleUnpublished, EventArticleDeleted:
		return ChangeDelete
	}
	return ""
}

// ChangeRetention is how long the sync log keeps changes: an app away
// longer resyncs from the lists.
const ChangeRetention = 30 * 24 * time.Hour

// ErrCursorExpired answers a sync cursor older than the log keeps.
var ErrCursorExpired = &Error{Code: ECURSOREXPIRED, Message: "This sync cursor is older than the 30 days of changes kept: download the lists again, then sync from since=latest."}

// Change is one entry of the sync log as an app receives it: the
// article's id, whether to store or drop it, and, to store, the article
// as readers see it now.
type Change struct {
	Seq       int64
	ArticleID string
	Kind      string
	At        time.Time
	Article   *Article
}

// ChangePage is a page of the sync log: each article once, at its
// latest change in the page, and where the next page starts.
type ChangePage struct {
	Changes []Change
	Next    int64
	More    bool
}
