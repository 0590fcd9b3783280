package server

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
)

// uploadTime bounds an upload: reading a 20 MB body from a phone on a
// slow network, and processing it. The request deadline of readers' routes
// would cut it short.
const uploadTime = 5 * time.Minute

// handleUploadMedia serves POST /api/v1/media.
//
//	@Summary		Upload an image
//	@Description	Multipart form with the image in the part named file: JPEG, PNG, WebP or GIF, recognised from its bytes (the name and Content-Type sent are not trusted), at most MASTHEAD_MEDIA_MAX_MB (default 20) and 60 megapixels. SVG is refused (it can carry scripts). The image is turned upright and every EXIF, XMP and IPTC block is removed from every file served, GPS positions included. Optional parts: lang with alt, caption and credit in that language; focal_x and focal_y (0–1). The same file uploaded again answers 200 with the item kept before; a new item answers 201.
//	@Tags			media
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		BearerAuth
//	@Param			file	formData	file	true	"The image"
//	@Param			lang	formData	string	false	"Language of alt, caption and credit"	example(ar)
//	@Param			alt		formData	string	false	"Alternative text"
//	@Param			caption	formData	string	false	"Caption"
//	@Param			credit	formData	string	false	"Photographer or agency"
//	@Param			focal_x	formData	number	false	"Focal point, 0 (left) to 1 (right)"
//	@Param			focal_y	formData	number	false	"Focal point, 0 (top) to 1 (bottom)"
//	@Success		200		{object}	api.MediaResponse	"The same file was uploaded before"
//	@Success		201		{object}	api.MediaResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/media [post]
func (s *Server) handleUploadMedia(c echo.Context) error {
	r := c.Request()
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" {
		return content.Errorf(content.EUNSUPPORTEDMEDIA, "Send the image as multipart/form-data, in a part named file.")
	}
	_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(uploadTime))
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), uploadTime)
	defer cancel()
	limit := s.media.Limits.MaxBytes
	mr, err := r.MultipartReader()
	if err != nil {
		return content.Errorf(content.EINVALID, "The multipart body could not be read: %v.", err)
	}
	var (
		data     []byte
		filename string
		fields   = map[string]string{}
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return content.Errorf(content.EINVALID, "The multipart body could not be read: %v.", err)
		}
		name := part.FormName()
		switch {
		case name == "file" && data == nil:
			filename = part.FileName()
			if data, err = io.ReadAll(io.LimitReader(part, limit+1)); err != nil {
				return content.Errorf(content.EINVALID, "The file could not be read: %v.", err)
			}
			if int64(len(data)) > limit {
				return content.Errorf(content.ETOOLARGE, "The file is larger than %d MB.", limit>>20)
			}
		case name == "lang" || name == "alt" || name == "caption" || name == "credit" || name == "focal_x" || name == "focal_y":
			b, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return content.Errorf(content.EINVALID, "The multipart body could not be read: %v.", err)
			}
			fields[name] = string(b)
		default:
			return &content.Error{Code: content.EINVALID, Message: "Media item is invalid.",
				Fields: map[string]string{name: "unknown part; send file, lang, alt, caption, credit, focal_x, focal_y"}}
		}
		part.Close()
	}
	if data == nil {
		return &content.Error{Code: content.EINVALID, Message: "Media item is invalid.", Fields: map[string]string{"file": "required"}}
	}
	u, err := uploadFields(fields)
	if err != nil {
		return err
	}
	m, created, err := s.media.Upload(ctx, *auth.FromContext(c).Actor(), data, filename, u)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		c.Response().Header().Set(echo.HeaderLocation, "/api/v1/media/"+m.ID)
	}
	return s.mediaResponse(c, status, m)
}

// uploadFields reads the texts and focal point sent with an upload.
func uploadFields(f map[string]string) (content.MediaUpdate, error) {
	var u content.MediaUpdate
	var p content.Problems
	lang := strings.TrimSpace(f["lang"])
	for name, to := range map[string]*content.Texts{"alt": &u.Alt, "caption": &u.Caption, "credit": &u.Credit} {
		if v, ok := f[name]; ok && v != "" {
			if lang == "" {
				p.Add("lang", "required with alt, caption or credit")
				continue
			}
			*to = content.Texts{lang: v}
		}
	}
	for name, to := range map[string]**float64{"focal_x": &u.FocalX, "focal_y": &u.FocalY} {
		if v, ok := f[name]; ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				p.Add(name, "must be a number from 0 to 1")
				continue
			}
			*to = &n
		}
	}
	if err := p.Err("Media item"); err != nil {
		return u, err
	}
	return u, u.Validate()
}

// handleListMedia serves GET /api/v1/media.
//
//	@Summary		List the media library
//	@Description	Newest first. Writers and up: a writer picks a cover from what the newsroom uploaded.
//	@Tags			media
//	@Produce		json
//	@Security		BearerAuth
//	@Param			type	query		string	false	"MIME type"	Enums(image/jpeg, image/png, image/webp, image/gif)
//	@Param			q		query		string	false	"Words in the caption, credit, alt text or file name"
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)
//	@Param			page	query		int		false	"Page"		minimum(1)	default(1)
//	@Success		200		{object}	api.MediaList
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/media [get]
func (s *Server) handleListMedia(c echo.Context) error {
	q := newQueryParser(c)
	f := content.MediaFilter{
		Type:  choice(q, "type", []string{"image/jpeg", "image/png", "image/webp", "image/gif"}, ""),
		Query: q.get("q"),
		Limit: q.intIn("limit", content.DefaultLimit, 1, content.MaxLimit),
		Page:  q.intIn("page", 1, 1, content.MaxPage),
	}
	if len(f.Query) > 200 {
		q.p.Add("q", "must be at most 200 bytes")
	}
	if err := q.err(); err != nil {
		return err
	}
	list, total, err := s.store.ListMedia(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := api.MediaList{Data: make([]api.Media, len(list)), Meta: api.ListMeta{Limit: f.Limit, Page: f.Page, Total: &total}}
	for i, m := range list {
		out.Data[i] = s.toAPIMedia(m)
	}
	return c.JSON(http.StatusOK, out)
}

// handleGetMedia serves GET /api/v1/media/:id.
//
//	@Summary		Get a media item
//	@Description	The item with its texts in every language written, its focal point, and the URLs of its original, its widths and its crops. Writers and up.
//	@Tags			media
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Media item id"
//	@Success		200	{object}	api.MediaResponse
//	@Failure		401	{object}	api.Error
//	@Failure		404	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/media/{id} [get]
func (s *Server) handleGetMedia(c echo.Context) error {
	m, err := s.store.FindMedia(c.Request().Context(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.mediaResponse(c, http.StatusOK, m)
}

// handleUpdateMedia serves PATCH /api/v1/media/:id.
//
//	@Summary		Edit a media item's texts and focal point
//	@Description	Writers may edit the items they uploaded, editors any. A new focal point changes the URLs of the crops, so caches never mix old and new. Send If-Match with the ETag you read.
//	@Tags			media
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id			path		string				true	"Media item id"
//	@Param			If-Match	header		string				false	"ETag of the version being edited"	example("1")
//	@Param			media		body		api.MediaRequest	true	"Fields to change"
//	@Success		200			{object}	api.MediaResponse
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		404			{object}	api.Error
//	@Failure		412			{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/media/{id} [patch]
func (s *Server) handleUpdateMedia(c echo.Context) error {
	pre, err := precondition(c)
	if err != nil {
		return err
	}
	var req api.MediaRequest
	if err := decodeJSON(c, &req, "Media item", false); err != nil {
		return err
	}
	u := content.MediaUpdate{Alt: req.Alt, Caption: req.Caption, Credit: req.Credit}
	if req.Focal != nil {
		u.FocalX, u.FocalY = &req.Focal.X, &req.Focal.Y
	}
	if err := u.Validate(); err != nil {
		return err
	}
	who := *auth.FromContext(c).Actor()
	m, err := s.store.UpdateMedia(c.Request().Context(), pathParam(c, "id"), int(pre), u, func(m *content.Media) error {
		return content.CanEditMedia(who, m)
	})
	if err != nil {
		return err
	}
	return s.mediaResponse(c, http.StatusOK, m)
}

// handleDeleteMedia serves DELETE /api/v1/media/:id.
//
//	@Summary		Delete a media item
//	@Description	Deletes the item and every file made of it. An item in use (an article's cover) is a 409 naming where, unless an editor sends force=true: the places that showed it lose the image.
//	@Tags			media
//	@Security		BearerAuth
//	@Param			id		path	string	true	"Media item id"
//	@Param			force	query	bool	false	"Delete though in use (editors)"
//	@Success		204		"Deleted"
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/media/{id} [delete]
func (s *Server) handleDeleteMedia(c echo.Context) error {
	q := newQueryParser(c)
	force := q.boolean("force")
	if err := q.err(); err != nil {
		return err
	}
	if err := s.media.Delete(c.Request().Context(), *auth.FromContext(c).Actor(), pathParam(c, "id"), force != nil && *force); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) mediaResponse(c echo.Context, status int, m *content.Media) error {
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(m.Version)+`"`)
	return c.JSON(status, api.MediaResponse{Data: s.toAPIMedia(m)})
}

// handleMediaFile serves GET /media/:id/:version/:file.
//
//	@Summary		An image file
//	@Description	The original (original.{ext}, metadata removed) or a rendition: w320, w640, w960, w1280 and w1920 (never wider than the original), and the crops og (1200×630), 16x9, 4x3 and square, cut around the focal point; .jpg, or .png for images with transparency. Any other name is a 400. Renditions are made on first request and kept. A URL names the image's version: its bytes never change (cached for a year, immutable); after a new focal point, the old URL redirects to the new one.
//	@Tags			media
//	@Produce		image/jpeg,image/png,json
//	@Param			id		path	string	true	"Media item id"
//	@Param			version	path	string	true	"Version of the image and its focal point"
//	@Param			file	path	string	true	"Variant and extension"	example(w640.jpg)
//	@Success		200		{file}	binary
//	@Success		301		"The image has a newer version"
//	@Failure		400		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/media/{id}/{version}/{file} [get]
func (s *Server) handleMediaFile(c echo.Context) error {
	id, version, file := c.Param("id"), c.Param("version"), c.Param("file")
	if _, err := ulid.ParseStrict(id); err != nil || len(id) != 26 || strings.ToUpper(id) != id {
		return &content.Error{Code: content.EINVALID, Message: "Request is invalid.", Fields: map[string]string{"id": "must be a media item id"}}
	}
	name, ext, _ := strings.Cut(file, ".")
	var v media.Variant
	if name != "original" {
		var ok bool
		if v, ok = media.ParseVariant(name); !ok {
			return &content.Error{Code: content.EINVALID, Message: "Request is invalid.",
				Fields: map[string]string{"file": "must be original, w320, w640, w960, w1280, w1920, og, 16x9, 4x3 or square, with the image's extension"}}
		}
	}
	ctx := c.Request().Context()
	m, err := s.store.FindMedia(ctx, id)
	if err != nil {
		return err
	}
	want := media.RenditionExt(m.Alpha)
	if name == "original" {
		want = m.Ext
	}
	if ext != want {
		return &content.Error{Code: content.EINVALID, Message: "Request is invalid.",
			Fields: map[string]string{"file": "this image's " + name + " is ." + want}}
	}
	current := s.mediaVersion(m)
	if version != current {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=60")
		return c.Redirect(http.StatusMovedPermanently, "/media/"+id+"/"+current+"/"+file)
	}
	etag := `"` + current + "-" + name + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	if etagMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	var b []byte
	if name == "original" {
		b, err = s.media.Original(ctx, m)
	} else {
		b, err = s.media.Rendition(ctx, m, v)
	}
	if errors.Is(err, media.ErrNotFound) {
		return content.Errorf(content.ENOTFOUND, "Media file not found.")
	}
	if err != nil {
		return err
	}
	typ := "image/" + map[string]string{"jpg": "jpeg"}[ext]
	if typ == "image/" {
		typ += ext
	}
	return c.Blob(http.StatusOK, typ, b)
}
