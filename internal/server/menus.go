package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleListMenus serves GET /api/v1/menus.
//
//	@Summary		List menus
//	@Description	Every navigation menu (header, footer, mobile, …) as readers of lang see it: labels in lang, targets resolved into addresses on the site, items whose section, tag, author or article is gone left out.
//	@Tags			site
//	@Produce		json
//	@Param			lang	query		string	false	"Labels in this language where they have one; the default language's otherwise"	example(ar)
//	@Success		200		{object}	api.MenuList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/menus [get]
func (s *Server) handleListMenus(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	menus, err := s.store.FindMenus(ctx)
	if err != nil {
		return err
	}
	data, err := s.toAPIMenus(ctx, menus, lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.MenuList{Data: data, Meta: listMeta(len(data))})
}

// handleGetMenu serves GET /api/v1/menus/:name.
//
//	@Summary		Get a menu
//	@Description	One navigation menu as readers of lang see it (see GET /menus).
//	@Tags			site
//	@Produce		json
//	@Param			name	path		string	true	"Menu name"	example(header)
//	@Param			lang	query		string	false	"Labels in this language where they have one; the default language's otherwise"	example(ar)
//	@Success		200		{object}	api.MenuResponse
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/menus/{name} [get]
func (s *Server) handleGetMenu(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.store.FindMenu(ctx, pathParam(c, "name"))
	if err != nil {
		return err
	}
	data, err := s.toAPIMenus(ctx, []content.Menu{*m}, lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.MenuResponse{Data: data[0]})
}

// handleReplaceMenu serves PUT /api/v1/menus/:name.
//
//	@Summary		Set a menu
//	@Description	Replaces the menu's items, creating the menu: a tree two levels deep of items with labels per language and a target (a section, tag or author by slug, an article by id, a path on the site, an outside http(s) URL). Every section, tag, author and article named must exist; an unpublished article's item shows once it is published. Send If-Match with the version read. Editors and admins.
//	@Tags			site
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			name		path		string				true	"Menu name: lower-case letters, digits, hyphens"	example(header)
//	@Param			If-Match	header		string				false	"ETag (version) of the menu being replaced"
//	@Param			menu		body		api.MenuRequest		true	"The items"
//	@Success		200			{object}	api.MenuResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/menus/{name} [put]
func (s *Server) handleReplaceMenu(c echo.Context) error {
	name := pathParam(c, "name")
	if msg := content.CheckMenuName(name); msg != "" {
		return &content.Error{Code: content.EINVALID, Message: "Menu is invalid.", Fields: map[string]string{"name": msg}}
	}
	var req api.MenuRequest
	if err := decodeJSON(c, &req, "Menu", false); err != nil {
		return err
	}
	if req.Items == nil {
		return &content.Error{Code: content.EINVALID, Message: "Menu is invalid.", Fields: map[string]string{"items": "required: the items, or [] for none"}}
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	items := make([]content.MenuItem, len(req.Items))
	for i, it := range req.Items {
		items[i] = menuItem(it.MenuLinkRequest)
		for _, ch := range it.Children {
			items[i].Children = append(items[i].Children, menuItem(ch))
		}
	}
	if err := content.CheckMenu(items); err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.store.ReplaceMenu(ctx, name, items, pre)
	if err != nil {
		return err
	}
	data, err := s.toAPIMenus(ctx, []content.Menu{*m}, "")
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(m.Version)+`"`)
	return c.JSON(http.StatusOK, api.MenuResponse{Data: data[0]})
}

func menuItem(r api.MenuLinkRequest) content.MenuItem {
	return content.MenuItem{Labels: content.Texts(r.Labels), Target: content.MenuTarget{Kind: r.Kind, Ref: r.Ref}}
}

// handleDeleteMenu serves DELETE /api/v1/menus/:name.
//
//	@Summary		Delete a menu
//	@Description	Removes the menu. Editors and admins.
//	@Tags			site
//	@Security		BearerAuth
//	@Param			name	path	string	true	"Menu name"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/menus/{name} [delete]
func (s *Server) handleDeleteMenu(c echo.Context) error {
	if err := s.store.DeleteMenu(c.Request().Context(), pathParam(c, "name")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// toAPIMenus resolves menus for readers of lang ("": the default
// language) in one statement per kind of target.
func (s *Server) toAPIMenus(ctx context.Context, menus []content.Menu, lang string) ([]api.Menu, error) {
	refs := map[string][]string{}
	for _, m := range menus {
		for kind, list := range content.Refs(m.Items) {
			refs[kind] = append(refs[kind], list...)
		}
	}
	targets, err := s.store.FindMenuTargets(ctx, refs)
	if err != nil {
		return nil, err
	}
	site := s.siteAt(ctx)
	if lang == "" {
		lang = site.DefaultLanguage
	}
	url := func(t content.MenuTarget) string {
		switch t.Kind {
		case content.TargetSection, content.TargetTag, content.TargetAuthor, content.TargetPage:
			if !targets.Slugs[t.Kind+":"+t.Ref] {
				return ""
			}
			return map[string]func(string, string) string{content.TargetSection: site.SectionURL, content.TargetTag: site.TagURL,
				content.TargetAuthor: site.AuthorURL, content.TargetPage: site.PageURL}[t.Kind](t.Ref, lang)
		case content.TargetArticle:
			if a := targets.Articles[t.Ref]; a != nil {
				return site.ArticleURL(a)
			}
			return ""
		case content.TargetPath:
			return site.URL + t.Ref
		}
		return t.Ref
	}
	out := make([]api.Menu, len(menus))
	for i, m := range menus {
		out[i] = api.Menu{Name: m.Name, Items: []api.MenuItem{}, Version: m.Version, UpdatedAt: m.UpdatedAt}
		for _, l := range m.Links(lang, site.DefaultLanguage, url) {
			item := api.MenuItem{MenuLink: toAPIMenuLink(l), Children: []api.MenuLink{}}
			for _, ch := range l.Children {
				item.Children = append(item.Children, toAPIMenuLink(ch))
			}
			out[i].Items = append(out[i].Items, item)
		}
	}
	return out, nil
}

func toAPIMenuLink(l content.MenuLink) api.MenuLink {
	return api.MenuLink{Label: l.Label, Labels: l.Labels, Kind: l.Target.Kind, Ref: l.Target.Ref, URL: l.URL}
}

// chrome is what a page embeds around its content when asked
// (include=menus,site,ads): the menus, the site's settings and the ads
// of page, for readers of lang.
type chrome struct {
	Menus *[]api.Menu
	Site  *api.Site
	Ads   *[]api.AdPlacement
}

func (s *Server) chromeOf(ctx context.Context, menus, site, ads bool, lang string, page content.AdPage) (chrome, error) {
	var out chrome
	if menus {
		list, err := s.store.FindMenus(ctx)
		if err != nil {
			return out, err
		}
		data, err := s.toAPIMenus(ctx, list, lang)
		if err != nil {
			return out, err
		}
		out.Menus = &data
	}
	if site {
		st, err := s.store.Settings(ctx)
		if err != nil {
			return out, err
		}
		data := s.toAPISite(ctx, st, lang)
		out.Site = &data
	}
	if ads {
		data, err := s.adsFor(ctx, page)
		if err != nil {
			return out, err
		}
		out.Ads = &data
	}
	return out, nil
}
