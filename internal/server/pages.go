package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// handleListPages serves GET /api/v1/pages.
//
//	@Summary		List static pages
//	@Description	The site's static pages (About, Contact, Privacy, …) by slug, each in its language: readers get published ones; with a token, editors get drafts too.
//	@Tags			site
//	@Produce		json
//	@Success		200		{object}	api.PageList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/pages [get]
func (s *Server) handleListPages(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pages, err := s.store.FindPages(ctx, !canSeeDrafts(c))
	if err != nil {
		return err
	}
	site := s.siteAt(ctx)
	data := make([]api.Page, len(pages))
	for i := range pages {
		data[i] = toAPIPage(site, &pages[i])
	}
	return c.JSON(http.StatusOK, api.PageList{Data: data, Meta: listMeta(len(data))})
}

// canSeeDrafts: an editor's token shows unpublished pages too.
func canSeeDrafts(c echo.Context) bool {
	p := auth.FromContext(c)
	return p != nil && p.Actor().Role.AtLeast(content.RoleEditor)
}

// handleGetPage serves GET /api/v1/pages/:slug.
//
//	@Summary		Get a static page
//	@Description	One page by slug or id, its body sanitised like an article's. A draft is not found, except with an editor's token.
//	@Tags			site
//	@Produce		json
//	@Param			slug	path		string	true	"Page slug or id"	example(about)
//	@Success		200		{object}	api.PageResponse
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/pages/{slug} [get]
func (s *Server) handleGetPage(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pg, err := s.store.FindPage(ctx, pathParam(c, "slug"), !canSeeDrafts(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.PageResponse{Data: toAPIPage(s.siteAt(ctx), pg)})
}

// handleCreatePage serves POST /api/v1/pages.
//
//	@Summary		Create a static page
//	@Description	Creates a page (a draft unless published is true). Editors and admins.
//	@Tags			site
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page	body		api.PageRequest	true	"The page"
//	@Success		201		{object}	api.PageResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		409		{object}	api.Error	"Slug taken"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/pages [post]
func (s *Server) handleCreatePage(c echo.Context) error { return s.savePage(c, "") }

// handleUpdatePage serves PATCH /api/v1/pages/:slug.
//
//	@Summary		Edit a static page
//	@Description	Changes the fields sent; published publishes or takes it back. Send If-Match with the version read. Editors and admins.
//	@Tags			site
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			slug		path		string			true	"Page slug or id"
//	@Param			If-Match	header		string			false	"ETag (version) of the page being changed"
//	@Param			page		body		api.PageRequest	true	"Fields to change"
//	@Success		200			{object}	api.PageResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		409			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/pages/{slug} [patch]
func (s *Server) handleUpdatePage(c echo.Context) error { return s.savePage(c, pathParam(c, "slug")) }

func (s *Server) savePage(c echo.Context, ref string) error {
	var req api.PageRequest
	if err := decodeJSON(c, &req, "Page", false); err != nil {
		return err
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	u := content.PageUpdate{Slug: req.Slug, Title: req.Title, Body: req.Body, BodyFormat: req.BodyFormat, Language: req.Language, Published: req.Published}
	if err := u.Check(ref == ""); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pg, err := s.store.SavePage(ctx, ref, u, pre)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(pg.Version)+`"`)
	return c.JSON(created(ref), api.PageResponse{Data: toAPIPage(s.siteAt(ctx), pg)})
}

// handleDeletePage serves DELETE /api/v1/pages/:slug.
//
//	@Summary		Delete a static page
//	@Description	Removes the page; menu items pointing at it drop out. Editors and admins.
//	@Tags			site
//	@Security		BearerAuth
//	@Param			slug	path	string	true	"Page slug or id"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/pages/{slug} [delete]
func (s *Server) handleDeletePage(c echo.Context) error {
	if err := s.store.DeletePage(c.Request().Context(), pathParam(c, "slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func toAPIPage(site content.Site, p *content.Page) api.Page {
	return api.Page{ID: p.ID, Slug: p.Slug, Language: p.Language, Direction: p.Direction, Title: p.Title, Body: p.Body,
		BodyFormat: p.BodyFormat, BodyHTML: p.BodyHTML, Published: p.Published, URL: site.PageURL(p.Slug, p.Language),
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, PublishedAt: p.PublishedAt}
}
