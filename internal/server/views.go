package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/views"
)

// handleRecordView serves POST /api/v1/articles/:id/views.
//
//	@Summary		Record a read
//	@Description	Counts one read of a published article, for Popular Posts. No token needed. The same visitor (visitor_id, else the client address and User-Agent) reading the same article again within 30 minutes counts once; known bots, crawlers and scripts (by User-Agent) never count, whatever the body says; and one client address counts at most 20 reads of one article per 30 minutes, whatever visitor ids it sends. Reads are buffered and written every 5 seconds.
//	@Tags			discovery
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string				true	"Article id"
//	@Param			view	body		api.ViewRequest		false	"Optional visitor id"
//	@Success		202		{object}	api.ViewResponse
//	@Failure		400		{object}	api.Error
//	@Failure		404		{object}	api.Error	"No such published article"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/views [post]
func (s *Server) handleRecordView(c echo.Context) error {
	var req api.ViewRequest
	if err := decodeJSON(c, &req, "View", true); err != nil {
		return err
	}
	r := c.Request()
	visitor := ""
	if req.VisitorID != nil {
		if msg := content.CheckText(*req.VisitorID, 128, false); msg != "" || *req.VisitorID == "" {
			return &content.Error{Code: content.EINVALID, Message: "View is invalid.", Fields: map[string]string{"visitor_id": "must be 1 to 128 printable characters"}}
		}
		visitor = "id:" + *req.VisitorID
	} else {
		visitor = s.views.Visitor(c.RealIP(), r.UserAgent())
	}
	counted := false
	if !views.IsBot(r.UserAgent()) {
		var err error
		if counted, err = s.views.Record(r.Context(), pathParam(c, "id"), visitor, c.RealIP()); err != nil {
			return err
		}
	} else if ok, err := s.store.ArticleVisible(r.Context(), pathParam(c, "id")); err != nil {
		return err
	} else if !ok {
		// Bots get the same 404 for hidden articles, uncounted.
		return content.Errorf(content.ENOTFOUND, "Article %q not found.", pathParam(c, "id"))
	}
	return c.JSON(http.StatusAccepted, api.ViewResponse{Data: api.ViewResult{Counted: counted}})
}

// handlePopular serves GET /api/v1/articles/popular.
//
//	@Summary		Popular articles
//	@Description	The most read published articles in a window: 1h (this and the previous hour), 24h, 7d, 30d or all time; or trending, a score where each hour's reads lose half their weight every 4 hours, so what is rising now comes first. Windows are recomputed every minute from reads flushed every 5 seconds.
//	@Tags			discovery
//	@Produce		json
//	@Param			window		query		string	false	"Window"	Enums(1h, 24h, 7d, 30d, all, trending)	default(24h)
//	@Param			category	query		string	false	"Section slug; includes its sub-sections"	maxlength(160)
//	@Param			lang		query		string	false	"BCP 47 language"	maxlength(35)
//	@Param			limit		query		integer	false	"How many, 1 to 50"	default(10)	minimum(1)	maximum(50)
//	@Success		200			{object}	api.ArticleList
//	@Param			fields		query		string	false	"Sparse answer: comma-separated summary fields to return (the schema's required list then does not apply)"	example(id,title,view_count)	maxlength(400)
//	@Failure		400			{object}	api.Error
//	@Failure		default		{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/popular [get]
func (s *Server) handlePopular(c echo.Context) error {
	q := newQueryParser(c)
	f := popularFilter(q, "", 10)
	fields := q.fields(summaryFields)
	if err := q.err(); err != nil {
		return err
	}
	return s.summaries(c, f.Limit, fields, func() ([]*content.Article, error) {
		return s.store.FindPopular(c.Request().Context(), f)
	})
}

// popularFilter reads the popular block's parameters, named with prefix
// (the article page prefixes them with "popular_").
func popularFilter(q *queryParser, prefix string, defaultLimit int) content.PopularFilter {
	f := content.PopularFilter{
		Window:   choice(q, prefix+"window", content.Windows, content.Window24h),
		Category: q.slug(prefix + "category"),
		Limit:    q.intIn(prefix+"limit", defaultLimit, 1, 50),
	}
	f.Language = q.language(prefix + "lang")
	return f
}

// summaries answers a short list of article summaries, sparse when
// fields is not nil.
func (s *Server) summaries(c echo.Context, limit int, fields []string, find func() ([]*content.Article, error)) error {
	list, err := find()
	if err != nil {
		return err
	}
	data, meta := s.toAPISummaries(list), api.ListMeta{Limit: limit}
	if fields != nil {
		return c.JSON(http.StatusOK, map[string]any{"data": sparseList(data, fields), "meta": meta})
	}
	return c.JSON(http.StatusOK, api.ArticleList{Data: data, Meta: meta})
}

func (s *Server) toAPISummaries(list []*content.Article) []api.ArticleSummary {
	now := s.store.Now()
	out := make([]api.ArticleSummary, len(list))
	for i, a := range list {
		out[i] = s.toAPISummary(a, now)
	}
	return out
}
