package content_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Central bank holds rates":       "central-bank-holds-rates",
		"  Hello,   World!  ":            "hello-world",
		"انفجار في مرفأ بيروت":           "انفجار-في-مرفأ-بيروت",
		"الرَّئِيسُ يُلْقِي خِطَابًا":    "الرئيس-يلقي-خطابا", // tashkeel dropped
		"مـــرحبا":                       "مرحبا",             // tatweel dropped
		"Ｆｕｌｌ　Ｗｉｄｔｈ":                     "full-width",
		"Café & Crème":                   "café-crème",
		"2026: the year":                 "2026-the-year",
		"!!!":                            "",
		"zero\u200bwidth \u202eoverride": "zerowidth-override",
	} {
		got := content.Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if got != "" && content.CheckSlug(got) != "" {
			t.Errorf("Slugify(%q) = %q fails CheckSlug: %s", in, got, content.CheckSlug(got))
		}
	}
	if n := len([]rune(content.Slugify(strings.Repeat("word ", 100)))); n > content.MaxSlugLen {
		t.Errorf("long title gives a %d-rune slug", n)
	}
}

func TestCheckSlug(t *testing.T) {
	for _, ok := range []string{"news", "a-b-c", "سوريا", "2026", "café"} {
		if msg := content.CheckSlug(content.NormalizeSlug(ok)); msg != "" {
			t.Errorf("CheckSlug(%q): %s", ok, msg)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a--b", "A", "a b", "a/b", "a\u202eb", "a\u200db", "a\x00b", "a%20b", strings.Repeat("a", 161)} {
		if content.CheckSlug(bad) == "" {
			t.Errorf("CheckSlug(%q) accepted", bad)
		}
	}
}

func TestParseLanguage(t *testing.T) {
	for in, want := range map[string][2]string{
		"ar": {"ar", "rtl"}, "AR-eg": {"ar-EG", "rtl"}, "en": {"en", "ltr"}, "fa": {"fa", "rtl"},
		"he": {"he", "rtl"}, "fr-CA": {"fr-CA", "ltr"}, "az-Arab": {"az-Arab", "rtl"},
	} {
		canon, dir, err := content.ParseLanguage(in)
		if err != nil || canon != want[0] || dir != want[1] {
			t.Errorf("ParseLanguage(%q) = %q %q %v, want %v", in, canon, dir, err, want)
		}
	}
	for _, bad := range []string{"", "english", "x!", "12"} {
		if _, _, err := content.ParseLanguage(bad); err == nil {
			t.Errorf("ParseLanguage(%q) accepted", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, weak := range []string{"", "short1!", "passwordpassword", "aaaaaaaaaaaaaaaa1", "111111111111", "ed-is-my-Passw0rd"} {
		if content.CheckPassword(weak, "ed@example.com") == "" {
			t.Errorf("CheckPassword(%q) accepted", weak)
		}
	}
	for _, strong := range []string{"Correct-Horse-9", "correct horse battery staple", "كلمة-سر-طويلة-2026"} {
		if msg := content.CheckPassword(strong, "ed@example.com"); msg != "" {
			t.Errorf("CheckPassword(%q): %s", strong, msg)
		}
	}
}

func TestApplyDerivesFields(t *testing.T) {
	title, body, lang := "عنوان", strings.Repeat("كلمة ", 450), "ar"
	a := &content.Article{}
	u := content.ArticleUpdate{Title: &title, Body: &body, Language: &lang}
	u.Apply(a)
	if a.Direction != "rtl" || a.WordCount != 450 || a.ReadingTime != 3 || a.BodyFormat != "markdown" || a.Format != "news" {
		t.Fatalf("derived: direction %q words %d minutes %d", a.Direction, a.WordCount, a.ReadingTime)
	}
	if !strings.HasSuffix(a.Excerpt, "…") || len([]rune(a.Excerpt)) > 221 || !a.ExcerptDerived {
		t.Fatalf("excerpt %q", a.Excerpt)
	}
	// A written excerpt stays when the body changes; a derived one follows.
	lead := "The lead."
	(&content.ArticleUpdate{Excerpt: &lead}).Apply(a)
	newBody := "New body."
	(&content.ArticleUpdate{Body: &newBody}).Apply(a)
	if a.Excerpt != lead {
		t.Fatalf("written excerpt replaced: %q", a.Excerpt)
	}
	empty := ""
	(&content.ArticleUpdate{Excerpt: &empty}).Apply(a)
	if a.Excerpt != "New body." {
		t.Fatalf("cleared excerpt not derived again: %q", a.Excerpt)
	}
}

func TestCheckPlain(t *testing.T) {
	for _, ok := range []string{"x < y", "a <= b", "<3", "Tom & Jerry", "5 > 3"} {
		if msg := content.CheckPlain(ok, 100, false); msg != "" {
			t.Errorf("CheckPlain(%q): %s", ok, msg)
		}
	}
	for _, bad := range []string{"<b>x</b>", "a <script>", "</p>", "<!-- x -->", "x <img src=x>"} {
		if content.CheckPlain(bad, 100, false) == "" {
			t.Errorf("CheckPlain(%q) accepted", bad)
		}
	}
}

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>Some <em>text</em>.</p><p>Next</p>": "Some text. Next",
		"<ul><li>a</li><li>b</li></ul>":         "a b",
		"<p>x &lt; y &amp; z</p>":               "x < y & z",
		"line<br>break":                         "line break",
	} {
		if got := content.PlainText(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for addr, ok := range map[string]bool{
		"reader@example.com": true, "first.last+tag@sub.example.co": true, "Reader@Example.COM": true,
		"reader@localhost": false, "reader": false, "reader@example.com\r\nBcc: x@example.com": false,
		"Reader <reader@example.com>": false, "a b@example.com": false, "reader@example..com": false,
		"": false, "\"quoted\"@example.com": false,
	} {
		if got := content.CheckEmail(addr) == ""; got != ok {
			t.Errorf("CheckEmail(%q) ok=%v, want %v", addr, got, ok)
		}
	}
}

func TestWebhookPatterns(t *testing.T) {
	w := content.Webhook{Events: []string{"article.published", "category.*"}}
	for typ, want := range map[string]bool{
		"article.published": true, "article.updated": false, "category.deleted": true, "tag.created": false,
	} {
		if w.Wants(typ) != want {
			t.Errorf("Wants(%s) = %v", typ, !want)
		}
	}
	for _, events := range [][]string{{"article.liked"}, {"*.published"}, {"article"}, {"nope.*"}, {}} {
		u := content.WebhookUpdate{Events: &events}
		if u.Check(false) == nil {
			t.Errorf("events %v accepted", events)
		}
	}
}

func TestSiteURLs(t *testing.T) {
	s := content.Site{URL: "https://www.example.com", Name: "The Daily", ArticlePath: "/{lang}/{category}/{slug}-{id}",
		SectionPath: "/{slug}", TagPath: "/tag/{slug}", AuthorPath: "/author/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	a := &content.Article{ID: "01J", Slug: "انفجار-بيروت", Language: "ar", Category: content.Category{Slug: "news"}}
	if got := s.ArticleURL(a); got != "https://www.example.com/ar/news/%D8%A7%D9%86%D9%81%D8%AC%D8%A7%D8%B1-%D8%A8%D9%8A%D8%B1%D9%88%D8%AA-01J" {
		t.Errorf("ArticleURL = %s", got)
	}
	if got := s.ConfirmURL("nc_a+b", "ar"); got != "https://www.example.com/c?token=nc_a%2Bb" {
		t.Errorf("ConfirmURL = %s", got)
	}
	// {lang} in every template: the page's language, else the default.
	l := s
	l.SectionPath, l.TagPath, l.AuthorPath, l.ConfirmPath, l.UnsubscribePath = "/{lang}/{slug}", "/{lang}/tag/{slug}", "/{lang}/author/{slug}", "/{lang}/newsletter/confirm", "/{lang}/u"
	l.DefaultLanguage, l.Names = "en", content.Texts{"ar": "اليومية"}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{
		l.SectionURL("news", "ar"):            "https://www.example.com/ar/news",
		l.SectionURL("news", ""):              "https://www.example.com/en/news",
		l.TagURL("syria", "en"):               "https://www.example.com/en/tag/syria",
		l.AuthorURL("levant-desk", "ar"):      "https://www.example.com/ar/author/levant-desk",
		l.ConfirmURL("t", "ar"):               "https://www.example.com/ar/newsletter/confirm?token=t",
		l.UnsubscribeURL("t", ""):             "https://www.example.com/en/u?token=t",
		l.NameIn("ar") + "|" + l.NameIn("fr"): "اليومية|The Daily",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	noDefault := l
	noDefault.DefaultLanguage = ""
	if noDefault.Check() == nil {
		t.Error("{lang} in a section path without a default language accepted")
	}
	badNames := l
	badNames.Names = content.Texts{"AR": "x"}
	if badNames.Check() == nil {
		t.Error("a publication name under a non-canonical tag accepted")
	}
	for _, bad := range []content.Site{
		{URL: "ftp://x", Name: "n", ArticlePath: "/{slug}", SectionPath: "/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"},
		{URL: "https://x", Name: "n", ArticlePath: "/news", SectionPath: "/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"},
		{URL: "https://x", Name: "<b>n</b>", ArticlePath: "/{slug}", SectionPath: "/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"},
		// Placeholders nothing fills.
		{URL: "https://x", Name: "n", ArticlePath: "/{slug}", SectionPath: "/{page}/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"},
		{URL: "https://x", Name: "n", ArticlePath: "/{section}/{slug}", SectionPath: "/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/c", UnsubscribePath: "/u"},
		{URL: "https://x", Name: "n", ArticlePath: "/{slug}", SectionPath: "/{slug}", TagPath: "/{slug}", AuthorPath: "/{slug}", ConfirmPath: "/{token}", UnsubscribePath: "/u"},
	} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestMaxArticleURLLen: the bound holds for the longest slugs there can
// be, in the script that encodes longest (4-byte letters), so sitemap
// files sized by it stay under 50 MB.
func TestMaxArticleURLLen(t *testing.T) {
	s := content.Site{URL: "https://www.example.com/a&b", ArticlePath: "/{category}/{slug}?x=1&y={id}"}
	long := strings.Repeat("\U00020000", content.MaxSlugLen) // a CJK letter, 4 bytes in UTF-8
	if content.CheckSlug(long) != "" {
		t.Fatalf("the longest slug is refused: %s", content.CheckSlug(long))
	}
	a := &content.Article{ID: "01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", Slug: long, Category: content.Category{Slug: long}}
	var escaped strings.Builder
	xml.EscapeText(&escaped, []byte(s.ArticleURL(a)))
	if n, max := escaped.Len(), s.MaxArticleURLLen(); n > max {
		t.Fatalf("escaped URL is %d bytes, over the bound %d", n, max)
	}
}

// TestOriginalSnippet: a snippet cut from normalised text is shown in
// the words that were written, the matches still marked.
func TestOriginalSnippet(t *testing.T) {
	title := "انفجار في مَرفأ بيروت يوقع عشرات الجرحى"
	body := "The Port of Beirut,\nhit by a blast, reopened on Tuesday."
	for _, c := range []struct{ snippet, want string }{
		{"انفجار في \x01مرفا\x02 بيروت يوقع عشرات الجرحي", "انفجار في \x01مَرفأ\x02 بيروت يوقع عشرات الجرحى"},
		{"…of \x01beirut\x02, hit by a blast…", "…of \x01Beirut\x02, hit by a blast…"},
		{"\x01port\x02 of beirut", "\x01Port\x02 of Beirut"},
		{"words that are nowhere", "words that are nowhere"},
	} {
		if got := content.OriginalSnippet(c.snippet, title, "", body); got != c.want {
			t.Errorf("%q: got %q, want %q", c.snippet, got, c.want)
		}
	}
}

func TestRelativeScore(t *testing.T) {
	for _, c := range []struct{ score, best, want float64 }{
		{9.5, 9.5, 1}, {4.75, 9.5, 0.5}, {0.061, 0.0732, 0.8333}, {0, 3, 0}, {1, 0, 0}, {-2, 3, 0}, {3.1, 3, 1},
	} {
		if got := content.RelativeScore(c.score, c.best); got != c.want {
			t.Errorf("RelativeScore(%v, %v) = %v, want %v", c.score, c.best, got, c.want)
		}
	}
}
