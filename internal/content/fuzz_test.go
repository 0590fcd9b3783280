package content_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/masthead/masthead/internal/content"
)

// Fuzz targets for every decoder of outside text in the domain. .ci/run
// runs each for a bounded time; the corpus is kept in testdata/fuzz.

// FuzzSlug: a slug made from any title is valid or empty; slugs and
// their normal form are stable.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"انفجار في مرفأ بيروت", "Central bank holds rates", "ٱلْعَرَبِيَّة — ١٢٣", "a--b", "\u202Eevil", "Ça va?", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		slug := content.Slugify(title)
		if slug != "" && content.CheckSlug(slug) != "" {
			t.Fatalf("Slugify(%q) = %q, which CheckSlug refuses: %s", title, slug, content.CheckSlug(slug))
		}
		if n := content.NormalizeSlug(title); content.NormalizeSlug(n) != n {
			t.Fatalf("NormalizeSlug not idempotent on %q", title)
		}
		if content.Slugify(slug) != slug {
			t.Fatalf("Slugify(%q) = %q, but Slugify of that is %q", title, slug, content.Slugify(slug))
		}
	})
}

// FuzzNormalizeSearch: Arabic and Latin search normalisation keeps
// valid UTF-8, is idempotent, and the query parser never panics.
func FuzzNormalizeSearch(f *testing.F) {
	for _, s := range []string{"مرفأ الجرحى إلى", "أَحْمَد", "Beirut -port \"blast site\" OR fire", "ـــــ", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := content.NormalizeSearch(s)
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("NormalizeSearch(%q) = %q, not valid UTF-8", s, n)
		}
		if content.NormalizeSearch(n) != n {
			t.Fatalf("NormalizeSearch not idempotent on %q: %q then %q", s, n, content.NormalizeSearch(n))
		}
		for _, term := range content.ParseSearch(n) {
			if len(term.Words) == 0 {
				t.Fatalf("ParseSearch(%q) gave an empty term", n)
			}
		}
	})
}

var (
	tagStart  = regexp.MustCompile(`<[a-zA-Z/!?]`)
	scriptTag = regexp.MustCompile(`(?i)<\s*/?\s*(script|object|embed|style)\b`)
	// Iframes only of the allowed providers, always sandboxed.
	iframeTag = regexp.MustCompile(`(?i)<\s*iframe\b[^>]*>`)
	iframeSrc = regexp.MustCompile(`\bsrc="([^"]*)"`)
	handler   = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	// Inside a tag: the text of a paragraph may say "href=javascript:".
	jsURL = regexp.MustCompile(`(?i)<[^>]*\s(href|src)\s*=\s*["']?\s*javascript:`)
)

// FuzzRenderBody: whatever the body, Markdown or HTML, the rendered HTML
// holds no script, no event handler and no javascript: link, and
// sanitising it again changes nothing.
func FuzzRenderBody(f *testing.F) {
	for _, s := range []string{
		"**bold** <script>alert(1)</script>", `<img src=x onerror=alert(1)>`, `[x](javascript:alert(1))`,
		`<a href="JaVaScRiPt:alert(1)">x</a>`, "<p dir=\"rtl\">نص</p>",
		`<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" sandbox="allow-top-navigation"><script>x</script></iframe>`,
		`<iframe src="https://evil.example/x"></iframe>`, `<blockquote class="twitter-tweet"><a href="https://twitter.com/x/status/1">x</a></blockquote>`, "<svg><script>x</script></svg>", "> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |",
	} {
		f.Add("markdown", s)
		f.Add("html", s)
	}
	f.Fuzz(func(t *testing.T, format, body string) {
		if format != "html" {
			format = "markdown"
		}
		out := content.RenderBody(format, body)
		for _, re := range []*regexp.Regexp{scriptTag, handler, jsURL} {
			if re.MatchString(out) {
				t.Fatalf("RenderBody(%s, %q) = %q matches %s", format, body, out, re)
			}
		}
		for _, tag := range iframeTag.FindAllString(out, -1) {
			src := iframeSrc.FindStringSubmatch(tag)
			if src == nil || content.EmbedProviderOf(html.UnescapeString(src[1])) == "" || !strings.Contains(tag, ` sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"`) {
				t.Fatalf("RenderBody(%s, %q) = %q: iframe %s", format, body, out, tag)
			}
		}
		if again := content.RenderBody("html", out); again != out {
			t.Fatalf("sanitising again changed %q into %q", out, again)
		}
		if !utf8.ValidString(content.PlainText(out)) && utf8.ValidString(body) {
			t.Fatalf("PlainText of %q is not valid UTF-8", out)
		}
	})
}

// FuzzEmail: an accepted address can go into a mail header as it is.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"reader@example.com", "a@b", "x\r\nBcc: y@example.com", "\"Name\" <a@b.com>", "ä@ü.de", strings.Repeat("a", 70) + "@example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if content.CheckEmail(s) != "" {
			return
		}
		if strings.ContainsAny(s, "\r\n\t <>,;\"\\") || len(s) > 254 || !strings.Contains(s, "@") || !utf8.ValidString(s) {
			t.Fatalf("CheckEmail accepted %q", s)
		}
	})
}

// FuzzPlainText: an accepted plain-text field holds no tag, no control
// character and none of the hidden characters.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"Beirut port", "x < y", "<b>bold</b>", "عنوان\u200F", "a\u202Eb", "\x00", "line\nbreak"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if content.CheckPlain(s, 300, false) != "" {
			return
		}
		if strings.IndexFunc(s, content.Hidden) >= 0 || strings.ContainsAny(s, "\x00\n\r") || tagStart.MatchString(s) {
			t.Fatalf("CheckPlain accepted %q", s)
		}
	})
}

// FuzzOriginalSnippet: any snippet and text give the snippet as it was,
// or one whose every mark is closed; never a panic.
func FuzzOriginalSnippet(f *testing.F) {
	f.Add("انفجار في \x01مرفا\x02 بيروت", "انفجار في مَرفأ بيروت")
	f.Add("…of \x01beirut\x02, hit…", "The Port of Beirut,\nhit by a blast")
	f.Add("\x01\x02", "")
	f.Fuzz(func(t *testing.T, snippet, text string) {
		got := content.OriginalSnippet(snippet, text)
		if got != snippet && strings.Count(got, content.SnippetStart) != strings.Count(got, content.SnippetEnd) {
			t.Fatalf("%q in %q gave %q", snippet, text, got)
		}
	})
}
