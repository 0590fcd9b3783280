package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
)

// handleChanges serves GET /api/v1/changes.
//
//	@Summary		Sync: what changed
//	@Description	For apps that keep an offline copy: every change readers can see since the cursor, oldest first, each article at most once at its latest change: "upsert" with the article as readers see it now, or "delete" (unpublished or deleted; a tombstone). Start with since=latest (after downloading the lists) or without since (the whole log kept); then pass meta.next_cursor each time, and again at once while meta.has_more. Cursors survive restarts; changes are kept 30 days, and an older cursor gets 410 cursor_expired: download the lists again.
//	@Tags			articles
//	@Produce		json
//	@Param			since	query		string	false	"meta.next_cursor of the last call, or latest"	maxlength(700)
//	@Param			limit	query		integer	false	"Changes per page, 1 to 500"	default(100)	minimum(1)	maximum(500)
//	@Param			fields	query		string	false	"Sparse articles: comma-separated summary fields, and body, body_format, body_html for apps that keep the text offline"	example(id,slug,title,updated_at,body_html)	maxlength(400)
//	@Success		200		{object}	api.ChangeList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		410		{object}	api.Error	"Cursor older than the changes kept: resync"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/changes [get]
func (s *Server) handleChanges(c echo.Context) error {
	q := newQueryParser(c)
	since, latest := int64(-1), false // -1: from the oldest change kept
	switch v := q.get("since"); v {
	case "":
	case "latest":
		latest = true
	default:
		var ok bool
		if since, ok = decodeChangeCursor(v); !ok {
			q.p.Add("since", "must be a meta.next_cursor this route gave, or latest")
		}
	}
	limit := q.intIn("limit", 100, 1, 500)
	fields := q.fields(changeFields)
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if latest {
		head, err := s.store.LatestChange(ctx)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, api.ChangeList{Data: []api.Change{}, Meta: api.ChangeMeta{NextCursor: encodeChangeCursor(head), Limit: limit}})
	}
	full := slices.ContainsFunc(fields, func(f string) bool { return !summaryFields[f] })
	page, err := s.store.FindChanges(ctx, since, limit, full)
	if err != nil {
		return err
	}
	now := s.store.Now()
	out := api.ChangeList{Data: make([]api.Change, 0, len(page.Changes)), Meta: api.ChangeMeta{NextCursor: encodeChangeCursor(page.Next), HasMore: page.More, Limit: limit}}
	for _, ch := range page.Changes {
		item := api.Change{Type: ch.Kind, ID: ch.ArticleID, ChangedAt: ch.At}
		if ch.Article != nil {
			sum := s.toAPISummary(ch.Article, now)
			item.Article = &sum
		}
		out.Data = append(out.Data, item)
	}
	// A sync answer is fresh by nature: caches must not hold it.
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if fields == nil {
		return c.JSON(http.StatusOK, out)
	}
	data := make([]map[string]any, len(out.Data))
	for i, ch := range out.Data {
		data[i] = map[string]any{"type": ch.Type, "id": ch.ID, "changed_at": ch.ChangedAt}
		switch a := page.Changes[i].Article; {
		case a != nil && full:
			data[i]["article"] = sparse(s.toAPIArticle(s.siteAt(c.Request().Context()), a), fields)
		case a != nil:
			data[i]["article"] = sparse(ch.Article, fields)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"data": data, "meta": out.Meta})
}

type changeCursor struct {
	Seq int64 `json:"q"`
}

func encodeChangeCursor(seq int64) string {
	b, _ := json.Marshal(changeCursor{Seq: seq})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeChangeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 64 {
		return 0, false
	}
	var c changeCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Seq < 0 {
		return 0, false
	}
	return c.Seq, true
}
