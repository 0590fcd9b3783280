package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/webhook"
)

func toAPIWebhook(w *content.Webhook, withSecret bool) api.Webhook {
	out := api.Webhook{ID: w.ID, URL: w.URL, Events: w.Events, Description: w.Description, Active: w.Active,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	if withSecret {
		out.Secret = w.Secret
	}
	return out
}

// webhookUpdate checks a request, including that its URL may be reached.
func (s *Server) webhookUpdate(c echo.Context, creating bool) (content.WebhookUpdate, error) {
	var req api.WebhookRequest
	if err := decodeJSON(c, &req, "Webhook", false); err != nil {
		return content.WebhookUpdate{}, err
	}
	u := content.WebhookUpdate{URL: req.URL, Events: req.Events, Secret: req.Secret, Description: req.Description, Active: req.Active}
	if err := u.Check(creating); err != nil {
		return u, err
	}
	if u.URL != nil {
		if err := webhook.CheckURL(*u.URL, s.allowPrivate); err != nil {
			return u, &content.Error{Code: content.EINVALID, Message: "Webhook is invalid.", Fields: map[string]string{"url": err.Error()}}
		}
	}
	return u, nil
}

// handleListWebhooks serves GET /api/v1/webhooks.
//
//	@Summary	List webhooks
//	@Description	Admins only. Secrets are not shown.
//	@Tags		webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200		{object}	api.WebhookList
//	@Failure	400		{object}	api.Error
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/webhooks [get]
func (s *Server) handleListWebhooks(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	list, err := s.store.FindWebhooks(c.Request().Context())
	if err != nil {
		return err
	}
	out := api.WebhookList{Data: make([]api.Webhook, len(list))}
	for i, w := range list {
		out.Data[i] = toAPIWebhook(w, false)
	}
	return c.JSON(http.StatusOK, out)
}

// handleCreateWebhook serves POST /api/v1/webhooks.
//
//	@Summary		Register a webhook
//	@Description	Admins only. events lists event types (article.published, article.updated, article.unpublished, article.deleted, article.breaking (also sent when a live story becomes breaking news), category.created, category.updated, category.deleted, tag.*, author.* likewise) or patterns (category.*, *). Each matching change is POSTed as api.WebhookEvent JSON with X-Masthead-Event, X-Masthead-Delivery and X-Masthead-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>. The secret is generated when not sent and shown only in this answer. A 2xx answer within 10 s is a success; anything else is retried with backoff (10 s, 30 s, 90 s, … up to 6 h apart) for 24 hours. Link-local and cloud metadata addresses are always refused, loopback and private ones unless MASTHEAD_WEBHOOK_ALLOW_PRIVATE=true; the address is checked again on every connection, after DNS and redirects.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			webhook	body		api.WebhookRequest	true	"The endpoint"
//	@Success		201		{object}	api.WebhookResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		409		{object}	api.Error	"Too many webhooks"
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/webhooks [post]
func (s *Server) handleCreateWebhook(c echo.Context) error {
	u, err := s.webhookUpdate(c, true)
	if err != nil {
		return err
	}
	w := &content.Webhook{Active: true, Secret: webhook.NewSecret()}
	u.Apply(w)
	if err := s.store.CreateWebhook(c.Request().Context(), w); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/webhooks/"+w.ID)
	return c.JSON(http.StatusCreated, api.WebhookResponse{Data: toAPIWebhook(w, true)})
}

// handleGetWebhook serves GET /api/v1/webhooks/:id.
//
//	@Summary	Get a webhook
//	@Description	One webhook, for admins. The secret is never shown again after creation.
//	@Tags		webhooks
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id		path		string	true	"Webhook id"
//	@Success	200		{object}	api.WebhookResponse
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	404		{object}	api.Error
//	@Failure	default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/webhooks/{id} [get]
func (s *Server) handleGetWebhook(c echo.Context) error {
	w, err := s.store.FindWebhook(c.Request().Context(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.WebhookResponse{Data: toAPIWebhook(w, false)})
}

// handleUpdateWebhook serves PATCH /api/v1/webhooks/:id.
//
//	@Summary		Edit a webhook
//	@Description	Send only what changes; active=false pauses deliveries of new events.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string				true	"Webhook id"
//	@Param			webhook	body		api.WebhookRequest	true	"The changes"
//	@Success		200		{object}	api.WebhookResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/webhooks/{id} [patch]
func (s *Server) handleUpdateWebhook(c echo.Context) error {
	u, err := s.webhookUpdate(c, false)
	if err != nil {
		return err
	}
	w, err := s.store.UpdateWebhook(c.Request().Context(), pathParam(c, "id"), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.WebhookResponse{Data: toAPIWebhook(w, false)})
}

// handleDeleteWebhook serves DELETE /api/v1/webhooks/:id.
//
//	@Summary	Delete a webhook
//	@Description	Removes the endpoint with its pending and past deliveries.
//	@Tags		webhooks
//	@Security	BearerAuth
//	@Param		id	path	string	true	"Webhook id"
//	@Success	204
//	@Failure	401		{object}	api.Error
//	@Failure	403		{object}	api.Error
//	@Failure	404		{object}	api.Error
//	@Failure	default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/webhooks/{id} [delete]
func (s *Server) handleDeleteWebhook(c echo.Context) error {
	if err := s.store.DeleteWebhook(c.Request().Context(), pathParam(c, "id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleListDeliveries serves GET /api/v1/webhooks/:id/deliveries.
//
//	@Summary		List a webhook's deliveries
//	@Description	Newest first, each with the payload sent (the body a receiver gets, api.WebhookEvent) and every attempt (time, HTTP status, error, duration), keyset-paged with cursor.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Webhook id"
//	@Param			status	query		string	false	"Only this status"	Enums(pending, succeeded, failed)
//	@Param			limit	query		int		false	"Page size, 1 to 100"	default(20)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxlength(700)
//	@Success		200		{object}	api.DeliveryList
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/webhooks/{id}/deliveries [get]
func (s *Server) handleListDeliveries(c echo.Context) error {
	q := newQueryParser(c)
	status := choice(q, "status", []content.DeliveryStatus{content.DeliveryPending, content.DeliverySucceeded, content.DeliveryFailed}, "")
	limit := q.intIn("limit", content.DefaultLimit, 1, content.MaxLimit)
	var cursor *content.Cursor
	if v := q.get("cursor"); v != "" {
		var ok bool
		if cursor, ok = decodeCursor(v, newestCursor); !ok {
			q.p.Add("cursor", "is not a cursor this list gave")
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	list, next, err := s.store.FindDeliveries(c.Request().Context(), pathParam(c, "id"), status, limit, cursor)
	if err != nil {
		return err
	}
	out := api.DeliveryList{Data: make([]api.Delivery, len(list)), Meta: api.ListMeta{Limit: limit}}
	for i, d := range list {
		ad := api.Delivery{ID: d.ID, EventID: d.EventID, Event: d.EventType, Status: string(d.Status),
			Attempts: make([]api.Attempt, len(d.Attempts)), NextAttemptAt: d.NextAttemptAt, CreatedAt: d.CreatedAt, FinishedAt: d.FinishedAt}
		if err := json.Unmarshal(d.Payload, &ad.Payload); err != nil {
			return fmt.Errorf("delivery %s payload: %w", d.ID, err)
		}
		for j, a := range d.Attempts {
			ad.Attempts[j] = api.Attempt{At: a.At, StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.Duration.Milliseconds()}
		}
		out.Data[i] = ad
	}
	if next != nil {
		out.Meta.NextCursor = encodeCursor(next, newestCursor)
	}
	return c.JSON(http.StatusOK, out)
}

// handlePingWebhook serves POST /api/v1/webhooks/:id/ping.
//
//	@Summary		Send a test event
//	@Description	Queues a webhook.ping event (data empty) for this webhook alone, signed like any other, to check the endpoint and its signature verification. It shows in the deliveries list.
//	@Tags			webhooks
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Webhook id"
//	@Success		202
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/webhooks/{id}/ping [post]
func (s *Server) handlePingWebhook(c echo.Context) error {
	if err := s.store.PingWebhook(c.Request().Context(), pathParam(c, "id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// handleRetryDelivery serves POST /api/v1/webhooks/:id/deliveries/:delivery/retry.
//
//	@Summary		Send a delivery again
//	@Description	Makes the delivery due now, whether it failed, succeeded or is waiting for a retry: once an endpoint is fixed, failed deliveries can be sent again. Past attempts are kept.
//	@Tags			webhooks
//	@Security		BearerAuth
//	@Param			id			path	string	true	"Webhook id"
//	@Param			delivery	path	string	true	"Delivery id"
//	@Success		202
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/webhooks/{id}/deliveries/{delivery}/retry [post]
func (s *Server) handleRetryDelivery(c echo.Context) error {
	if err := s.store.RetryDelivery(c.Request().Context(), pathParam(c, "id"), pathParam(c, "delivery")); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
