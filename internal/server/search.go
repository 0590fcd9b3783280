package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleSearch serves GET /api/v1/search.
//
//	@Summary		Search articles
//	@Description	Full-text search over published articles, in Arabic and English alike: text is normalised on both sides (Arabic diacritics and tatweel dropped; alef forms, taa marbuta and final yaa unified), so a query typed without diacritics finds text written with them. Web-search syntax: "quoted phrases", OR, -word to exclude. Ranked by relevance (title above subtitle and excerpt above body) with a small boost for fresher stories; on PostgreSQL the 1,000 newest matches are ranked, so narrow a very common query to reach older stories. meta.total counts up to 10,000 (meta.total_capped when there are more). Each result has a snippet whose matches are wrapped in <mark>, everything else escaped.
//	@Tags			discovery
//	@Produce		json
//	@Param			q			query		string	true	"What to look for, up to 200 characters"	example(انفجار بيروت)	minlength(1)	maxlength(200)
//	@Param			lang		query		string	false	"Only articles in this language; also picks the stemmer"	maxlength(35)
//	@Param			category	query		string	false	"Section slug; includes its sub-sections"	maxlength(160)
//	@Param			tag			query		string	false	"Tag slug"	maxlength(160)
//	@Param			since		query		string	false	"Published at or after (RFC 3339)"	format(date-time)
//	@Param			until		query		string	false	"Published before (RFC 3339)"	format(date-time)
//	@Param			limit		query		integer	false	"Page size, 1 to 50"	default(20)	minimum(1)	maximum(50)
//	@Param			page		query		integer	false	"Page, 1 to 100"	default(1)	minimum(1)	maximum(100)
//	@Param			fields		query		string	false	"Sparse answer: comma-separated result fields to return (the schema's required list then does not apply)"	example(id,slug,title,snippet)	maxlength(400)
//	@Success		200			{object}	api.SearchList
//	@Failure		400			{object}	api.Error
//	@Failure		default		{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/search [get]
func (s *Server) handleSearch(c echo.Context) error {
	qp := newQueryParser(c)
	text := strings.TrimSpace(qp.get("q"))
	switch {
	case text == "":
		qp.p.Add("q", "required")
	case utf8.RuneCountInString(text) > content.MaxQueryLen:
		qp.p.Add("q", "must be at most 200 characters")
	}
	q := content.SearchQuery{
		Text:     content.NormalizeSearch(text),
		Language: qp.language("lang"),
		Category: qp.slug("category"),
		Tag:      qp.slug("tag"),
		Since:    qp.time("since"),
		Until:    qp.time("until"),
		Limit:    qp.intIn("limit", content.DefaultLimit, 1, content.MaxSearchLimit),
		Page:     qp.intIn("page", 1, 1, content.MaxSearchPage),
	}
	fields := qp.fields(searchFields)
	if err := qp.err(); err != nil {
		return err
	}
	hits, total, err := s.store.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	now := s.store.Now()
	data := make([]api.SearchResult, len(hits))
	for i, h := range hits {
		data[i] = api.SearchResult{ArticleSummary: s.toAPISummary(h.Article, now), Snippet: content.Highlight(h.Snippet), Score: h.Score}
	}
	meta := api.ListMeta{Limit: q.Limit, Page: q.Page, Total: &total}
	if total > content.MaxSearchTotal {
		total, meta.TotalCapped = content.MaxSearchTotal, true
	}
	if fields != nil {
		return c.JSON(http.StatusOK, map[string]any{"data": sparseList(data, fields), "meta": meta})
	}
	return c.JSON(http.StatusOK, api.SearchList{Data: data, Meta: meta})
}
