package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// handleListArticles serves GET /api/v1/articles.
//
//	@Summary		List articles
//	@Description	Published articles, newest first. Filters combine with AND. Paging is keyset by default: follow meta.next_cursor; pass page=N instead for offset paging with meta.total. With a token, status= lists non-public articles (writers see only their own).
//	@Tags			articles
//	@Produce		json
//	@Param			category	query		string	false	"Section slug; includes its sub-sections"	example(news)	maxlength(160)
//	@Param			tag			query		string	false	"Tag slug"									example(syria)	maxlength(160)
//	@Param			author		query		string	false	"Author slug"	maxlength(160)
//	@Param			format		query		string	false	"Editorial format"	Enums(news, opinion, report, analysis, interview, caricature, feature, review, live)
//	@Param			lang		query		string	false	"BCP 47 language"	example(ar)	maxlength(35)
//	@Param			featured	query		boolean	false	"Only featured (true) or only not featured (false)"
//	@Param			breaking	query		boolean	false	"Only breaking now (true) or not (false)"
//	@Param			since		query		string	false	"Published at or after (RFC 3339)"	example(2026-11-01T00:00:00Z)	format(date-time)
//	@Param			until		query		string	false	"Published before (RFC 3339)"	format(date-time)
//	@Param			updated_since	query	string	false	"Edited at or after (RFC 3339), for apps refreshing a copy; see also GET /changes"	format(date-time)
//	@Param			sort		query		string	false	"Order"	Enums(-published_at, published_at, -updated_at)	default(-published_at)
//	@Param			limit		query		integer	false	"Page size, 1 to 100"	default(20)	minimum(1)	maximum(100)
//	@Param			page		query		integer	false	"Offset paging: page number from 1"	minimum(1)	maximum(10000)
//	@Param			cursor		query		string	false	"Keyset paging: meta.next_cursor of the previous page"	maxlength(700)
//	@Param			fields		query		string	false	"Sparse answer: comma-separated summary fields to return (the schema's required list then does not apply)"	example(id,slug,title,published_at)	maxlength(400)
//	@Param			status		query		string	false	"Editors only: comma-separated statuses"	example(draft)
//	@Success		200			{object}	api.ArticleList
//	@Failure		400			{object}	api.Error	"Bad parameter"
//	@Failure		401			{object}	api.Error	"status= without a valid token"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles [get]
func (s *Server) handleListArticles(c echo.Context) error {
	f, fields, err := articleFilter(c)
	if err != nil {
		return err
	}
	p := auth.FromContext(c)
	if len(f.Statuses) > 0 {
		if p == nil {
			return content.Errorf(content.EUNAUTHORIZED, "Listing by status needs an access token.")
		}
		if !p.Role.AtLeast(content.RoleEditor) {
			f.CreatedBy = p.UserID
		}
	}
	page, err := s.store.FindArticles(c.Request().Context(), f)
	if err != nil {
		return err
	}
	meta := api.ListMeta{Limit: f.Limit, Page: f.Page}
	if f.Page > 0 {
		meta.Total = &page.Total
	}
	if page.Next != nil {
		meta.NextCursor = encodeCursor(page.Next, f.Sort)
	}
	data := s.toAPISummaries(page.Articles)
	if fields != nil {
		return c.JSON(http.StatusOK, map[string]any{"data": sparseList(data, fields), "meta": meta})
	}
	return c.JSON(http.StatusOK, api.ArticleList{Data: data, Meta: meta})
}

// handleGetArticle serves GET /api/v1/articles/:id.
//
//	@Summary		Get an article by id
//	@Description	The whole article with its section, tags and authors. Readers see published articles only; with a token, editors see any and writers their own. With a token, the ETag is the version, for If-Match on edits; anonymous answers carry a strong ETag of their bytes.
//	@Tags			articles
//	@Produce		json
//	@Param			id					path		string	true	"Article id"
//	@Param			include				query		string	false	"Blocks to embed: related, popular, menus, site, ads (comma-separated)"	example(related,popular,menus,site,ads)
//	@Param			related_limit		query		integer	false	"Related articles, 1 to 24"	default(6)	minimum(1)	maximum(24)
//	@Param			popular_window		query		string	false	"Popular block window"	Enums(1h, 24h, 7d, 30d, all, trending)	default(24h)
//	@Param			popular_limit		query		integer	false	"Popular articles, 1 to 50"	default(5)	minimum(1)	maximum(50)
//	@Param			popular_category	query		string	false	"Popular block section slug"	maxlength(160)
//	@Param			popular_lang		query		string	false	"Popular block language; defaults to the article's"	maxlength(35)
//	@Param			fields				query		string	false	"Sparse answer: comma-separated article fields to return (the schema's required list then does not apply); embedded blocks keep the summary fields named, or all when none is"	example(id,title,body_html)	maxlength(400)
//	@Param			preview				query		string	false	"A preview link's token (POST /articles/{id}/previews): shows the article whatever its status, never from or into a cache"	maxlength(100)
//	@Success		200					{object}	api.ArticleResponse
//	@Failure		403	{object}	api.Error	"A preview token that is expired, revoked, altered or for another article"
//	@Failure		404	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id} [get]
func (s *Server) handleGetArticle(c echo.Context) error {
	page, err := articlePageQuery(c)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	p := auth.FromContext(c)
	a, err := s.store.FindArticle(c.Request().Context(), id, p == nil && page.Preview == "")
	if err != nil {
		return err
	}
	return s.readableArticle(c, p, a, id, page)
}

// handleGetArticleBySlug serves GET /api/v1/articles/slug/:slug.
//
//	@Summary		Get an article by slug
//	@Description	As GET /articles/{id}. A slug the article had before a rename answers 301 with the new location.
//	@Tags			articles
//	@Produce		json
//	@Param			slug				path		string	true	"Article slug (URL-encoded)"	example(انفجار-في-مرفأ-بيروت)
//	@Param			include				query		string	false	"Blocks to embed: related, popular, menus, site, ads (comma-separated)"	example(related,popular,menus,site,ads)
//	@Param			related_limit		query		integer	false	"Related articles, 1 to 24"	default(6)	minimum(1)	maximum(24)
//	@Param			popular_window		query		string	false	"Popular block window"	Enums(1h, 24h, 7d, 30d, all, trending)	default(24h)
//	@Param			popular_limit		query		integer	false	"Popular articles, 1 to 50"	default(5)	minimum(1)	maximum(50)
//	@Param			popular_category	query		string	false	"Popular block section slug"	maxlength(160)
//	@Param			popular_lang		query		string	false	"Popular block language; defaults to the article's"	maxlength(35)
//	@Param			fields				query		string	false	"Sparse answer: comma-separated article fields to return (the schema's required list then does not apply); embedded blocks keep the summary fields named, or all when none is"	example(id,title,body_html)	maxlength(400)
//	@Param			preview				query		string	false	"A preview link's token (POST /articles/{id}/previews): shows the article whatever its status, never from or into a cache"	maxlength(100)
//	@Success		200					{object}	api.ArticleResponse
//	@Failure		301		{object}	api.Error	"Moved: see Location"
//	@Failure		403		{object}	api.Error	"A preview token that is expired, revoked, altered or for another article"
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/slug/{slug} [get]
func (s *Server) handleGetArticleBySlug(c echo.Context) error {
	page, err := articlePageQuery(c)
	if err != nil {
		return err
	}
	slug := pathParam(c, "slug")
	p := auth.FromContext(c)
	a, err := s.store.FindArticleBySlug(c.Request().Context(), slug, p == nil && page.Preview == "")
	if err != nil {
		return err
	}
	return s.readableArticle(c, p, a, slug, page)
}

// readableArticle sends a unless the caller may not read it
// (content.CanRead): to them it is not found. With include=related,popular
// it embeds those blocks, so a frontend renders the whole article page
// from one response; a block asked for is always there, empty or not.
// Such answers get no version ETag, which names the whole article; the
// response cache gives anonymous ones an ETag of their bytes.
func (s *Server) readableArticle(c echo.Context, p *auth.Principal, a *content.Article, ref string, q articlePage) error {
	now := s.store.Now()
	if q.Preview != "" {
		// Shown whatever its status to whoever holds a link to it, and
		// kept by no cache: a link can be revoked at any time.
		pv, err := s.store.FindPreview(c.Request().Context(), auth.HashToken(q.Preview))
		if err != nil {
			return err
		}
		if err := pv.Admits(a.ID, now); err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "private, no-store")
		h.Set("X-Robots-Tag", "noindex")
	} else if !content.CanRead(p.Actor(), a, now) {
		return content.Errorf(content.ENOTFOUND, "Article %q not found.", ref)
	}
	readableTranslations(p, a, now)
	if !q.Related && !q.Popular && !q.Menus && !q.Site && !q.Ads && q.Fields == nil {
		return s.articleResponse(c, http.StatusOK, a)
	}
	ctx := c.Request().Context()
	out := s.toAPIArticle(s.siteAt(ctx), a)
	if q.Related {
		related := []api.ArticleSummary{}
		if a.Visible(now) {
			list, err := s.store.FindRelated(ctx, a.ID, q.RelatedLimit, "")
			if err != nil {
				return err
			}
			related = s.toAPISummaries(list)
		}
		out.Related = &related
	}
	if q.Popular {
		pf := q.PopularFilter
		if pf.Language == "" {
			pf.Language = a.Language // an Arabic page shows Arabic popular posts
		}
		pf.Exclude = a.ID
		list, err := s.store.FindPopular(ctx, pf)
		if err != nil {
			return err
		}
		popular := s.toAPISummaries(list)
		out.Popular = &popular
	}
	around, err := s.chromeOf(ctx, q.Menus, q.Site, q.Ads, a.Language,
		content.AdPage{Kind: "article", Section: a.Category.Slug, Format: a.Format, Language: a.Language})
	if err != nil {
		return err
	}
	out.Menus, out.Site, out.Ads = around.Menus, around.Site, around.Ads
	if q.Fields == nil {
		return c.JSON(http.StatusOK, api.ArticleResponse{Data: out})
	}
	// Sparse: the article's fields named, and the blocks asked for,
	// whatever fields says, with the summary fields it names.
	data := sparse(out, q.Fields)
	block := only(q.Fields, summaryFields)
	if out.Menus != nil {
		data["menus"], _ = json.Marshal(*out.Menus)
	}
	if out.Site != nil {
		data["site"], _ = json.Marshal(*out.Site)
	}
	if out.Ads != nil {
		data["ads"], _ = json.Marshal(*out.Ads)
	}
	for name, list := range map[string]*[]api.ArticleSummary{"related": out.Related, "popular": out.Popular} {
		if list == nil {
			continue
		}
		if block == nil {
			data[name], _ = json.Marshal(*list)
		} else {
			data[name], _ = json.Marshal(sparseList(*list, block))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"data": data})
}

// articleResponse sends a with its version as ETag, or 304 when the
// client holds that version already.
// readableTranslations drops the versions of a that p may not read:
// readers are never linked to a draft.
func readableTranslations(p *auth.Principal, a *content.Article, now time.Time) {
	a.Translations = slices.DeleteFunc(a.Translations, func(t content.Translation) bool {
		return !content.CanRead(p.Actor(), t.Version(), now)
	})
}

func (s *Server) articleResponse(c echo.Context, status int, a *content.Article) error {
	readableTranslations(auth.FromContext(c), a, s.store.Now())
	etag := `"` + strconv.Itoa(a.Version) + `"`
	c.Response().Header().Set("ETag", etag)
	if status == http.StatusOK && c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSON(status, api.ArticleResponse{Data: s.toAPIArticle(s.siteAt(c.Request().Context()), a)})
}

// handleCreateArticle serves POST /api/v1/articles.
//
//	@Summary		Create a draft
//	@Description	Creates a draft. Required: title, body, language, category, and authors unless the caller's account is linked to an author. The slug is made from the title when absent (Arabic titles give Arabic slugs). Category, tags and authors are named by id or slug; an unknown one is a 400 naming it.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			article	body		api.ArticleRequest	true	"The article"
//	@Success		201		{object}	api.ArticleResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		409		{object}	api.Error	"Slug taken"
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles [post]
func (s *Server) handleCreateArticle(c echo.Context) error {
	var req api.ArticleRequest
	if err := decodeJSON(c, &req, "Article", false); err != nil {
		return err
	}
	p := auth.FromContext(c)
	if req.Authors == nil {
		own, err := s.store.FindAuthorByUser(c.Request().Context(), p.UserID)
		if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
			return err
		}
		req.Authors = content.DefaultByline(req.Authors, own)
	}
	u, err := articleUpdate(&req, true)
	if err != nil {
		return err
	}
	a, err := s.store.CreateArticle(c.Request().Context(), u, *p.Actor())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/articles/"+a.ID)
	return s.articleResponse(c, http.StatusCreated, a)
}

// articleUpdate converts and checks a request, reporting every problem.
func articleUpdate(req *api.ArticleRequest, creating bool) (content.ArticleUpdate, error) {
	u := toArticleUpdate(req)
	var p content.Problems
	if creating && req.Authors == nil {
		p.Add("authors", "required: name at least one author (your account has no author profile)")
	}
	if v := req.BreakingUntil; v != nil {
		if *v == "" {
			u.ClearBreakingUntil = true
		} else if t, err := time.Parse(time.RFC3339, *v); err != nil {
			p.Add("breaking_until", "must be an RFC 3339 time, or \"\" to clear it")
		} else {
			u.BreakingUntil = &t
		}
	}
	if err := u.Check(creating); err != nil {
		for k, v := range err.(*content.Error).Fields {
			p.Add(k, v)
		}
	}
	return u, p.Err("Article")
}

// handleUpdateArticle serves PATCH /api/v1/articles/:id.
//
//	@Summary		Edit an article
//	@Description	Changes the fields sent. Send If-Match with the ETag you read: if someone saved in between, the answer is 412 and nothing changes. Writers may edit only their own drafts. Renaming a published article keeps its old slug redirecting.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string				true	"Article id"
//	@Param			If-Match	header		string				false	"ETag of the version being edited"	example("3")
//	@Param			article		body		api.ArticleRequest	true	"Fields to change"
//	@Success		200			{object}	api.ArticleResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		409			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id} [patch]
func (s *Server) handleUpdateArticle(c echo.Context) error {
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	var req api.ArticleRequest
	if err := decodeJSON(c, &req, "Article", false); err != nil {
		return err
	}
	u, err := articleUpdate(&req, false)
	if err != nil {
		return err
	}
	a, err := s.store.UpdateArticle(c.Request().Context(), pathParam(c, "id"), u, pre, *auth.FromContext(c).Actor())
	if err != nil {
		return err
	}
	return s.articleResponse(c, http.StatusOK, a)
}

// handleSetTranslations serves PUT /api/v1/articles/:id/translations.
//
//	@Summary		Link the versions of a story in other languages
//	@Description	The article and the articles named become one story in several languages, one version per language: the article page lists the others in translations, sitemaps list them as hreflang alternates, json_ld as workTranslation and translationOfWork. Versions linked before and not named are unlinked; ids [] unlinks the article alone (the other versions stay linked to each other). A link to the article itself, an unknown article or two versions of one language is a 400; a version linked to another story is a 409 (unlink it there first). Unpublishing or deleting one version leaves the others linked.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string					true	"Article id"
//	@Param			translations	body		api.TranslationsRequest	true	"The other versions"
//	@Success		200				{object}	api.ArticleResponse
//	@Failure		400				{object}	api.Error
//	@Failure		401				{object}	api.Error
//	@Failure		403				{object}	api.Error
//	@Failure		404				{object}	api.Error
//	@Failure		409				{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/translations [put]
func (s *Server) handleSetTranslations(c echo.Context) error {
	var req api.TranslationsRequest
	if err := decodeJSON(c, &req, "Translations", false); err != nil {
		return err
	}
	if req.IDs == nil {
		return &content.Error{Code: content.EINVALID, Message: "Translations is invalid.", Fields: map[string]string{"ids": "required: the other versions' ids, or [] to unlink"}}
	}
	a, err := s.store.SetTranslations(c.Request().Context(), pathParam(c, "id"), req.IDs)
	if err != nil {
		return err
	}
	return s.articleResponse(c, http.StatusOK, a)
}

// handleAddCorrection serves POST /api/v1/articles/:id/corrections.
//
//	@Summary		Correct a published article
//	@Description	Appends a public correction note to a published story. Readers see it in corrections, json_ld carries it as a schema.org CorrectionComment, feeds show the story as updated, and modified_at moves. A draft or scheduled story is a 409: edit it instead. Editors and admins only.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string					true	"Article id"
//	@Param			If-Match	header		string					false	"ETag of the version being corrected"
//	@Param			correction	body		api.CorrectionRequest	true	"The correction"
//	@Success		201			{object}	api.ArticleResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		409			{object}	api.Error	"Not published"
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/corrections [post]
func (s *Server) handleAddCorrection(c echo.Context) error {
	var req api.CorrectionRequest
	if err := decodeJSON(c, &req, "Correction", false); err != nil {
		return err
	}
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	a, err := s.store.AddCorrection(c.Request().Context(), pathParam(c, "id"), req.Text, req.At, pre)
	if err != nil {
		return err
	}
	return s.articleResponse(c, http.StatusCreated, a)
}

// handleDeleteArticle serves DELETE /api/v1/articles/:id.
//
//	@Summary		Delete an article
//	@Description	Deletes for good. Writers may delete only their own drafts; to take a story down, editors usually unpublish or archive instead.
//	@Tags			articles
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Article id"
//	@Success		204	"Deleted"
//	@Failure		401	{object}	api.Error
//	@Failure		403	{object}	api.Error
//	@Failure		404	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id} [delete]
func (s *Server) handleDeleteArticle(c echo.Context) error {
	if err := s.store.DeleteArticle(c.Request().Context(), pathParam(c, "id"), *auth.FromContext(c).Actor()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handlePublishArticle serves POST /api/v1/articles/:id/publish.
//
//	@Summary		Publish or schedule an article
//	@Description	Publishes now, or at published_at: a future time schedules the article, which then appears to readers by itself when the time comes. Editors and admins only.
//	@Tags			articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string				true	"Article id"
//	@Param			If-Match	header		string				false	"ETag of the version being published"
//	@Param			publish		body		api.PublishRequest	false	"When to publish"
//	@Success		200			{object}	api.ArticleResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/publish [post]
func (s *Server) handlePublishArticle(c echo.Context) error {
	var req api.PublishRequest
	if err := decodeJSON(c, &req, "Publish request", true); err != nil {
		return err
	}
	return s.setStatus(c, content.StatusPublished, req.PublishedAt)
}

// handleUnpublishArticle serves POST /api/v1/articles/:id/unpublish.
//
//	@Summary		Unpublish an article
//	@Description	Takes a published or scheduled article back to draft, hidden from readers. Editors and admins only.
//	@Tags			articles
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"Article id"
//	@Param			If-Match	header		string	false	"ETag of the version being unpublished"
//	@Success		200			{object}	api.ArticleResponse
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/unpublish [post]
func (s *Server) handleUnpublishArticle(c echo.Context) error {
	return s.setStatus(c, content.StatusDraft, nil)
}

// handleArchiveArticle serves POST /api/v1/articles/:id/archive.
//
//	@Summary		Archive an article
//	@Description	Hides an article from readers for good while keeping it for the record. Editors and admins only; publish brings it back.
//	@Tags			articles
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string	true	"Article id"
//	@Param			If-Match	header		string	false	"ETag of the version being archived"
//	@Success		200			{object}	api.ArticleResponse
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/articles/{id}/archive [post]
func (s *Server) handleArchiveArticle(c echo.Context) error {
	return s.setStatus(c, content.StatusArchived, nil)
}

func (s *Server) setStatus(c echo.Context, status content.Status, at *time.Time) error {
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	a, err := s.store.SetArticleStatus(c.Request().Context(), pathParam(c, "id"), status, at, pre, *auth.FromContext(c).Actor())
	if err != nil {
		return err
	}
	return s.articleResponse(c, http.StatusOK, a)
}

// precondition reads If-Match: absent or * means any version.
func precondition(c echo.Context) (store.Precondition, error) {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil || n < 1 {
		return 0, content.Errorf(content.EPRECONDITIONFAILED, "If-Match must be an ETag this API sent, such as \"3\".")
	}
	return store.Precondition(n), nil
}
