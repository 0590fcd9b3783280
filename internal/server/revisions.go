package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// handleListRevisions serves GET /api/v1/articles/:id/revisions.
//
//	@Summary		List an article's revisions
//	@Description	Every save of the article's editorial fields, newest first: who, when, which fields changed. Saves of a draft by one person within ten minutes count as one revision; a story readers have seen keeps them all. Editors and admins only.
//	@Tags			articles
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Article id"
//	@Param			limit	query		integer	false	"Page size, 1 to 1000"	default(1000)	minimum(1)	maximum(1000)
//	@Param			page	query		integer	false	"Page number from 1"	default(1)	minimum(1)	maximum(10000)
//	@Success		200		{object}	api.RevisionList
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/revisions [get]
func (s *Server) handleListRevisions(c echo.Context) error {
	q := newQueryParser(c)
	p := content.TermPage{
		Limit: q.intIn("limit", content.DefaultTermLimit, 1, content.MaxTermLimit),
		Page:  q.intIn("page", 1, 1, content.MaxPage),
	}
	if err := q.err(); err != nil {
		return err
	}
	revs, total, err := s.store.FindRevisions(c.Request().Context(), pathParam(c, "id"), p)
	if err != nil {
		return err
	}
	data := make([]api.Revision, len(revs))
	for i := range revs {
		data[i] = toAPIRevision(&revs[i])
	}
	return c.JSON(http.StatusOK, api.RevisionList{Data: data, Meta: api.ListMeta{Limit: p.Limit, Page: p.Page, Total: &total}})
}

// handleGetRevision serves GET /api/v1/articles/:id/revisions/:rev.
//
//	@Summary		Get one revision
//	@Description	One revision in full: the editorial fields before the save (previous) and after it (snapshot). Editors and admins only.
//	@Tags			articles
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Article id"
//	@Param			rev		path		string	true	"Revision id"
//	@Success		200		{object}	api.RevisionResponse
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error	"No such revision of this article"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/revisions/{rev} [get]
func (s *Server) handleGetRevision(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	r, err := s.store.FindRevision(c.Request().Context(), pathParam(c, "id"), pathParam(c, "rev"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.RevisionResponse{Data: api.RevisionDetail{
		Revision: toAPIRevision(r), Previous: toAPIEditorial(r.Previous), Snapshot: toAPIEditorial(r.Snapshot),
	}})
}

// handleRestoreRevision serves POST /api/v1/articles/:id/revisions/:rev/restore.
//
//	@Summary		Restore a revision
//	@Description	Brings the article's editorial fields back to what the revision saved, as an edit like any other (kept as a new revision; flags and status are left as they are). Send If-Match with the version being replaced. A section, tag or author deleted since is a 400 naming it. Editors and admins only.
//	@Tags			articles
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"Article id"
//	@Param			rev			path		string	true	"Revision id"
//	@Param			If-Match	header		string	false	"ETag of the version being replaced"
//	@Success		200			{object}	api.ArticleResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error	"No such revision of this article"
//	@Failure		409			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/revisions/{rev}/restore [post]
func (s *Server) handleRestoreRevision(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	a, err := s.store.RestoreRevision(c.Request().Context(), pathParam(c, "id"), pathParam(c, "rev"), pre, *auth.FromContext(c).Actor())
	if err != nil {
		return err
	}
	return s.articleResponse(c, http.StatusOK, a)
}

func toAPIRevision(r *content.Revision) api.Revision {
	fields := r.Fields
	if fields == nil {
		fields = []string{}
	}
	return api.Revision{ID: r.ID, Version: r.Version, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Fields: fields}
}

func toAPIEditorial(e content.Editorial) api.EditorialFields {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return api.EditorialFields{Slug: e.Slug, Title: e.Title, Subtitle: e.Subtitle, Excerpt: e.Excerpt, ExcerptDerived: e.ExcerptDerived,
		Body: e.Body, BodyFormat: e.BodyFormat, Format: e.Format, Language: e.Language, Source: e.Source, Category: e.Category,
		Tags: nonNil(e.Tags), Authors: nonNil(e.Authors),
		Cover: api.EditorialCover{URL: e.Cover.URL, Alt: e.Cover.Alt, Caption: e.Cover.Caption, Credit: e.Cover.Credit, MediaID: e.Cover.MediaID}}
}
