package api

import "time"

// Image is a picture as pages show it, one shape everywhere (covers
// now; avatars and section images to follow): from the media library,
// with its size, a placeholder and renditions; or an external URL, with
// none of those. Texts are in the language of the answer.
type Image struct {
	// ID is the media item's; absent for an external image.
	ID      string `json:"id,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"`
	URL     string `json:"url" example:"https://api.example.com/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/3f2a9c1b7e/w1280.jpg"`
	Alt     string `json:"alt" example:"The port at dawn"`
	Caption string `json:"caption" example:"The port of Beirut on Tuesday."`
	Credit  string `json:"credit" example:"Reuters"`
	Width   int    `json:"width,omitempty" example:"1280"`
	Height  int    `json:"height,omitempty" example:"853"`
	// Placeholder is a BlurHash of the image, to paint before it loads.
	Placeholder string `json:"placeholder,omitempty" example:"LEHV6nWB2yk8pyo0adR*.7kCMdnj"`
	// Color is its dominant colour.
	Color string `json:"color,omitempty" example:"#6b7f8c"`
	// Srcset lists its renditions by width, for <img srcset>.
	Srcset []ImageSource `json:"srcset,omitempty"`
	// OGURL is the 1200×630 crop around the focal point, for Open Graph
	// cards.
	OGURL string `json:"og_url,omitempty" example:"https://api.example.com/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/3f2a9c1b7e/og.jpg"`
}

// ImageSource is one rendition of an image.
type ImageSource struct {
	URL   string `json:"url" example:"https://api.example.com/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/3f2a9c1b7e/w640.jpg"`
	Width int    `json:"width" example:"640"`
	Type  string `json:"type" example:"image/jpeg"`
}

// CoverRequest sets an article's lead image: a media item from the
// library (media_id) or an external image (url). A cover with neither
// removes it. alt, caption and credit, when given, win over the media
// item's own.
type CoverRequest struct {
	MediaID string `json:"media_id,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"`
	URL     string `json:"url,omitempty" example:"https://cdn.example.com/beirut.jpg"`
	Alt     string `json:"alt,omitempty" example:"The port at dawn"`
	Caption string `json:"caption,omitempty" example:"The port of Beirut on Tuesday."`
	Credit  string `json:"credit,omitempty" example:"Reuters"`
}

// CategoryRef names an article's section.
type CategoryRef struct {
	ID   string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	Slug string `json:"slug" example:"news" validate:"required"`
	Name string `json:"name" example:"News" validate:"required"`
}

// TagRef names a tag of an article.
type TagRef struct {
	ID   string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2T" validate:"required"`
	Slug string `json:"slug" example:"syria" validate:"required"`
	Name string `json:"name" example:"Syria" validate:"required"`
}

// AuthorRef names one author of an article. avatar_url is the photo's
// square crop when it is a media item; avatar has its sizes.
type AuthorRef struct {
	ID        string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2V" validate:"required"`
	Slug      string `json:"slug" example:"levant-desk" validate:"required"`
	Name      string `json:"name" example:"Levant Desk" validate:"required"`
	AvatarURL string `json:"avatar_url" example:"" validate:"required"`
	Avatar    *Image `json:"avatar,omitempty"`
}

// ArticleSummary is an article in a list: everything but the body.
type ArticleSummary struct {
	ID            string      `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W"`
	Slug          string      `json:"slug" example:"انفجار-في-مرفأ-بيروت"`
	Title         string      `json:"title" example:"انفجار في مرفأ بيروت"`
	Subtitle      string      `json:"subtitle" example:""`
	Excerpt       string      `json:"excerpt" example:"هز انفجار قوي مرفأ بيروت صباح اليوم…"`
	Format        string      `json:"format" example:"news" enums:"news,opinion,report,analysis,interview,caricature,feature,review,live"`
	Language      string      `json:"language" example:"ar"`
	Direction     string      `json:"direction" example:"rtl" enums:"rtl,ltr"`
	Category      CategoryRef `json:"category"`
	Tags          []TagRef    `json:"tags"`
	Authors       []AuthorRef `json:"authors"`
	Source        string      `json:"source" example:"Agencies"`
	Cover         *Image      `json:"cover,omitempty"`
	Featured      bool        `json:"featured" example:"false"`
	Breaking      bool        `json:"breaking" example:"true"`
	BreakingUntil *time.Time  `json:"breaking_until,omitempty" example:"2026-11-26T18:00:00Z"`
	Status        string      `json:"status" example:"published" enums:"draft,scheduled,published,archived"`
	PublishedAt   *time.Time  `json:"published_at,omitempty" example:"2026-11-26T09:30:00Z"`
	WordCount     int         `json:"word_count" example:"412"`
	ReadingTime   int         `json:"reading_time" example:"3"`
	ViewCount     int64       `json:"view_count" example:"1520"`
	CreatedAt     time.Time   `json:"created_at" example:"2026-11-26T09:00:00Z"`
	UpdatedAt     time.Time   `json:"updated_at" example:"2026-11-26T09:30:00Z"`
	// ModifiedAt is the last editorial edit or correction, for "Updated
	// …": it does not move with flags (featured, breaking), status or
	// view counts, as updated_at does.
	ModifiedAt time.Time `json:"modified_at" example:"2026-11-26T09:30:00Z"`
	// Languages are the languages readers can read the story in, its
	// own included, when it is told in more than one.
	Languages []string `json:"languages,omitempty" example:"ar,en"`
}

// Article is a whole article: the summary plus its body, raw and as
// sanitised HTML, and its version (also sent as the ETag).
type Article struct {
	ArticleSummary
	Body       string `json:"body" example:"هز **انفجار** قوي مرفأ بيروت صباح اليوم." validate:"required"`
	BodyFormat string `json:"body_format" example:"markdown" enums:"markdown,html" validate:"required"`
	BodyHTML   string `json:"body_html" example:"<p>هز <strong>انفجار</strong> قوي مرفأ بيروت صباح اليوم.</p>" validate:"required"`
	Version    int    `json:"version" example:"3" validate:"required"`
	// Translations are the other versions of the story in other
	// languages that the caller may read (readers: published ones), for
	// a language switch and hreflang links; [] when none.
	Translations []TranslationRef `json:"translations" validate:"required"`
	// Corrections are the public corrections of the story, oldest
	// first; [] when none.
	Corrections []Correction `json:"corrections" validate:"required"`
	// Related and Popular are there, possibly empty, when asked for
	// with include=, and absent otherwise.
	Related *[]ArticleSummary `json:"related,omitempty"`
	Popular *[]ArticleSummary `json:"popular,omitempty"`
	// Menus and Site are there when asked for with include=menus,site,
	// in the article's language: the page's chrome.
	Menus *[]Menu        `json:"menus,omitempty"`
	Site  *Site          `json:"site,omitempty"`
	Ads   *[]AdPlacement `json:"ads,omitempty"`
	// JSONLD is the article as schema.org NewsArticle structured data.
	JSONLD NewsArticleLD `json:"json_ld" validate:"required"`
}

// Correction is a public note appended to a published story.
type Correction struct {
	ID   string    `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2Y" validate:"required"`
	Text string    `json:"text" example:"An earlier version gave the wrong number of injured." validate:"required"`
	At   time.Time `json:"at" example:"2026-11-26T12:00:00Z" validate:"required"`
}

// CorrectionRequest appends a correction to a published story; at
// dates it (default now; not in the future, not before publication).
type CorrectionRequest struct {
	Text string     `json:"text" example:"An earlier version gave the wrong number of injured." validate:"required"`
	At   *time.Time `json:"at,omitempty" example:"2026-11-26T12:00:00Z"`
}

// TranslationRef is another version of an article.
type TranslationRef struct {
	Language string `json:"language" example:"en" validate:"required"`
	ID       string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2X" validate:"required"`
	Slug     string `json:"slug" example:"explosion-at-beirut-port" validate:"required"`
	Title    string `json:"title" example:"Explosion at Beirut port" validate:"required"`
	// URL is the version's page on the public site.
	URL string `json:"url" example:"https://www.example.com/news/explosion-at-beirut-port" validate:"required"`
}

// TranslationsRequest sets the other versions of an article: the ids of
// articles in other languages, one per language. [] unlinks the
// article alone; the other versions stay linked to each other.
type TranslationsRequest struct {
	IDs []string `json:"ids" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2X" validate:"required"`
}

// ArticleList is a page of article summaries.
type ArticleList struct {
	Data []ArticleSummary `json:"data" validate:"required"`
	Meta ListMeta         `json:"meta" validate:"required"`
}

// ArticleResponse wraps one article.
type ArticleResponse struct {
	Data Article `json:"data" validate:"required"`
}

// ArticleRequest creates or edits an article. On create, title, body,
// language and category are required, and authors unless the writer's
// account is linked to an author. On edit, send only what changes.
// Category, tags and authors are named by id or slug. Send
// breaking_until as "" to clear it. Server-managed fields (id, status,
// timestamps, counts, body_html, direction, version) are refused.
type ArticleRequest struct {
	Slug     *string `json:"slug,omitempty" example:"beirut-port-blast"`
	Title    *string `json:"title,omitempty" example:"انفجار في مرفأ بيروت"`
	Subtitle *string `json:"subtitle,omitempty" example:"عشرات الجرحى"`
	Excerpt  *string `json:"excerpt,omitempty" example:""`
	// Body is Markdown or HTML (body_format), sanitised when stored:
	// scripts, event handlers, javascript: links and foreign iframes
	// are stripped. An HTML body may embed YouTube, Vimeo, X, Instagram,
	// Facebook, TikTok, SoundCloud or Spotify: an <iframe> with that
	// provider's player URL as src is kept, sandboxed by the server, and
	// the providers' blockquote markup keeps its class; a site may narrow
	// the providers (MASTHEAD_EMBEDS). ![alt](media:ID) or
	// <img src="media:ID"> places a library image.
	Body          *string       `json:"body,omitempty" example:"هز **انفجار** قوي مرفأ بيروت صباح اليوم."`
	BodyFormat    *string       `json:"body_format,omitempty" example:"markdown" enums:"markdown,html"`
	Format        *string       `json:"format,omitempty" example:"news" enums:"news,opinion,report,analysis,interview,caricature,feature,review,live"`
	Language      *string       `json:"language,omitempty" example:"ar"`
	Category      *string       `json:"category,omitempty" example:"news"`
	Tags          *[]string     `json:"tags,omitempty" example:"lebanon,beirut"`
	Authors       *[]string     `json:"authors,omitempty" example:"levant-desk"`
	Source        *string       `json:"source,omitempty" example:"Agencies"`
	Cover         *CoverRequest `json:"cover,omitempty"`
	Featured      *bool         `json:"featured,omitempty" example:"false"`
	Breaking      *bool         `json:"breaking,omitempty" example:"true"`
	BreakingUntil *string       `json:"breaking_until,omitempty" example:"2026-11-26T18:00:00Z"`
	// TranslationOf, on create only, makes the new article a version in
	// another language of the article with this id.
	TranslationOf *string `json:"translation_of,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2X"`
}

// PublishRequest publishes an article now, at a past time, or schedules
// it when published_at is in the future. The body may be empty.
type PublishRequest struct {
	PublishedAt *time.Time `json:"published_at,omitempty" example:"2026-11-27T06:00:00Z"`
}

// Revision is one save of an article's editorial fields.
type Revision struct {
	ID string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R30" validate:"required"`
	// Version is the article version this save made.
	Version   int       `json:"version" example:"4" validate:"required"`
	CreatedAt time.Time `json:"created_at" example:"2026-11-26T10:00:00Z" validate:"required"`
	// CreatedBy is the user who saved; "" once that account is gone.
	CreatedBy string `json:"created_by" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R31" validate:"required"`
	// Fields are the editorial fields the save changed.
	Fields []string `json:"fields" example:"title,body" validate:"required"`
}

// RevisionDetail is a revision with the values before and after.
type RevisionDetail struct {
	Revision
	Previous EditorialFields `json:"previous" validate:"required"`
	Snapshot EditorialFields `json:"snapshot" validate:"required"`
}

// EditorialFields are what a story says, as one save left them.
// Sections, tags and authors are by slug.
type EditorialFields struct {
	Slug           string         `json:"slug" example:"انفجار-في-مرفأ-بيروت" validate:"required"`
	Title          string         `json:"title" example:"انفجار في مرفأ بيروت" validate:"required"`
	Subtitle       string         `json:"subtitle" example:"" validate:"required"`
	Excerpt        string         `json:"excerpt" example:"هز انفجار قوي مرفأ بيروت صباح اليوم…" validate:"required"`
	ExcerptDerived bool           `json:"excerpt_derived" example:"true" validate:"required"`
	Body           string         `json:"body" example:"هز **انفجار** قوي مرفأ بيروت صباح اليوم." validate:"required"`
	BodyFormat     string         `json:"body_format" example:"markdown" validate:"required"`
	Format         string         `json:"format" example:"news" validate:"required"`
	Language       string         `json:"language" example:"ar" validate:"required"`
	Source         string         `json:"source" example:"Agencies" validate:"required"`
	Category       string         `json:"category" example:"news" validate:"required"`
	Tags           []string       `json:"tags" example:"lebanon" validate:"required"`
	Authors        []string       `json:"authors" example:"levant-desk" validate:"required"`
	Cover          EditorialCover `json:"cover" validate:"required"`
}

// EditorialCover is a cover as an editor set it.
type EditorialCover struct {
	URL     string `json:"url" example:"" validate:"required"`
	Alt     string `json:"alt" example:"" validate:"required"`
	Caption string `json:"caption" example:"" validate:"required"`
	Credit  string `json:"credit" example:"" validate:"required"`
	MediaID string `json:"media_id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M" validate:"required"`
}

// RevisionList lists an article's revisions, newest first.
type RevisionList struct {
	Data []Revision `json:"data" validate:"required"`
	Meta ListMeta   `json:"meta" validate:"required"`
}

// RevisionResponse wraps one revision in full.
type RevisionResponse struct {
	Data RevisionDetail `json:"data" validate:"required"`
}

// PreviewRequest asks for a preview link; expires_in is its lifetime in
// seconds (60 to 2592000, default 86400).
type PreviewRequest struct {
	ExpiresIn *int `json:"expires_in,omitempty" example:"86400"`
}

// Preview is a preview link: the token is shown this once.
type Preview struct {
	Token     string    `json:"token" example:"mhp_3q2+7w…" validate:"required"`
	ExpiresAt time.Time `json:"expires_at" example:"2026-11-27T09:00:00Z" validate:"required"`
	// URL is the API request that shows the article with the token.
	URL string `json:"url" example:"/api/v1/articles/01JD6Q7R2ZK3WJ5M8N9P0Q1R2W?preview=mhp_3q2+7w…" validate:"required"`
}

// PreviewResponse wraps a new preview link.
type PreviewResponse struct {
	Data Preview `json:"data" validate:"required"`
}
