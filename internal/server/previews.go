package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// previewPrefix marks preview tokens, so a leaked one is recognised.
const previewPrefix = "mhp_"

// handleCreatePreview serves POST /api/v1/articles/:id/previews.
//
//	@Summary		Mint a preview link
//	@Description	A token that shows this one article, whatever its status, to whoever holds it: GET /api/v1/articles/{id}?preview=<token> (or by slug) without an editor token, so a frontend can render a draft. It lasts expires_in seconds (default a day, at most 30 days) unless revoked; only its hash is kept, so it is shown once. Writers for their own stories, editors for any.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"Article id"
//	@Param			preview	body		api.PreviewRequest	false	"Lifetime"
//	@Success		201		{object}	api.PreviewResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/previews [post]
func (s *Server) handleCreatePreview(c echo.Context) error {
	var req api.PreviewRequest
	if err := decodeJSON(c, &req, "Preview", true); err != nil {
		return err
	}
	ttl, err := content.PreviewTTL(req.ExpiresIn)
	if err != nil {
		return err
	}
	token, hash := auth.NewToken(previewPrefix)
	p, err := s.store.CreatePreview(c.Request().Context(), pathParam(c, "id"), hash, ttl, *auth.FromContext(c).Actor())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, api.PreviewResponse{Data: api.Preview{
		Token: token, ExpiresAt: p.ExpiresAt, URL: "/api/v1/articles/" + p.ArticleID + "?preview=" + url.QueryEscape(token),
	}})
}

// handleRevokePreviews serves DELETE /api/v1/articles/:id/previews.
//
//	@Summary		Revoke preview links
//	@Description	Ends every live preview link of the article at once; the next request with one is a 403. Writers for their own stories, editors for any.
//	@Tags			articles
//	@Security		BearerAuth
//	@Param			id		path	string	true	"Article id"
//	@Success		204		"Revoked"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/previews [delete]
func (s *Server) handleRevokePreviews(c echo.Context) error {
	if _, err := s.store.RevokePreviews(c.Request().Context(), pathParam(c, "id"), *auth.FromContext(c).Actor()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
