package server

import "github.com/masthead/masthead/internal/content"

//	@title						Masthead API
//	@version					1.0
//	@description				Headless news content API. Readers' routes are public, read-only and cacheable; editors' routes need a bearer token from POST /auth/login. Every error has one shape: {"error": {"code", "message", "fields", "request_id"}}. Feeds (/feeds/*) and sitemaps (/sitemap.xml, /sitemaps/*) link to the public site. Webhook deliveries are POSTs of the payload shown in a delivery, signed with `X-Masthead-Signature: t=<unix seconds>,v1=<hex>`, where hex is the HMAC-SHA256, keyed with the webhook's secret, of `<t>.<raw body>`; a receiver recomputes it, compares in constant time and refuses timestamps older than 5 minutes.
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				An access token from POST /auth/login.

// routes lists every route in one place.
func (s *Server) routes() {
	e := s.echo
	e.GET("/", s.handleRoot)
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	e.GET("/openapi.json", s.handleOpenAPIJSON)
	e.GET("/openapi.yaml", s.handleOpenAPIYAML)
	e.GET("/docs", s.handleDocs)
	e.GET("/docs/*", s.handleDocsAsset)

	// Anonymous reads go through the response cache (respcache.go).
	list, page, popular := s.cached(listPolicy), s.cached(pagePolicy), s.cached(popularPolicy)
	taxonomy, feeds := s.cached(taxonomyPolicy), s.cached(feedPolicy)

	// Distribution: feeds and sitemaps, for feed readers and crawlers.
	e.GET("/feeds/latest.rss", s.handleFeedRSS, feeds)
	e.GET("/feeds/latest.atom", s.handleFeedAtom, feeds)
	e.GET("/feeds/latest.json", s.handleFeedJSON, feeds)
	e.GET("/feeds/:kind/:file", s.handleFeed, feeds)
	e.GET("/sitemap.xml", s.handleSitemapIndex, feeds)
	e.GET("/sitemap-news.xml", s.handleNewsSitemap, feeds)
	e.GET("/sitemaps/:file", s.handleSitemap, feeds)

	v1 := e.Group("/api/v1")
	optional := s.guard.Optional()
	writer := s.guard.Require(content.RoleWriter)
	editor := s.guard.Require(content.RoleEditor)
	admin := s.guard.Require(content.RoleAdmin)

	v1.GET("", s.handleIndex)

	// Readers. A token, when sent, widens what articles routes show.
	v1.GET("/articles", s.handleListArticles, list, optional)
	v1.GET("/articles/slug/:slug", s.handleGetArticleBySlug, page, optional)
	v1.GET("/articles/popular", s.handlePopular, popular)
	v1.POST("/articles/:id/views", s.handleRecordView)
	v1.GET("/articles/:id/related", s.handleRelated, list)
	v1.GET("/articles/:id", s.handleGetArticle, page, optional)
	v1.GET("/search", s.handleSearch, list)
	v1.GET("/changes", s.handleChanges)
	v1.GET("/home", s.handleHome, popular)
	v1.GET("/site", s.handleGetSite, taxonomy)
	v1.GET("/menus", s.handleListMenus, taxonomy)
	v1.GET("/menus/:name", s.handleGetMenu, taxonomy)
	v1.GET("/ads", s.handleAds, taxonomy)
	v1.GET("/pages", s.handleListPages, taxonomy, optional)
	v1.GET("/pages/:slug", s.handleGetPage, taxonomy, optional)
	v1.GET("/categories", s.handleListCategories, taxonomy)
	v1.GET("/categories/:slug", s.handleGetCategory, taxonomy)
	v1.GET("/tags", s.handleListTags, taxonomy)
	v1.GET("/tags/:slug", s.handleGetTag, taxonomy)
	v1.GET("/authors", s.handleListAuthors, taxonomy)
	v1.GET("/authors/:slug", s.handleGetAuthor, taxonomy)
	v1.POST("/newsletter/subscriptions", s.handleSubscribe)
	v1.POST("/newsletter/confirm", s.handleConfirm)
	v1.POST("/newsletter/unsubscribe", s.handleUnsubscribe)

	// Editors.
	v1.POST("/auth/login", s.handleLogin)
	v1.POST("/auth/refresh", s.handleRefresh)
	v1.POST("/auth/logout", s.handleLogout, writer)
	v1.GET("/auth/me", s.handleMe, writer)
	v1.POST("/auth/password", s.handleChangePassword, writer)

	v1.POST("/articles", s.handleCreateArticle, writer)
	v1.PATCH("/articles/:id", s.handleUpdateArticle, writer)
	v1.DELETE("/articles/:id", s.handleDeleteArticle, writer)
	v1.POST("/articles/:id/publish", s.handlePublishArticle, editor)
	v1.POST("/articles/:id/unpublish", s.handleUnpublishArticle, editor)
	v1.POST("/articles/:id/archive", s.handleArchiveArticle, editor)
	v1.PUT("/articles/:id/related", s.handlePinRelated, editor)
	v1.PUT("/articles/:id/translations", s.handleSetTranslations, editor)
	v1.POST("/articles/:id/corrections", s.handleAddCorrection, editor)
	v1.GET("/articles/:id/revisions", s.handleListRevisions, editor)
	v1.POST("/articles/:id/previews", s.handleCreatePreview, writer)
	v1.DELETE("/articles/:id/previews", s.handleRevokePreviews, writer)
	v1.GET("/articles/:id/revisions/:rev", s.handleGetRevision, editor)
	v1.POST("/articles/:id/revisions/:rev/restore", s.handleRestoreRevision, editor)

	v1.POST("/categories", s.handleCreateCategory, editor)
	v1.PATCH("/categories/:slug", s.handleUpdateCategory, editor)
	v1.DELETE("/categories/:slug", s.handleDeleteCategory, editor)
	v1.POST("/tags", s.handleCreateTag, editor)
	v1.PATCH("/tags/:slug", s.handleUpdateTag, editor)
	v1.DELETE("/tags/:slug", s.handleDeleteTag, editor)
	v1.POST("/authors", s.handleCreateAuthor, editor)
	v1.PATCH("/authors/:slug", s.handleUpdateAuthor, editor)
	v1.DELETE("/authors/:slug", s.handleDeleteAuthor, editor)

	if s.media != nil {
		e.GET("/media/:id/:version/:file", s.handleMediaFile)
		v1.POST("/media", s.handleUploadMedia, writer)
		v1.GET("/media", s.handleListMedia, writer)
		v1.GET("/media/:id", s.handleGetMedia, writer)
		v1.PATCH("/media/:id", s.handleUpdateMedia, writer)
		v1.DELETE("/media/:id", s.handleDeleteMedia, writer)
	}

	v1.PATCH("/site", s.handleUpdateSite, admin)
	v1.PUT("/menus/:name", s.handleReplaceMenu, editor)
	v1.DELETE("/menus/:name", s.handleDeleteMenu, editor)
	v1.GET("/ads/placements", s.handleListPlacements, editor)
	v1.POST("/pages", s.handleCreatePage, editor)
	v1.PATCH("/pages/:slug", s.handleUpdatePage, editor)
	v1.DELETE("/pages/:slug", s.handleDeletePage, editor)
	v1.PUT("/ads/placements/:name", s.handleReplacePlacement, editor)
	v1.DELETE("/ads/placements/:name", s.handleDeletePlacement, editor)
	v1.GET("/users", s.handleListUsers, admin)
	v1.POST("/users", s.handleCreateUser, admin)
	v1.GET("/users/:id", s.handleGetUser, admin)
	v1.PATCH("/users/:id", s.handleUpdateUser, admin)

	v1.GET("/newsletter/subscribers", s.handleListSubscribers, editor)
	v1.GET("/newsletter/subscribers.csv", s.handleExportSubscribers, editor)
	v1.DELETE("/newsletter/subscribers/:id", s.handleDeleteSubscriber, editor)

	v1.GET("/webhooks", s.handleListWebhooks, admin)
	v1.POST("/webhooks", s.handleCreateWebhook, admin)
	v1.GET("/webhooks/:id", s.handleGetWebhook, admin)
	v1.PATCH("/webhooks/:id", s.handleUpdateWebhook, admin)
	v1.DELETE("/webhooks/:id", s.handleDeleteWebhook, admin)
	v1.GET("/webhooks/:id/deliveries", s.handleListDeliveries, admin)
	v1.POST("/webhooks/:id/ping", s.handlePingWebhook, admin)
	v1.POST("/webhooks/:id/deliveries/:delivery/retry", s.handleRetryDelivery, admin)
}
