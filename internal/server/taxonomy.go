package server

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// listMeta describes a whole, unpaged list.
func listMeta(n int) api.ListMeta { return api.ListMeta{Limit: n, Total: &n} }

// noQuery refuses query parameters on routes that take none.
func noQuery(c echo.Context) error {
	q := newQueryParser(c)
	return q.err()
}

// handleListCategories serves GET /api/v1/categories.
//
//	@Summary		List sections
//	@Description	Every section in its configured order, each parent followed by its children, with the count of articles readers can see.
//	@Tags			categories
//	@Produce		json
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success		200	{object}	api.CategoryList
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Failure		400	{object}	api.Error	"Bad parameter (every route refuses control characters and unknown parameters)"
//	@Router			/api/v1/categories [get]
func (s *Server) handleListCategories(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	cats, err := s.store.FindCategories(c.Request().Context(), true)
	if err != nil {
		return err
	}
	data := make([]api.Category, len(cats))
	for i := range cats {
		data[i] = toAPICategory(&cats[i], lang)
	}
	return c.JSON(http.StatusOK, api.CategoryList{Data: data, Meta: listMeta(len(data))})
}

// handleGetCategory serves GET /api/v1/categories/:slug.
//
//	@Summary	Get a section
//	@Description	One section by slug or id, with its parent and the count of its visible articles.
//	@Tags		categories
//	@Produce	json
//	@Param		slug	path		string	true	"Section slug or id"	example(news)
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success	200		{object}	api.CategoryResponse
//	@Failure	404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/categories/{slug} [get]
func (s *Server) handleGetCategory(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	cat, err := s.store.FindCategory(c.Request().Context(), pathParam(c, "slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.CategoryResponse{Data: toAPICategory(cat, lang)})
}

// handleCreateCategory serves POST /api/v1/categories.
//
//	@Summary	Create a section
//	@Description	Creates a section. The slug is made from the name when absent; parent nests it under a top-level section (one level deep). Editors and admins only.
//	@Tags		categories
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		category	body		api.CategoryRequest	true	"The section"
//	@Success	201			{object}	api.CategoryResponse
//	@Failure	400			{object}	api.Error
//	@Failure	401			{object}	api.Error
//	@Failure	403			{object}	api.Error
//	@Failure	409			{object}	api.Error	"Slug taken"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/categories [post]
func (s *Server) handleCreateCategory(c echo.Context) error { return s.saveCategory(c, "") }

// handleUpdateCategory serves PATCH /api/v1/categories/:slug.
//
//	@Summary	Edit a section
//	@Description	Changes the fields sent; a section with sub-sections cannot get a parent. Editors and admins only.
//	@Tags		categories
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		slug		path		string				true	"Section slug or id"
//	@Param		category	body		api.CategoryRequest	true	"Fields to change"
//	@Success	200			{object}	api.CategoryResponse
//	@Failure	400			{object}	api.Error
//	@Failure	401			{object}	api.Error
//	@Failure	403			{object}	api.Error
//	@Failure	404			{object}	api.Error
//	@Failure	409			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/categories/{slug} [patch]
func (s *Server) handleUpdateCategory(c echo.Context) error {
	return s.saveCategory(c, pathParam(c, "slug"))
}

func (s *Server) saveCategory(c echo.Context, ref string) error {
	var req api.CategoryRequest
	if err := decodeJSON(c, &req, "Category", false); err != nil {
		return err
	}
	u := content.CategoryUpdate{Term: s.term(c, req.Slug, req.Name, req.Names), Description: req.Description, Descriptions: sentTexts(req.Descriptions),
		ParentRef: req.Parent, Position: req.Position}
	if err := u.Check(ref == ""); err != nil {
		return err
	}
	cat, err := saveTerm(c, ref, u, s.store.CreateCategory, s.store.UpdateCategory)
	if err != nil {
		return err
	}
	return c.JSON(created(ref), api.CategoryResponse{Data: toAPICategory(cat, "")})
}

// handleDeleteCategory serves DELETE /api/v1/categories/:slug.
//
//	@Summary		Delete a section
//	@Description	Only an empty section can go: one with articles or sub-sections is a 409.
//	@Tags			categories
//	@Security		BearerAuth
//	@Param			slug	path	string	true	"Section slug or id"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/categories/{slug} [delete]
func (s *Server) handleDeleteCategory(c echo.Context) error {
	if err := s.store.DeleteCategory(c.Request().Context(), pathParam(c, "slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleListTags serves GET /api/v1/tags.
//
//	@Summary		List tags
//	@Description	By name, a page at a time: meta.total counts every tag.
//	@Tags			tags
//	@Produce		json
//	@Param			limit	query		integer	false	"Page size, 1 to 1000"	default(1000)	minimum(1)	maximum(1000)
//	@Param			page	query		integer	false	"Page number from 1"	default(1)	minimum(1)	maximum(10000)
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success		200		{object}	api.TagList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/tags [get]
func (s *Server) handleListTags(c echo.Context) error {
	p, lang, err := termPage(c)
	if err != nil {
		return err
	}
	tags, total, err := s.store.FindTags(c.Request().Context(), p)
	if err != nil {
		return err
	}
	data := make([]api.Tag, len(tags))
	for i := range tags {
		data[i] = toAPITag(&tags[i], lang)
	}
	return c.JSON(http.StatusOK, api.TagList{Data: data, Meta: api.ListMeta{Limit: p.Limit, Page: p.Page, Total: &total}})
}

// termPage parses the paging and language of the tag and author lists.
func termPage(c echo.Context) (content.TermPage, string, error) {
	q := newQueryParser(c)
	p := content.TermPage{
		Limit: q.intIn("limit", content.DefaultTermLimit, 1, content.MaxTermLimit),
		Page:  q.intIn("page", 1, 1, content.MaxPage),
	}
	lang := q.language("lang")
	return p, lang, q.err()
}

// langOnly parses the query of a route that takes only lang.
func langOnly(c echo.Context) (string, error) {
	q := newQueryParser(c)
	lang := q.language("lang")
	return lang, q.err()
}

// term is the name part of a section, tag or author write.
func (s *Server) term(c echo.Context, slug, name *string, names map[string]string) content.Term {
	return content.Term{Slug: slug, Name: name, Names: sentTexts(names), DefaultLanguage: s.siteAt(c.Request().Context()).DefaultLanguage}
}

// texts is a sent map of texts by language, nil when not sent.
func sentTexts(m map[string]string) *content.Texts {
	if m == nil {
		return nil
	}
	t := content.Texts(m)
	return &t
}

// handleGetTag serves GET /api/v1/tags/:slug.
//
//	@Summary	Get a tag
//	@Description	One tag by slug or id.
//	@Tags		tags
//	@Produce	json
//	@Param		slug	path		string	true	"Tag slug or id"	example(syria)
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success	200		{object}	api.TagResponse
//	@Failure	404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/tags/{slug} [get]
func (s *Server) handleGetTag(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	t, err := s.store.FindTag(c.Request().Context(), pathParam(c, "slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.TagResponse{Data: toAPITag(t, lang)})
}

// handleCreateTag serves POST /api/v1/tags.
//
//	@Summary	Create a tag
//	@Description	Creates a tag. The slug is made from the name when absent (Arabic names give Arabic slugs). Editors and admins only.
//	@Tags		tags
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		tag	body		api.TagRequest	true	"The tag"
//	@Success	201	{object}	api.TagResponse
//	@Failure	400	{object}	api.Error
//	@Failure	401	{object}	api.Error
//	@Failure	403	{object}	api.Error
//	@Failure	409	{object}	api.Error	"Slug taken"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/tags [post]
func (s *Server) handleCreateTag(c echo.Context) error { return s.saveTag(c, "") }

// handleUpdateTag serves PATCH /api/v1/tags/:slug.
//
//	@Summary	Edit a tag
//	@Description	Changes the fields sent. A new slug fires tag.updated with previous_slug. Editors and admins only.
//	@Tags		tags
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		slug	path		string			true	"Tag slug or id"
//	@Param		tag		body		api.TagRequest	true	"Fields to change"
//	@Success	200		{object}	api.TagResponse
//	@Failure	400		{object}	api.Error
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	404		{object}	api.Error
//	@Failure	409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/tags/{slug} [patch]
func (s *Server) handleUpdateTag(c echo.Context) error { return s.saveTag(c, pathParam(c, "slug")) }

func (s *Server) saveTag(c echo.Context, ref string) error {
	var req api.TagRequest
	if err := decodeJSON(c, &req, "Tag", false); err != nil {
		return err
	}
	u := content.TagUpdate{Term: s.term(c, req.Slug, req.Name, req.Names)}
	if err := u.Check(ref == ""); err != nil {
		return err
	}
	t, err := saveTerm(c, ref, u, s.store.CreateTag, s.store.UpdateTag)
	if err != nil {
		return err
	}
	return c.JSON(created(ref), api.TagResponse{Data: toAPITag(t, "")})
}

// handleDeleteTag serves DELETE /api/v1/tags/:slug.
//
//	@Summary		Delete a tag
//	@Description	Removes the tag from every article too.
//	@Tags			tags
//	@Security		BearerAuth
//	@Param			slug	path	string	true	"Tag slug or id"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/tags/{slug} [delete]
func (s *Server) handleDeleteTag(c echo.Context) error {
	if err := s.store.DeleteTag(c.Request().Context(), pathParam(c, "slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleListAuthors serves GET /api/v1/authors.
//
//	@Summary		List authors
//	@Description	By name, a page at a time: meta.total counts every author.
//	@Tags			authors
//	@Produce		json
//	@Param			limit	query		integer	false	"Page size, 1 to 1000"	default(1000)	minimum(1)	maximum(1000)
//	@Param			page	query		integer	false	"Page number from 1"	default(1)	minimum(1)	maximum(10000)
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success		200		{object}	api.AuthorList
//	@Failure		400		{object}	api.Error	"Bad parameter"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/authors [get]
func (s *Server) handleListAuthors(c echo.Context) error {
	p, lang, err := termPage(c)
	if err != nil {
		return err
	}
	authors, total, err := s.store.FindAuthors(c.Request().Context(), p)
	if err != nil {
		return err
	}
	data := make([]api.Author, len(authors))
	for i := range authors {
		data[i] = s.toAPIAuthor(&authors[i], lang)
	}
	return c.JSON(http.StatusOK, api.AuthorList{Data: data, Meta: api.ListMeta{Limit: p.Limit, Page: p.Page, Total: &total}})
}

// handleGetAuthor serves GET /api/v1/authors/:slug.
//
//	@Summary	Get an author
//	@Description	One author by slug or id, with bio and avatar.
//	@Tags		authors
//	@Produce	json
//	@Param		slug	path		string	true	"Author slug or id"	example(levant-desk)
//	@Param			lang	query		string	false	"Names (descriptions, bios) in this language where they have one; the fallback otherwise"	example(ar)
//	@Success	200		{object}	api.AuthorResponse
//	@Failure	404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/authors/{slug} [get]
func (s *Server) handleGetAuthor(c echo.Context) error {
	lang, err := langOnly(c)
	if err != nil {
		return err
	}
	a, err := s.store.FindAuthor(c.Request().Context(), pathParam(c, "slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AuthorResponse{Data: s.toAPIAuthor(a, lang)})
}

// handleCreateAuthor serves POST /api/v1/authors.
//
//	@Summary	Create an author
//	@Description	Creates a byline (a person or a desk). The slug is made from the name when absent; user_id links it to an editor account, whose drafts then get it by default. Editors and admins only.
//	@Tags		authors
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		author	body		api.AuthorRequest	true	"The author"
//	@Success	201		{object}	api.AuthorResponse
//	@Failure	400		{object}	api.Error
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	409		{object}	api.Error	"Slug taken"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/authors [post]
func (s *Server) handleCreateAuthor(c echo.Context) error { return s.saveAuthor(c, "") }

// handleUpdateAuthor serves PATCH /api/v1/authors/:slug.
//
//	@Summary	Edit an author
//	@Description	Changes the fields sent. A new slug fires author.updated with previous_slug, for purging the old page. Editors and admins only.
//	@Tags		authors
//	@Accept		json
//	@Produce	json
//	@Security	BearerAuth
//	@Param		slug	path		string				true	"Author slug or id"
//	@Param		author	body		api.AuthorRequest	true	"Fields to change"
//	@Success	200		{object}	api.AuthorResponse
//	@Failure	400		{object}	api.Error
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	404		{object}	api.Error
//	@Failure	409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/authors/{slug} [patch]
func (s *Server) handleUpdateAuthor(c echo.Context) error {
	return s.saveAuthor(c, pathParam(c, "slug"))
}

func (s *Server) saveAuthor(c echo.Context, ref string) error {
	var req api.AuthorRequest
	if err := decodeJSON(c, &req, "Author", false); err != nil {
		return err
	}
	u := content.AuthorUpdate{Term: s.term(c, req.Slug, req.Name, req.Names), Bio: req.Bio, Bios: sentTexts(req.Bios), AvatarURL: req.AvatarURL,
		AvatarMediaID: req.AvatarMediaID, UserID: req.UserID}
	if err := u.Check(ref == ""); err != nil {
		return err
	}
	a, err := saveTerm(c, ref, u, s.store.CreateAuthor, s.store.UpdateAuthor)
	if err != nil {
		return err
	}
	return c.JSON(created(ref), api.AuthorResponse{Data: s.toAPIAuthor(a, "")})
}

// handleDeleteAuthor serves DELETE /api/v1/authors/:slug.
//
//	@Summary		Delete an author
//	@Description	Only an author without articles can go (409 otherwise): every article keeps a byline.
//	@Tags			authors
//	@Security		BearerAuth
//	@Param			slug	path	string	true	"Author slug or id"
//	@Success		204		"Deleted"
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/authors/{slug} [delete]
func (s *Server) handleDeleteAuthor(c echo.Context) error {
	if err := s.store.DeleteAuthor(c.Request().Context(), pathParam(c, "slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// created is 201 for a create (no ref) and 200 for an update.
func created(ref string) int {
	if ref == "" {
		return http.StatusCreated
	}
	return http.StatusOK
}

// saveTerm creates (ref "") or updates the section, tag or author ref.
func saveTerm[U, T any](c echo.Context, ref string, u U, create func(context.Context, U) (*T, error),
	update func(context.Context, string, U) (*T, error)) (*T, error) {
	if ref == "" {
		return create(c.Request().Context(), u)
	}
	return update(c.Request().Context(), ref, u)
}
