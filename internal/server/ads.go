package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// handleAds serves GET /api/v1/ads.
//
//	@Summary		Ads for a page
//	@Description	The active placements that apply to a page, each with its creatives in schedule and in the page's language: what a reader's client renders, rotating creatives by weight itself, so the answer stays cacheable (it ends when a schedule starts or ends a creative). Counting impressions and clicks is the ad server's job.
//	@Tags			site
//	@Produce		json
//	@Param			page	query		string	false	"Kind of page"	Enums(home, section, article)	default(home)
//	@Param			section	query		string	false	"The section's slug, on section and article pages"	maxlength(160)
//	@Param			format	query		string	false	"The article's format, on article pages"	maxlength(40)
//	@Param			lang	query		string	false	"The page's language"	maxlength(35)
//	@Success		200		{object}	api.AdList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/ads [get]
func (s *Server) handleAds(c echo.Context) error {
	q := newQueryParser(c)
	page := content.AdPage{
		Kind:     choice(q, "page", content.AdPages, "home"),
		Section:  content.NormalizeSlug(q.str("section", content.MaxSlugLen)),
		Format:   q.str("format", 40),
		Language: q.language("lang"),
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	data, err := s.adsFor(ctx, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AdList{Data: data, Meta: listMeta(len(data))})
}

// adsFor is what page shows (content.Shows).
func (s *Server) adsFor(ctx context.Context, page content.AdPage) ([]api.AdPlacement, error) {
	all, err := s.store.FindPlacements(ctx)
	if err != nil {
		return nil, err
	}
	shown := content.Shows(all, page, s.store.Now())
	out := make([]api.AdPlacement, len(shown))
	for i := range shown {
		out[i] = s.toAPIPlacement(ctx, &shown[i], page.Language)
	}
	return out, nil
}

// handleListPlacements serves GET /api/v1/ads/placements.
//
//	@Summary		List ad placements
//	@Description	Every placement with all its creatives, inactive and out of schedule ones included. Editors and admins.
//	@Tags			site
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200		{object}	api.AdList
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/ads/placements [get]
func (s *Server) handleListPlacements(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	all, err := s.store.FindPlacements(ctx)
	if err != nil {
		return err
	}
	data := make([]api.AdPlacement, len(all))
	for i := range all {
		data[i] = s.toAPIPlacement(ctx, &all[i], "")
	}
	return c.JSON(http.StatusOK, api.AdList{Data: data, Meta: listMeta(len(data))})
}

// handleReplacePlacement serves PUT /api/v1/ads/placements/:name.
//
//	@Summary		Set an ad placement
//	@Description	Replaces the placement and its creatives, creating it: sizes (1 to 2000 pixels a side), the pages it shows on, a section and format filter, for in-article slots the paragraph after which it goes, and creatives (an image with an http(s) click-through and alt text, an ad-server unit, or raw HTML, which only admins may set) with a schedule, a weight for rotation, a language and an on/off switch. Send If-Match with the version read. Editors and admins.
//	@Tags			site
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name		path		string					true	"Placement name: lower-case letters, digits, hyphens"	example(top-leaderboard)
//	@Param			If-Match	header		string					false	"ETag (version) of the placement being replaced"
//	@Param			placement	body		api.AdPlacementRequest	true	"The placement"
//	@Success		200			{object}	api.AdPlacementResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error	"Not an editor, or raw HTML from someone not an admin"
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/ads/placements/{name} [put]
func (s *Server) handleReplacePlacement(c echo.Context) error {
	name := pathParam(c, "name")
	if msg := content.CheckPlacementName(name); msg != "" {
		return &content.Error{Code: content.EINVALID, Message: "Placement is invalid.", Fields: map[string]string{"name": msg}}
	}
	var req api.AdPlacementRequest
	if err := decodeJSON(c, &req, "Placement", false); err != nil {
		return err
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	p := content.Placement{Name: name, Pages: req.Pages, Sections: req.Sections, ExcludeFormats: req.ExcludeFormats,
		Paragraph: req.Paragraph, Active: req.Active == nil || *req.Active}
	for _, sz := range req.Sizes {
		p.Sizes = append(p.Sizes, content.AdSize{Width: sz.Width, Height: sz.Height})
	}
	for _, cr := range req.Creatives {
		c := content.Creative{ID: cr.ID, Kind: cr.Kind, ClickURL: cr.ClickURL, Alt: cr.Alt, Unit: cr.Unit, HTML: cr.HTML,
			Start: cr.Start, End: cr.End, Weight: cr.Weight, Language: cr.Language, Active: cr.Active == nil || *cr.Active}
		if cr.Image != nil {
			c.Image = content.Picture{MediaID: cr.Image.MediaID, URL: cr.Image.URL}
		}
		p.Creatives = append(p.Creatives, c)
	}
	if err := content.CheckPlacement(&p, *auth.FromContext(c).Actor()); err != nil {
		return err
	}
	ctx := c.Request().Context()
	saved, err := s.store.ReplacePlacement(ctx, name, p, pre)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(saved.Version)+`"`)
	return c.JSON(http.StatusOK, api.AdPlacementResponse{Data: s.toAPIPlacement(ctx, saved, "")})
}

// handleDeletePlacement serves DELETE /api/v1/ads/placements/:name.
//
//	@Summary		Delete an ad placement
//	@Description	Removes the placement and its creatives. Editors and admins.
//	@Tags			site
//	@Security		BearerAuth
//	@Param			name	path	string	true	"Placement name"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/ads/placements/{name} [delete]
func (s *Server) handleDeletePlacement(c echo.Context) error {
	if err := s.store.DeletePlacement(c.Request().Context(), pathParam(c, "name")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) toAPIPlacement(ctx context.Context, p *content.Placement, lang string) api.AdPlacement {
	out := api.AdPlacement{Name: p.Name, Sizes: []api.AdSize{}, Pages: p.Pages, Sections: p.Sections, ExcludeFormats: p.ExcludeFormats,
		Paragraph: p.Paragraph, Active: p.Active, Creatives: []api.AdCreative{}, Version: p.Version, UpdatedAt: p.UpdatedAt}
	if out.Sections == nil {
		out.Sections = []string{}
	}
	if out.ExcludeFormats == nil {
		out.ExcludeFormats = []string{}
	}
	for _, sz := range p.Sizes {
		out.Sizes = append(out.Sizes, api.AdSize{Width: sz.Width, Height: sz.Height})
	}
	for _, c := range p.Creatives {
		a := api.AdCreative{ID: c.ID, Kind: c.Kind, ClickURL: c.ClickURL, Alt: c.Alt, Unit: c.Unit, HTML: c.HTML, Unsanitized: c.Kind == "html",
			Start: c.Start, End: c.End, Weight: c.Weight, Language: c.Language, Active: c.Active}
		if c.Kind == "image" {
			a.Image = s.picture(ctx, c.Image, lang)
		}
		out.Creatives = append(out.Creatives, a)
	}
	return out
}
