package api

import "time"

// NewsArticleLD is an article as schema.org structured data, ready to
// drop into <script type="application/ld+json"> as it is. Links point to
// the public site (MASTHEAD_SITE_URL), not to the API.
type NewsArticleLD struct {
	Context          string         `json:"@context" example:"https://schema.org" validate:"required"`
	Type             string         `json:"@type" example:"NewsArticle" enums:"NewsArticle,OpinionNewsArticle,ReportageNewsArticle,AnalysisNewsArticle" validate:"required"`
	Headline         string         `json:"headline" example:"انفجار في مرفأ بيروت" validate:"required"`
	Description      string         `json:"description,omitempty" example:"هز انفجار قوي مرفأ بيروت صباح اليوم…"`
	Image            []string       `json:"image,omitempty" example:"https://cdn.example.com/beirut.jpg"`
	DatePublished    *time.Time     `json:"datePublished,omitempty" example:"2026-11-26T09:30:00Z"`
	DateModified     time.Time      `json:"dateModified" example:"2026-11-26T10:00:00Z" validate:"required"`
	Author           []LDPerson     `json:"author" validate:"required"`
	Publisher        LDOrganization `json:"publisher" validate:"required"`
	ArticleSection   string         `json:"articleSection" example:"News" validate:"required"`
	InLanguage       string         `json:"inLanguage" example:"ar" validate:"required"`
	Keywords         []string       `json:"keywords,omitempty" example:"Lebanon,Beirut"`
	WordCount        int            `json:"wordCount" example:"412" validate:"required"`
	URL              string         `json:"url" example:"https://www.example.com/news/beirut-port-blast" validate:"required"`
	MainEntityOfPage LDWebPage      `json:"mainEntityOfPage" validate:"required"`
	// WorkTranslation lists the translations of the first version of a
	// story told in several languages; the others name it in
	// TranslationOfWork.
	WorkTranslation   []LDWork `json:"workTranslation,omitempty"`
	TranslationOfWork *LDWork  `json:"translationOfWork,omitempty"`
	// Correction lists the story's public corrections.
	Correction []LDCorrection `json:"correction,omitempty"`
}

// LDCorrection is a schema.org CorrectionComment.
type LDCorrection struct {
	Type          string    `json:"@type" example:"CorrectionComment" validate:"required"`
	Text          string    `json:"text" example:"An earlier version gave the wrong number of injured." validate:"required"`
	DatePublished time.Time `json:"datePublished" example:"2026-11-26T12:00:00Z" validate:"required"`
}

// LDWork is another version of the article, by its URL.
type LDWork struct {
	Type       string `json:"@type" example:"NewsArticle" validate:"required"`
	ID         string `json:"@id" example:"https://www.example.com/news/explosion-at-beirut-port" validate:"required"`
	InLanguage string `json:"inLanguage" example:"en" validate:"required"`
}

// LDPerson is a schema.org Person.
type LDPerson struct {
	Type string `json:"@type" example:"Person" validate:"required"`
	Name string `json:"name" example:"Rania Haddad" validate:"required"`
	URL  string `json:"url" example:"https://www.example.com/author/rania-haddad" validate:"required"`
}

// LDOrganization is a schema.org Organization: the publisher.
type LDOrganization struct {
	Type string `json:"@type" example:"NewsMediaOrganization" validate:"required"`
	Name string `json:"name" example:"The Daily" validate:"required"`
	URL  string `json:"url" example:"https://www.example.com/" validate:"required"`
	// Logo is the site's logo (PATCH /site), when it has one.
	Logo *LDImage `json:"logo,omitempty"`
}

// LDImage is a schema.org ImageObject.
type LDImage struct {
	Type string `json:"@type" example:"ImageObject" validate:"required"`
	URL  string `json:"url" example:"https://www.example.com/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/3f2a9c1b7e/w640.png" validate:"required"`
}

// LDWebPage is the page the article is the main entity of.
type LDWebPage struct {
	Type string `json:"@type" example:"WebPage" validate:"required"`
	ID   string `json:"@id" example:"https://www.example.com/news/beirut-port-blast" validate:"required"`
}

// SubscribeRequest subscribes an address to the newsletter. language
// (BCP 47, default en) picks the language of the mails; categories
// (section slugs) narrow it to some sections, none meaning all.
type SubscribeRequest struct {
	Email      string   `json:"email" example:"reader@example.com" validate:"required"`
	Language   string   `json:"language,omitempty" example:"ar"`
	Categories []string `json:"categories,omitempty" example:"news,opinion"`
}

// SubscribeResponse is the same whatever the address's state, so the
// form tells nobody who subscribes.
type SubscribeResponse struct {
	Status  string `json:"status" example:"accepted" validate:"required"`
	Message string `json:"message" example:"If this address can be subscribed, a confirmation mail is on its way." validate:"required"`
}

// TokenRequest carries a token from a newsletter mail's link.
type TokenRequest struct {
	Token string `json:"token" example:"nc_3q2…" validate:"required"`
}

// NewsletterStatus answers a confirmation or an unsubscription.
type NewsletterStatus struct {
	Status string `json:"status" example:"confirmed" enums:"confirmed,unsubscribed" validate:"required"`
}

// NewsletterStatusResponse wraps a NewsletterStatus.
type NewsletterStatusResponse struct {
	Data NewsletterStatus `json:"data" validate:"required"`
}

// SubscribeResponseBody wraps a SubscribeResponse.
type SubscribeResponseBody struct {
	Data SubscribeResponse `json:"data" validate:"required"`
}

// Subscriber is a newsletter subscriber, for editors.
type Subscriber struct {
	ID             string     `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	Email          string     `json:"email" example:"reader@example.com" validate:"required"`
	Language       string     `json:"language" example:"ar" validate:"required"`
	Status         string     `json:"status" example:"confirmed" enums:"pending,confirmed,unsubscribed" validate:"required"`
	Categories     []string   `json:"categories" example:"news" validate:"required"`
	ConfirmedAt    *time.Time `json:"confirmed_at,omitempty" example:"2026-11-26T09:35:00Z"`
	UnsubscribedAt *time.Time `json:"unsubscribed_at,omitempty" example:"2026-11-27T08:00:00Z"`
	CreatedAt      time.Time  `json:"created_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	UpdatedAt      time.Time  `json:"updated_at" example:"2026-11-26T09:35:00Z" validate:"required"`
}

// SubscriberList is a page of subscribers.
type SubscriberList struct {
	Data []Subscriber `json:"data" validate:"required"`
	Meta ListMeta     `json:"meta" validate:"required"`
}

// WebhookRequest registers or edits a webhook. On create, url and events
// are required; secret is generated when absent.
type WebhookRequest struct {
	URL         *string   `json:"url,omitempty" example:"https://www.example.com/api/revalidate"`
	Events      *[]string `json:"events,omitempty" example:"article.published,article.updated,category.*"`
	Secret      *string   `json:"secret,omitempty" example:"a-long-shared-secret"`
	Description *string   `json:"description,omitempty" example:"Next.js revalidation"`
	Active      *bool     `json:"active,omitempty" example:"true"`
}

// Webhook is a registered endpoint. The secret is shown only in the
// answer to its creation.
type Webhook struct {
	ID          string    `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	URL         string    `json:"url" example:"https://www.example.com/api/revalidate" validate:"required"`
	Events      []string  `json:"events" example:"article.published,category.*" validate:"required"`
	Description string    `json:"description" example:"Next.js revalidation" validate:"required"`
	Active      bool      `json:"active" example:"true" validate:"required"`
	Secret      string    `json:"secret,omitempty" example:"whsec_9Zp…"`
	CreatedAt   time.Time `json:"created_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	UpdatedAt   time.Time `json:"updated_at" example:"2026-11-26T09:30:00Z" validate:"required"`
}

// WebhookResponse wraps one webhook.
type WebhookResponse struct {
	Data Webhook `json:"data" validate:"required"`
}

// WebhookList lists every webhook.
type WebhookList struct {
	Data []Webhook `json:"data" validate:"required"`
}

// Delivery is one event sent, or being sent, to a webhook, with every
// attempt made.
type Delivery struct {
	ID      string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	EventID string `json:"event_id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2T" validate:"required"`
	Event   string `json:"event" example:"article.published" validate:"required"`
	Status  string `json:"status" example:"succeeded" enums:"pending,succeeded,failed" validate:"required"`
	// Payload is the body sent (or to be sent): what a receiver gets.
	Payload       WebhookEvent `json:"payload" validate:"required"`
	Attempts      []Attempt    `json:"attempts" validate:"required"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty" example:"2026-11-26T09:31:00Z"`
	CreatedAt     time.Time    `json:"created_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	FinishedAt    *time.Time   `json:"finished_at,omitempty" example:"2026-11-26T09:30:01Z"`
}

// Attempt is one try at a delivery.
type Attempt struct {
	At         time.Time `json:"at" example:"2026-11-26T09:30:00Z" validate:"required"`
	StatusCode int       `json:"status_code" example:"200" validate:"required"`
	Error      string    `json:"error,omitempty" example:"answered 503 Service Unavailable"`
	DurationMS int64     `json:"duration_ms" example:"42" validate:"required"`
}

// DeliveryList is a page of a webhook's deliveries, newest first.
type DeliveryList struct {
	Data []Delivery `json:"data" validate:"required"`
	Meta ListMeta   `json:"meta" validate:"required"`
}

// WebhookEvent is the JSON body POSTed to a webhook. Verify it before
// trusting it: X-Masthead-Signature is "t=<unix seconds>,v1=<hex>", where
// hex is HMAC-SHA256, keyed with the webhook's secret, of t, a dot and
// the raw body. Deliveries may repeat (at least once): use id to skip
// events already handled.
type WebhookEvent struct {
	ID        string           `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2T" validate:"required"`
	Type      string           `json:"type" example:"article.published" validate:"required"`
	CreatedAt time.Time        `json:"created_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	Data      WebhookEventData `json:"data" validate:"required"`
	// SurrogateKeys are the keys to purge from a CDN: the entity's id,
	// which every cached answer showing it carries in Surrogate-Key, and
	// "articles" when a story joins the lists, or "taxonomy" when a
	// section, tag or author changes.
	SurrogateKeys []string `json:"surrogate_keys" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W,articles"`
}

// WebhookEventData holds the object the event is about: article for
// article.*, category, tag or author for the others.
type WebhookEventData struct {
	Article  *EventArticle `json:"article,omitempty"`
	Category *EventTerm    `json:"category,omitempty"`
	Tag      *EventTerm    `json:"tag,omitempty"`
	Author   *EventTerm    `json:"author,omitempty"`
}

// EventArticle is an article in a webhook event. previous_slug is set
// when the slug changed, for purging the old page.
type EventArticle struct {
	ID           string     `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W" validate:"required"`
	Slug         string     `json:"slug" example:"beirut-port-blast" validate:"required"`
	PreviousSlug string     `json:"previous_slug,omitempty" example:"port-blast"`
	URL          string     `json:"url,omitempty" example:"https://www.example.com/news/beirut-port-blast"`
	Title        string     `json:"title" example:"Blast at Beirut port" validate:"required"`
	Language     string     `json:"language" example:"en" validate:"required"`
	Format       string     `json:"format" example:"news" validate:"required"`
	Category     string     `json:"category" example:"news" validate:"required"`
	CategoryName string     `json:"category_name" example:"News" validate:"required"`
	Excerpt      string     `json:"excerpt" example:"A blast shook the port of Beirut this morning." validate:"required"`
	CoverURL     string     `json:"cover_url,omitempty" example:"https://images.example.com/port.jpg"`
	Featured     bool       `json:"featured" example:"false" validate:"required"`
	Breaking     bool       `json:"breaking" example:"true" validate:"required"`
	Tags         []string   `json:"tags" example:"lebanon" validate:"required"`
	Authors      []string   `json:"authors" example:"levant-desk" validate:"required"`
	Status       string     `json:"status" example:"published" validate:"required"`
	PublishedAt  *time.Time `json:"published_at,omitempty" example:"2026-11-26T09:30:00Z"`
	UpdatedAt    time.Time  `json:"updated_at" example:"2026-11-26T09:30:00Z" validate:"required"`
	Version      int        `json:"version" example:"3" validate:"required"`
}

// EventTerm is a section, tag or author in a webhook event.
type EventTerm struct {
	ID           string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	Slug         string `json:"slug" example:"news" validate:"required"`
	PreviousSlug string `json:"previous_slug,omitempty" example:"local"`
	Name         string `json:"name" example:"News" validate:"required"`
	URL          string `json:"url,omitempty" example:"https://www.example.com/news"`
}

// JSONFeed is a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
type JSONFeed struct {
	Version     string         `json:"version" example:"https://jsonfeed.org/version/1.1" validate:"required"`
	Title       string         `json:"title" example:"The Daily — News" validate:"required"`
	HomePageURL string         `json:"home_page_url" example:"https://www.example.com/news" validate:"required"`
	FeedURL     string         `json:"feed_url" example:"https://api.example.com/feeds/category/news.json" validate:"required"`
	Description string         `json:"description,omitempty" example:"The latest from News"`
	Language    string         `json:"language,omitempty" example:"ar"`
	Items       []JSONFeedItem `json:"items" validate:"required"`
}

// JSONFeedItem is one article in a JSON Feed.
type JSONFeedItem struct {
	ID            string           `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W" validate:"required"`
	URL           string           `json:"url" example:"https://www.example.com/news/beirut-port-blast" validate:"required"`
	Title         string           `json:"title" example:"انفجار في مرفأ بيروت" validate:"required"`
	ContentHTML   string           `json:"content_html" example:"<p>هز انفجار…</p>" validate:"required"`
	Summary       string           `json:"summary,omitempty" example:"هز انفجار قوي مرفأ بيروت صباح اليوم…"`
	Image         string           `json:"image,omitempty" example:"https://cdn.example.com/beirut.jpg"`
	DatePublished *time.Time       `json:"date_published,omitempty" example:"2026-11-26T09:30:00Z"`
	DateModified  time.Time        `json:"date_modified" example:"2026-11-26T10:00:00Z" validate:"required"`
	Authors       []JSONFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty" example:"News,Lebanon"`
	Language      string           `json:"language" example:"ar" validate:"required"`
	Attachments   []JSONFeedFile   `json:"attachments,omitempty"`
}

// JSONFeedAuthor is an author in a JSON Feed.
type JSONFeedAuthor struct {
	Name string `json:"name" example:"Rania Haddad" validate:"required"`
	URL  string `json:"url,omitempty" example:"https://www.example.com/author/rania-haddad"`
}

// JSONFeedFile is an attachment (the cover image) in a JSON Feed.
type JSONFeedFile struct {
	URL      string `json:"url" example:"https://cdn.example.com/beirut.jpg" validate:"required"`
	MimeType string `json:"mime_type" example:"image/jpeg" validate:"required"`
}
