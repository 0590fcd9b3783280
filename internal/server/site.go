package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleGetSite serves GET /api/v1/site.
//
//	@Summary		Get the site
//	@Description	The site around the story: the publication's name and description (in lang, and in every language), languages, logo, favicon and sharing image, social accounts, where the site's pages are, the copyright line, a contact address and the newsletter block's copy. Values set through PATCH /site win over the environment's, which only fill a fresh install.
//	@Tags			site
//	@Produce		json
//	@Param			lang	query		string	false	"Texts in this language where they have one; the default language's otherwise"	example(ar)
//	@Success		200		{object}	api.SiteResponse
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/site [get]
func (s *Server) handleGetSite(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	st, err := s.store.Settings(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.SiteResponse{Data: s.toAPISite(ctx, st, lang)})
}

// handleUpdateSite serves PATCH /api/v1/site.
//
//	@Summary		Edit the site
//	@Description	Changes the settings sent; maps (names, descriptions, social, copyright, newsletter) replace the stored ones. A value set here wins over the environment's from then on, in every answer, feed, sitemap and mail. Send If-Match with the version read. Admins only.
//	@Tags			site
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			If-Match	header		string			false	"ETag (version) of the settings being changed"
//	@Param			site		body		api.SiteRequest	true	"Settings to change"
//	@Success		200			{object}	api.SiteResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/site [patch]
func (s *Server) handleUpdateSite(c echo.Context) error {
	var req api.SiteRequest
	if err := decodeJSON(c, &req, "Settings", false); err != nil {
		return err
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	u := content.SettingsUpdate{Name: req.Name, Names: sentTexts(req.Names), Descriptions: sentTexts(req.Descriptions),
		DefaultLanguage: req.DefaultLanguage, Copyright: sentTexts(req.Copyright), ContactEmail: req.ContactEmail}
	if req.Languages != nil {
		u.Languages = &req.Languages
	}
	if req.Social != nil {
		u.Social = &req.Social
	}
	for _, f := range []struct {
		in  *api.SitePicture
		out **content.Picture
	}{{req.Logo, &u.Logo}, {req.Favicon, &u.Favicon}, {req.OGImage, &u.OGImage}} {
		if f.in != nil {
			*f.out = &content.Picture{MediaID: f.in.MediaID, URL: f.in.URL}
		}
	}
	if n := req.Newsletter; n != nil {
		u.Newsletter = &content.NewsletterCopy{Title: n.Title, Lead: n.Lead, Button: n.Button, Consent: n.Consent, Sections: n.Sections}
	}
	if err := u.Check(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	st, err := s.store.UpdateSettings(ctx, u, pre)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(st.Version)+`"`)
	return c.JSON(http.StatusOK, api.SiteResponse{Data: s.toAPISite(ctx, st, "")})
}

// toAPISite is the site as readers of lang see it.
func (s *Server) toAPISite(ctx context.Context, st *content.Settings, lang string) api.Site {
	site := st.Site(s.site)
	if lang == "" {
		lang = site.DefaultLanguage
	}
	in := func(t content.Texts) string { return t.In(lang, t.In(site.DefaultLanguage, "")) }
	names := content.Texts{}
	for k, v := range site.Names {
		names[k] = v
	}
	out := api.Site{
		Name: site.NameIn(lang), Names: names, Description: in(st.Descriptions), Descriptions: texts(st.Descriptions),
		DefaultLanguage: site.DefaultLanguage, Languages: st.Languages, URL: site.URL,
		Paths:  api.SitePaths{Article: site.ArticlePath, Section: site.SectionPath, Tag: site.TagPath, Author: site.AuthorPath},
		Social: st.Social, Copyright: in(st.Copyright), ContactEmail: st.ContactEmail, Version: st.Version,
		Newsletter: api.NewsletterBlock{
			Title: in(st.Newsletter.Title), Lead: in(st.Newsletter.Lead), Button: in(st.Newsletter.Button), Consent: in(st.Newsletter.Consent),
			Copy:     api.NewsletterTexts{Title: st.Newsletter.Title, Lead: st.Newsletter.Lead, Button: st.Newsletter.Button, Consent: st.Newsletter.Consent},
			Sections: st.Newsletter.Sections,
		},
	}
	if out.Languages == nil {
		out.Languages = []string{}
		if site.DefaultLanguage != "" {
			out.Languages = []string{site.DefaultLanguage}
		}
	}
	if out.Social == nil {
		out.Social = map[string]string{}
	}
	if out.Newsletter.Sections == nil {
		out.Newsletter.Sections = []string{}
	}
	if !st.UpdatedAt.IsZero() {
		out.UpdatedAt = &st.UpdatedAt
	}
	out.Logo, out.Favicon, out.OGImage = s.picture(ctx, st.Logo, lang), s.picture(ctx, st.Favicon, lang), s.picture(ctx, st.OGImage, lang)
	return out
}

// picture is a site picture with its sizes; nil when there is none or its
// media item was deleted.
func (s *Server) picture(ctx context.Context, p content.Picture, lang string) *api.Image {
	if p.MediaID == "" {
		return s.toAPIImage(content.Cover{URL: p.URL}, lang)
	}
	m, err := s.store.FindMedia(ctx, p.MediaID)
	if err != nil {
		return nil
	}
	return s.toAPIImage(content.Cover{Media: m}, lang)
}
