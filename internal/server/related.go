package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleRelated serves GET /api/v1/articles/:id/related.
//
//	@Summary		Related articles ("You May Also Like")
//	@Description	Published articles related to a published one. Pinned articles come first, in the editors' order. The rest are ranked by shared tags, each weighted by how rare it is (3 × Σ 1/ln(2 + articles with the tag)), same section (+0.75), same language (+1), likeness of title and excerpt words (+2 × Jaccard), and freshness (+0.5/(1 + age in days/30)); ties go to the newer story. When few articles share anything, the section's latest fill the block. Only articles in the article's language (or lang=), pins aside; never the article itself nor its versions in other languages.
//	@Tags			discovery
//	@Produce		json
//	@Param			id		path		string	true	"Article id"
//	@Param			limit	query		integer	false	"How many, 1 to 24"	default(6)	minimum(1)	maximum(24)
//	@Param			lang	query		string	false	"Language of the block (default: the article's)"	example(en)
//	@Param			fields		query		string	false	"Sparse answer: comma-separated summary fields to return (the schema's required list then does not apply)"	example(id,slug,title)	maxlength(400)
//	@Success		200		{object}	api.ArticleList
//	@Failure		400		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/related [get]
func (s *Server) handleRelated(c echo.Context) error {
	q := newQueryParser(c)
	limit := q.intIn("limit", 6, 1, content.MaxPinned)
	lang := q.language("lang")
	fields := q.fields(summaryFields)
	if err := q.err(); err != nil {
		return err
	}
	return s.summaries(c, limit, fields, func() ([]*content.Article, error) {
		return s.store.FindRelated(c.Request().Context(), pathParam(c, "id"), limit, lang)
	})
}

// handlePinRelated serves PUT /api/v1/articles/:id/related.
//
//	@Summary		Pin related articles
//	@Description	Sets the articles that lead the related block, in order (at most 24; an empty list unpins all). Editors and admins only. Pinned drafts appear once published.
//	@Tags			discovery
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string			true	"Article id"
//	@Param			pins	body		api.PinRequest	true	"Article ids, in order"
//	@Success		200		{object}	api.PinnedResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/related [put]
func (s *Server) handlePinRelated(c echo.Context) error {
	var req api.PinRequest
	if err := decodeJSON(c, &req, "Related articles", false); err != nil {
		return err
	}
	id := pathParam(c, "id")
	var p content.Problems
	seen := map[string]bool{}
	switch {
	case req.IDs == nil:
		p.Add("ids", "required: a list of article ids, [] to unpin all")
	case len(req.IDs) > content.MaxPinned:
		p.Add("ids", "must name at most 24 articles")
	}
	for _, r := range req.IDs {
		switch {
		case content.CheckText(r, 64, false) != "" || r == "":
			p.Add("ids", "must be article ids")
		case r == id:
			p.Add("ids", "must not name the article itself")
		case seen[r]:
			p.Add("ids", "must not repeat an article")
		}
		seen[r] = true
	}
	if err := p.Err("Related articles"); err != nil {
		return err
	}
	if err := s.store.PinRelated(c.Request().Context(), id, req.IDs); err != nil {
		return err
	}
	ids, err := s.store.FindPinned(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []string{}
	}
	return c.JSON(http.StatusOK, api.PinnedResponse{Data: api.Pinned{IDs: ids}})
}
