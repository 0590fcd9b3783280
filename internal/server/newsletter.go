package server

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// subscribeAnswer is the one answer to every well-formed sign-up.
var subscribeAnswer = api.SubscribeResponseBody{Data: api.SubscribeResponse{Status: "accepted",
	Message: "If this address can be subscribed, a confirmation mail is on its way."}}

// handleSubscribe serves POST /api/v1/newsletter/subscriptions.
//
//	@Summary		Subscribe to the newsletter
//	@Description	Starts a double opt-in: a confirmation mail with a link to the public site (MASTHEAD_SITE_URL + MASTHEAD_NEWSLETTER_CONFIRM_PATH?token=…) is queued and sent in the background. The answer is the same 202 whether the address is new, pending, confirmed or unsubscribed. An address gets at most 3 confirmation mails a day; a client address may sign up 20 times an hour (MASTHEAD_NEWSLETTER_RATE_LIMIT), then 429 with Retry-After.
//	@Tags			newsletter
//	@Accept			json
//	@Produce		json
//	@Param			subscription	body		api.SubscribeRequest	true	"The address"
//	@Success		202				{object}	api.SubscribeResponseBody
//	@Failure		400				{object}	api.Error
//	@Failure		413				{object}	api.Error
//	@Failure		415				{object}	api.Error
//	@Failure		429				{object}	api.Error
//	@Failure		default			{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/subscriptions [post]
func (s *Server) handleSubscribe(c echo.Context) error {
	ip := c.RealIP()
	if wait := s.subscribes.Wait(ip); wait > 0 {
		return &content.Error{Code: content.ERATELIMITED, Message: "Too many sign-ups from this address; try again later.", RetryAfter: wait}
	}
	// Every attempt counts, well-formed or not: the limit is on traffic.
	s.subscribes.Fail(ip)
	var req api.SubscribeRequest
	if err := decodeJSON(c, &req, "Subscription", false); err != nil {
		return err
	}
	sub := content.Subscription{Email: req.Email, Language: req.Language, Categories: req.Categories}
	if err := sub.Check(); err != nil {
		return err
	}
	if err := s.store.Subscribe(c.Request().Context(), sub); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, subscribeAnswer)
}

// handleConfirm serves POST /api/v1/newsletter/confirm.
//
//	@Summary		Confirm a subscription
//	@Description	Confirms the address a confirmation mail went to, with the token from its link. A token works once, within 48 hours (MASTHEAD_NEWSLETTER_CONFIRM_TTL); an unknown, used or expired one is a 400 naming the token.
//	@Tags			newsletter
//	@Accept			json
//	@Produce		json
//	@Param			token	body		api.TokenRequest	true	"The token from the mail"
//	@Success		200		{object}	api.NewsletterStatusResponse
//	@Failure		400		{object}	api.Error
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/confirm [post]
func (s *Server) handleConfirm(c echo.Context) error {
	token, err := newsletterToken(c)
	if err != nil {
		return err
	}
	if err := s.store.ConfirmSubscription(c.Request().Context(), auth.HashToken(token)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.NewsletterStatusResponse{Data: api.NewsletterStatus{Status: "confirmed"}})
}

// handleUnsubscribe serves POST /api/v1/newsletter/unsubscribe.
//
//	@Summary		Unsubscribe
//	@Description	Ends a subscription with the unsubscribe token every newsletter mail carries; no login needed. Unknown tokens get the same answer.
//	@Tags			newsletter
//	@Accept			json
//	@Produce		json
//	@Param			token	body		api.TokenRequest	true	"The token from the mail"
//	@Success		200		{object}	api.NewsletterStatusResponse
//	@Failure		400		{object}	api.Error
//	@Failure		413		{object}	api.Error
//	@Failure		415		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/unsubscribe [post]
func (s *Server) handleUnsubscribe(c echo.Context) error {
	token, err := newsletterToken(c)
	if err != nil {
		return err
	}
	if err := s.store.Unsubscribe(c.Request().Context(), auth.HashToken(token)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.NewsletterStatusResponse{Data: api.NewsletterStatus{Status: "unsubscribed"}})
}

func newsletterToken(c echo.Context) (string, error) {
	var req api.TokenRequest
	if err := decodeJSON(c, &req, "Request", false); err != nil {
		return "", err
	}
	if msg := content.CheckText(req.Token, 200, false); msg != "" || strings.TrimSpace(req.Token) == "" {
		if msg == "" {
			msg = "required"
		}
		return "", &content.Error{Code: content.EINVALID, Message: "Request is invalid.", Fields: map[string]string{"token": msg}}
	}
	return req.Token, nil
}

// newestCursor is the sort name cursors of newest-first lists keyed on
// creation (subscribers, deliveries) carry.
const newestCursor content.ArticleSort = "subscribers"

// subscriberFilter parses the filters of both subscriber lists.
func subscriberFilter(c echo.Context, paged bool) (content.SubscriberFilter, error) {
	q := newQueryParser(c)
	f := content.SubscriberFilter{
		Status:   choice(q, "status", content.SubscriberStatuses, ""),
		Language: q.language("lang"),
		Category: q.slug("category"),
		Limit:    content.DefaultLimit,
	}
	if !paged {
		return f, q.err()
	}
	f.Limit = q.intIn("limit", content.DefaultLimit, 1, content.MaxLimit)
	if v := q.get("cursor"); v != "" {
		cur, ok := decodeCursor(v, newestCursor)
		if !ok {
			q.p.Add("cursor", "is not a cursor this list gave")
		}
		f.Cursor = cur
	}
	return f, q.err()
}

func toAPISubscriber(sub *content.Subscriber) api.Subscriber {
	return api.Subscriber{ID: sub.ID, Email: sub.Email, Language: sub.Language, Status: string(sub.Status),
		Categories: sub.Categories, ConfirmedAt: sub.ConfirmedAt, UnsubscribedAt: sub.UnsubscribedAt,
		CreatedAt: sub.CreatedAt, UpdatedAt: sub.UpdatedAt}
}

// handleListSubscribers serves GET /api/v1/newsletter/subscribers.
//
//	@Summary		List subscribers
//	@Description	Newest first, keyset-paged with cursor. Editors and admins only.
//	@Tags			newsletter
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"Only this status"	Enums(pending, confirmed, unsubscribed)
//	@Param			lang		query		string	false	"Only this language"	maxlength(35)
//	@Param			category	query		string	false	"Only subscribers of this section (slug)"	maxlength(160)
//	@Param			limit		query		int		false	"Page size, 1 to 100"	default(20)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"	maxlength(700)
//	@Success		200			{object}	api.SubscriberList
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		default		{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/subscribers [get]
func (s *Server) handleListSubscribers(c echo.Context) error {
	f, err := subscriberFilter(c, true)
	if err != nil {
		return err
	}
	page, err := s.store.FindSubscribers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := api.SubscriberList{Data: make([]api.Subscriber, len(page.Subscribers)), Meta: api.ListMeta{Limit: f.Limit}}
	for i, sub := range page.Subscribers {
		out.Data[i] = toAPISubscriber(sub)
	}
	if page.Next != nil {
		out.Meta.NextCursor = encodeCursor(page.Next, newestCursor)
	}
	return c.JSON(http.StatusOK, out)
}

// handleExportSubscribers serves GET /api/v1/newsletter/subscribers.csv.
//
//	@Summary		Export subscribers as CSV
//	@Description	Every subscriber matching the filters, streamed from the database row by row (memory stays flat whatever the count). Columns: id, email, language, status, categories (space-separated), created_at, confirmed_at, unsubscribed_at.
//	@Tags			newsletter
//	@Produce		text/csv,json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"Only this status"	Enums(pending, confirmed, unsubscribed)
//	@Param			lang		query		string	false	"Only this language"	maxlength(35)
//	@Param			category	query		string	false	"Only subscribers of this section (slug)"	maxlength(160)
//	@Success		200			{string}	string	"CSV with a header row"
//	@Failure		400			{object}	api.Error
//	@Failure		401			{object}	api.Error
//	@Failure		403			{object}	api.Error
//	@Failure		default		{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/subscribers.csv [get]
func (s *Server) handleExportSubscribers(c echo.Context) error {
	f, err := subscriberFilter(c, false)
	if err != nil {
		return err
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="subscribers.csv"`)
	w := csv.NewWriter(res)
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	started := false
	err = s.store.EachSubscriber(c.Request().Context(), f, func(sub *content.Subscriber) error {
		if !started {
			started = true
			res.WriteHeader(http.StatusOK)
			w.Write(csvHeader)
		}
		w.Write([]string{sub.ID, csvSafe(sub.Email), sub.Language, string(sub.Status), strings.Join(sub.Categories, " "),
			sub.CreatedAt.Format(time.RFC3339), stamp(sub.ConfirmedAt), stamp(sub.UnsubscribedAt)})
		return w.Error()
	})
	if err != nil {
		if started {
			// The status is out; cut the body short so the client sees a
			// broken download rather than a complete-looking file.
			s.log.Error("export subscribers", "err", err, "request_id", requestID(c))
			panic(http.ErrAbortHandler)
		}
		return err
	}
	if !started {
		res.WriteHeader(http.StatusOK)
		w.Write(csvHeader)
	}
	w.Flush()
	return w.Error()
}

var csvHeader = []string{"id", "email", "language", "status", "categories", "created_at", "confirmed_at", "unsubscribed_at"}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
		return "'" + v
	}
	return v
}

// handleDeleteSubscriber serves DELETE /api/v1/newsletter/subscribers/:id.
//
//	@Summary		Erase a subscriber
//	@Description	Removes the address for good, with its sections, tokens and queued mail (an erasure request). Editors and admins only.
//	@Tags			newsletter
//	@Security		BearerAuth
//	@Param			id	path	string	true	"Subscriber id"
//	@Success		204
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/newsletter/subscribers/{id} [delete]
func (s *Server) handleDeleteSubscriber(c echo.Context) error {
	if err := s.store.DeleteSubscriber(c.Request().Context(), pathParam(c, "id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
