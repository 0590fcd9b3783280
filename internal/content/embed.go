package content

import (
	"regexp"
	"strings"
)

// EmbedProvider is a service whose embeds survive sanitising: its player
// as an <iframe> whose src matches Src, or its own blockquote markup
// (class Quote) that the frontend turns into the embed with the
// provider's script.
type EmbedProvider struct {
	Name  string
	Src   *regexp.Regexp
	Quote string // blockquote class; "" for none
}

// EmbedProviders are every provider an editor may embed; a site narrows
// them with MASTHEAD_EMBEDS. Anything else, iframes of other sites
// included, is stripped.
var EmbedProviders = []EmbedProvider{
	{"youtube", regexp.MustCompile(`^https://www\.youtube(-nocookie)?\.com/embed/[A-Za-z0-9_-]{6,20}(\?[A-Za-z0-9_=&;%.-]*)?$`), ""},
	{"vimeo", regexp.MustCompile(`^https://player\.vimeo\.com/video/[0-9]{1,12}(\?[A-Za-z0-9_=&;%.-]*)?$`), ""},
	{"x", regexp.MustCompile(`^https://platform\.twitter\.com/embed/Tweet\.html\?id=[0-9]{1,25}$`), "twitter-tweet"},
	{"instagram", regexp.MustCompile(`^https://www\.instagram\.com/(p|reel)/[A-Za-z0-9_-]{5,40}/embed/?$`), "instagram-media"},
	{"facebook", regexp.MustCompile(`^https://www\.facebook\.com/plugins/(post|video)\.php\?[A-Za-z0-9_=&;%.-]{1,600}$`), ""},
	{"tiktok", regexp.MustCompile(`^https://www\.tiktok\.com/embed/v2/[0-9]{1,25}$`), "tiktok-embed"},
	{"soundcloud", regexp.MustCompile(`^https://w\.soundcloud\.com/player/\?[A-Za-z0-9_=&;%.-]{1,600}$`), ""},
	{"spotify", regexp.MustCompile(`^https://open\.spotify\.com/embed/(track|album|playlist|episode|show)/[A-Za-z0-9]{10,30}(\?[A-Za-z0-9_=&;%.-]*)?$`), ""},
}

// EmbedProviderOf names the provider of an iframe src, or "".
func EmbedProviderOf(src string) string {
	for _, p := range EmbedProviders {
		if p.Src.MatchString(src) {
			return p.Name
		}
	}
	return ""
}

// embedSrc matches the src of every allowed iframe.
var embedSrc = func() *regexp.Regexp {
	parts := make([]string, len(EmbedProviders))
	for i, p := range EmbedProviders {
		parts[i] = "(?:" + p.Src.String() + ")"
	}
	return regexp.MustCompile(strings.Join(parts, "|"))
}()

// embedQuote matches the class of a provider's blockquote markup.
var embedQuote = func() *regexp.Regexp {
	var classes []string
	for _, p := range EmbedProviders {
		if p.Quote != "" {
			classes = append(classes, regexp.QuoteMeta(p.Quote))
		}
	}
	return regexp.MustCompile(`^(` + strings.Join(classes, "|") + `)$`)
}()

// EmbedFrame matches an allowed iframe in rendered HTML; the first group
// is its src, HTML-escaped.
var EmbedFrame = regexp.MustCompile(`<iframe\b[^>]*\bsrc="([^"]*)"[^>]*></iframe>`)

// embedAttrs are set on every embedded player, whatever the body said
// (the policy drops the body's own): the player runs sandboxed, sends no
// more than the origin as referrer, and loads when scrolled to.
const embedAttrs = ` sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"` +
	` allow="encrypted-media; picture-in-picture; fullscreen" referrerpolicy="strict-origin-when-cross-origin" loading="lazy"`

// Sanitised iframes, in parts: an opening tag with what it encloses up to
// its closing tag, which browsers never show; a closing tag left over;
// an opening tag.
var (
	frameBody  = regexp.MustCompile(`(?s)(<iframe\b[^>]*>).*?</iframe>`)
	frameClose = regexp.MustCompile(`</iframe>`)
	frameOpen  = regexp.MustCompile(`<iframe\b([^>]*)>`)
)

// hardenFrames makes every iframe an empty element with the sandboxing
// attributes, closed where it opens.
func hardenFrames(s string) string {
	if !strings.Contains(s, "<iframe") {
		return s
	}
	s = frameBody.ReplaceAllString(s, "$1")
	s = frameClose.ReplaceAllString(s, "")
	return frameOpen.ReplaceAllString(s, `<iframe$1`+embedAttrs+`></iframe>`)
}
