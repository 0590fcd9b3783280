// Package demo loads a small bilingual newsroom into an empty database, so
// a newcomer has something to look at: four sections, three authors, a
// dozen articles in Arabic and English, with covers and author photos in
// the media library (drawn here), and one admin account.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/store"
)

// AdminEmail is the demo admin's address.
const AdminEmail = "admin@masthead.local"

type story struct {
	title, subtitle, lang, section, format, source, body string
	caption                                              string // of the cover, in the story's language
	tags, authors                                        []string
	hoursAgo                                             int // 0: left as a draft; < 0: scheduled
	featured, breaking                                   bool
	// versionOf is 1 + the index of the story this one translates.
	versionOf  int
	correction string // a public correction, appended once published
}

var sections = []struct {
	name, slug, description, arName, arDescription string
}{
	{"News", "news", "The day's reporting from the region and the world.", "أخبار", "تغطية اليوم من المنطقة والعالم."},
	{"Opinion", "opinion", "Columns and editorials.", "رأي", "مقالات وافتتاحيات."},
	{"Report", "report", "Long-form reporting and investigations.", "تقارير", "تحقيقات وتقارير مطوّلة."},
	{"Caricature", "caricature", "The day in cartoons.", "كاريكاتير", "اليوم بريشة رسامينا."},
}

var tags = []struct{ name, slug string }{
	{"Lebanon", "lebanon"}, {"Syria", "syria"}, {"Economy", "economy"}, {"Climate", "climate"},
	{"Elections", "elections"}, {"لبنان", "لبنان"}, {"اقتصاد", "اقتصاد"}, {"ثقافة", "ثقافة"},
}

var authors = []struct{ name, slug, bio, arName, arBio string }{
	{"Levant Desk", "levant-desk", "Our correspondents in Beirut, Damascus and Amman.", "مكتب المشرق", "مراسلونا في بيروت ودمشق وعمّان."},
	{"Rania Haddad", "rania-haddad", "Economics editor. Writes about energy, markets and the cost of living.", "رانيا حداد", "محررة الشؤون الاقتصادية، تكتب عن الطاقة والأسواق وكلفة المعيشة."},
	{"عمر خليل", "عمر-خليل", "كاتب عمود ومحرر الشؤون الثقافية.", "", ""},
}

var stories = []story{
	{title: "انفجار في مرفأ بيروت يوقع عشرات الجرحى", lang: "ar", section: "news", format: "news", source: "وكالات",
		body: "هزّ انفجار قوي **مرفأ بيروت** صباح اليوم، وأفادت مصادر طبية بسقوط عشرات الجرحى.\n\nوقال الدفاع المدني إن فرقه تعمل على إخماد حريق اندلع في أحد المستودعات، فيما طوقت القوى الأمنية المنطقة.\n\nولم تتضح بعد أسباب الانفجار.",
		tags: []string{"لبنان", "lebanon"}, authors: []string{"levant-desk"}, hoursAgo: 1, breaking: true, featured: true},
	{title: "Central bank holds rates as inflation cools", subtitle: "Policy makers signal cuts could come in spring", lang: "en", section: "news", format: "news", source: "Agencies",
		body: "The central bank left its benchmark rate unchanged on Thursday, saying inflation had eased for a third month running.\n\n> \"We are not yet where we need to be,\" the governor told reporters.\n\nMarkets had priced in a hold.",
		tags: []string{"economy"}, authors: []string{"rania-haddad"}, hoursAgo: 3},
	{title: "أسعار الخبز ترتفع للمرة الثالثة هذا العام", lang: "ar", section: "news", format: "news", source: "وكالات",
		body: "رفعت وزارة الاقتصاد سعر ربطة الخبز للمرة الثالثة منذ مطلع العام، مرجعة القرار إلى ارتفاع كلفة الطحين والمحروقات.\n\nوانتقدت جمعيات حماية المستهلك القرار، معتبرة أنه يثقل كاهل الأسر محدودة الدخل.",
		tags: []string{"اقتصاد", "economy"}, authors: []string{"rania-haddad", "levant-desk"}, hoursAgo: 5},
	{title: "Floods cut the coastal highway for a second day", lang: "en", section: "news", format: "news", source: "Levant Desk",
		body: "Heavy rain flooded the coastal highway north of the capital for a second day, stranding hundreds of drivers.\n\nCivil defence teams used boats to reach families in low-lying villages. Forecasters expect the storm to ease by Saturday.",
		tags: []string{"climate", "lebanon"}, authors: []string{"levant-desk"}, hoursAgo: 8, featured: true},
	{title: "في مديح المقاهي القديمة", lang: "ar", section: "opinion", format: "opinion",
		body: "ليست المقاهي القديمة أماكن لشرب القهوة فحسب، بل ذاكرة المدينة المفتوحة.\n\nفيها تُقرأ الصحف بصوت عالٍ، وتُحسم الخلافات السياسية على طاولة النرد، ويتعلم الغرباء لهجة الحي قبل أن يتعلموا أسماء شوارعه.",
		tags: []string{"ثقافة"}, authors: []string{"عمر-خليل"}, hoursAgo: 20},
	{title: "The subsidy trap: why cheap fuel costs so much", lang: "en", section: "opinion", format: "analysis",
		body: "Fuel subsidies are popular, and easy to understand. They are also among the least fair ways to help households.\n\nThe richest tenth of families, who own more cars and bigger generators, capture most of the benefit. A targeted cash transfer would cost less and reach the people who need it.",
		tags: []string{"economy"}, authors: []string{"rania-haddad"}, hoursAgo: 26},
	{title: "Inside the camps: a winter without fuel", subtitle: "Families in the Bekaa ration heating by the hour", lang: "en", section: "report", format: "report", source: "Levant Desk",
		body: "In the informal settlements of the Bekaa valley, winter is measured in litres of diesel.\n\n## Rationing by the hour\n\nMost families we met heat their tents for two hours in the evening. Aid agencies say funding for winter assistance is down by a third on last year.\n\n## What comes next\n\nAgencies are appealing for new pledges before January, when temperatures fall below freezing.",
		tags: []string{"syria", "lebanon", "climate"}, authors: []string{"levant-desk"}, hoursAgo: 30, featured: true},
	{title: "تحقيق: أين تذهب أموال إعادة الإعمار؟", lang: "ar", section: "report", format: "report",
		body: "تتبّع فريقنا على مدى ستة أشهر مسار المنح المخصصة لإعادة إعمار الأحياء المتضررة.\n\n## العقود\n\nتكشف الوثائق أن ثلاث شركات حصلت على أكثر من نصف العقود، من دون مناقصات علنية.\n\n## الردود\n\nلم ترد الجهات المعنية على أسئلتنا حتى ساعة النشر.",
		tags: []string{"لبنان", "اقتصاد"}, authors: []string{"levant-desk", "عمر-خليل"}, hoursAgo: 48},
	{title: "كاريكاتير اليوم: طابور الخبز", lang: "ar", section: "caricature", format: "caricature",
		body: "![طابور طويل أمام فرن](https://images.example.com/caricature/bread-queue.png)\n\nطابور الخبز بريشة فناننا.",
		tags: []string{"اقتصاد"}, authors: []string{"عمر-خليل"}, hoursAgo: 10},
	{title: "Cartoon of the day: the election poster", lang: "en", section: "caricature", format: "caricature",
		body: "![A candidate's poster peeling in the rain](https://images.example.com/caricature/poster.png)\n\nOur cartoonist on the campaign season.",
		tags: []string{"elections"}, authors: []string{"levant-desk"}, hoursAgo: 12},
	{title: "Municipal elections set for May", lang: "en", section: "news", format: "news", source: "Agencies",
		body: "The interior ministry set municipal elections for the second Sunday of May, ending two years of delays.\n\nOpposition groups welcomed the date but asked for international observers.",
		tags: []string{"elections", "lebanon"}, authors: []string{"levant-desk"}, hoursAgo: -24},
	{title: "Blast at Beirut port injures dozens", lang: "en", section: "news", format: "news", source: "Agencies",
		body: "A powerful explosion shook **Beirut port** this morning, and medical sources reported dozens of people injured.\n\nCivil defence said its teams were putting out a fire in a warehouse while security forces sealed off the area.\n\nThe cause of the blast was not yet clear.",
		tags: []string{"lebanon"}, authors: []string{"levant-desk"}, hoursAgo: 1, versionOf: 1,
		correction: "An earlier version of this story gave the wrong time of the blast."},
	{title: "مسودة: مهرجان الكتاب يعود إلى بيروت", lang: "ar", section: "news", format: "news",
		body: "يعود معرض الكتاب إلى بيروت بعد غياب ثلاث سنوات، بمشاركة أكثر من مئتي دار نشر.",
		tags: []string{"ثقافة", "لبنان"}, authors: []string{"عمر-خليل"}, hoursAgo: 0},
}

// Empty reports whether the database holds no content yet: no section
// and no article. Users do not count: an admin made from the environment
// comes before the demo.
func Empty(ctx context.Context, s *store.Store) (bool, error) {
	sections, err := s.FindCategories(ctx, false)
	if err != nil {
		return false, err
	}
	page, err := s.FindArticles(ctx, content.ArticleFilter{Statuses: content.Statuses, Limit: 1})
	if err != nil {
		return false, err
	}
	return len(sections) == 0 && len(page.Articles) == 0, nil
}

// Load fills an empty database and returns the demo admin's one-time
// password, "" when an account with that address exists already (it is
// left as it is). It logs its progress to log.
func Load(ctx context.Context, s *store.Store, lib *media.Library, log *slog.Logger) (password string, err error) {
	password = randomPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	admin := &content.User{Email: AdminEmail, Name: "Demo Admin", Role: content.RoleAdmin, PasswordHash: hash}
	if err := s.CreateUser(ctx, admin); content.ErrorCode(err) == content.ECONFLICT {
		if admin, err = s.FindUserByEmail(ctx, AdminEmail); err != nil {
			return "", fmt.Errorf("demo admin: %w", err)
		}
		password = ""
	} else if err != nil {
		return "", fmt.Errorf("demo admin: %w", err)
	}
	newsroom := content.Actor{UserID: admin.ID, Role: content.RoleAdmin}
	for i, sec := range sections {
		u := content.CategoryUpdate{Term: content.Term{Name: &sec.name, Slug: &sec.slug, Names: &content.Texts{"ar": sec.arName, "en": sec.name}},
			Description: &sec.description, Descriptions: &content.Texts{"ar": sec.arDescription, "en": sec.description}, Position: ptr(i + 1)}
		if _, err := s.CreateCategory(ctx, u); err != nil {
			return "", fmt.Errorf("demo section %s: %w", sec.name, err)
		}
	}
	for _, t := range tags {
		if _, err := s.CreateTag(ctx, content.TagUpdate{Term: content.Term{Name: &t.name, Slug: &t.slug}}); err != nil {
			return "", fmt.Errorf("demo tag %s: %w", t.name, err)
		}
	}
	for i, a := range authors {
		photo, _, err := lib.Upload(ctx, newsroom, media.SampleJPEG(400, 400, 20+i, 1), "author-"+a.slug+".jpg",
			content.MediaUpdate{Alt: content.Texts{"en": a.name}})
		if err != nil {
			return "", fmt.Errorf("demo author photo %s: %w", a.name, err)
		}
		u := content.AuthorUpdate{Term: content.Term{Name: &a.name, Slug: &a.slug}, Bio: &a.bio, AvatarMediaID: &photo.ID}
		if a.arName != "" {
			u.Names, u.Bios = &content.Texts{"ar": a.arName, "en": a.name}, &content.Texts{"ar": a.arBio, "en": a.bio}
		}
		if _, err := s.CreateAuthor(ctx, u); err != nil {
			return "", fmt.Errorf("demo author %s: %w", a.name, err)
		}
	}
	now := s.Now()
	ids := make([]string, len(stories))
	for i, st := range stories {
		u := content.ArticleUpdate{
			Title: &st.title, Subtitle: &st.subtitle, Body: &st.body, Language: &st.lang, Format: &st.format,
			Source: &st.source, CategoryRef: &st.section, TagRefs: &st.tags, AuthorRefs: &st.authors,
			Featured: &st.featured, Breaking: &st.breaking,
		}
		cover, err := demoCover(ctx, lib, newsroom, i, st)
		if err != nil {
			return "", fmt.Errorf("demo cover of %q: %w", st.title, err)
		}
		u.Cover = &content.Cover{MediaID: cover.ID}
		if st.versionOf > 0 {
			u.TranslationOf = &ids[st.versionOf-1]
		}
		if err := u.Check(true); err != nil {
			return "", fmt.Errorf("demo article %q: %w", st.title, err)
		}
		a, err := s.CreateArticle(ctx, u, newsroom)
		if err != nil {
			return "", fmt.Errorf("demo article %q: %w", st.title, err)
		}
		ids[i] = a.ID
		if st.hoursAgo != 0 {
			at := now.Add(-time.Duration(st.hoursAgo) * time.Hour)
			if _, err := s.SetArticleStatus(ctx, a.ID, content.StatusPublished, &at, 0, newsroom); err != nil {
				return "", fmt.Errorf("demo publish %q: %w", st.title, err)
			}
		}
		if st.correction != "" {
			if _, err := s.AddCorrection(ctx, a.ID, st.correction, nil, 0); err != nil {
				return "", fmt.Errorf("demo correction of %q: %w", st.title, err)
			}
		}
		log.Info("demo content", "article", i+1, "of", len(stories), "slug", a.Slug)
	}
	if err := loadChrome(ctx, s, lib, newsroom); err != nil {
		return "", err
	}
	return password, nil
}

// loadChrome sets what surrounds the stories: the site's settings with
// its logo and newsletter copy, the About page in both languages, the
// header and footer menus, and three ad placements with image creatives.
func loadChrome(ctx context.Context, s *store.Store, lib *media.Library, who content.Actor) error {
	logo, _, err := lib.Upload(ctx, who, media.SampleJPEG(400, 100, 40, 1), "logo.jpg", content.MediaUpdate{Alt: content.Texts{"en": "Masthead", "ar": "ماستهد"}})
	if err != nil {
		return fmt.Errorf("demo logo: %w", err)
	}
	u := content.SettingsUpdate{
		Names:        &content.Texts{"ar": "ماستهد", "en": "Masthead"},
		Descriptions: &content.Texts{"ar": "أخبار المشرق بالعربية والإنجليزية.", "en": "News from the Levant, in Arabic and English."},
		Languages:    &[]string{"ar", "en"},
		Logo:         &content.Picture{MediaID: logo.ID},
		Social:       &map[string]string{"x": "@masthead", "telegram": "https://t.me/masthead"},
		Copyright:    &content.Texts{"ar": "© ماستهد", "en": "© Masthead"},
		ContactEmail: ptr("desk@masthead.local"),
		Newsletter: &content.NewsletterCopy{
			Title:    content.Texts{"ar": "اشترك في نشرتنا البريدية لتصلك آخر الأخبار", "en": "Subscribe to our mailing list to get the new updates!"},
			Button:   content.Texts{"ar": "اشترك", "en": "Subscribe"},
			Consent:  content.Texts{"ar": "يمكنك إلغاء الاشتراك في أي وقت.", "en": "You can unsubscribe at any time."},
			Sections: []string{"news", "opinion"},
		},
	}
	if err := u.Check(); err != nil {
		return fmt.Errorf("demo settings: %w", err)
	}
	if _, err := s.UpdateSettings(ctx, u, 0); err != nil {
		return fmt.Errorf("demo settings: %w", err)
	}
	for _, pg := range []struct{ slug, lang, title, body string }{
		{"about", "en", "About us", "Masthead is a demo newsroom: reporting from Beirut, Damascus and Amman, in Arabic and English.\n\nWrite to desk@masthead.local."},
		{"من-نحن", "ar", "من نحن", "ماستهد غرفة أخبار تجريبية: تغطية من بيروت ودمشق وعمّان، بالعربية والإنجليزية.\n\nراسلونا على desk@masthead.local."},
	} {
		u := content.PageUpdate{Slug: &pg.slug, Title: &pg.title, Body: &pg.body, Language: &pg.lang, Published: ptr(true)}
		if err := u.Check(true); err != nil {
			return fmt.Errorf("demo page %s: %w", pg.slug, err)
		}
		if _, err := s.SavePage(ctx, "", u, 0); err != nil {
			return fmt.Errorf("demo page %s: %w", pg.slug, err)
		}
	}
	link := func(ar, en, kind, ref string) content.MenuItem {
		return content.MenuItem{Labels: content.Texts{"ar": ar, "en": en}, Target: content.MenuTarget{Kind: kind, Ref: ref}}
	}
	menus := map[string][]content.MenuItem{
		"header": {link("أخبار", "News", "section", "news"), link("رأي", "Opinion", "section", "opinion"),
			link("تقارير", "Report", "section", "report"), link("كاريكاتير", "Caricature", "section", "caricature")},
		"footer": {link("من نحن", "About", "page", "about"), link("اتصل بنا", "Contact", "path", "/contact"),
			link("الخصوصية", "Privacy", "path", "/privacy"), link("أعلن معنا", "Advertise with us", "path", "/advertise")},
	}
	for _, name := range []string{"header", "footer"} {
		if err := content.CheckMenu(menus[name]); err != nil {
			return fmt.Errorf("demo menu %s: %w", name, err)
		}
		if _, err := s.ReplaceMenu(ctx, name, menus[name], 0); err != nil {
			return fmt.Errorf("demo menu %s: %w", name, err)
		}
	}
	for i, p := range []content.Placement{
		{Name: "top-leaderboard", Sizes: []content.AdSize{{Width: 970, Height: 90}, {Width: 728, Height: 90}, {Width: 320, Height: 50}}, Pages: []string{"home", "section", "article"}},
		{Name: "sidebar-1", Sizes: []content.AdSize{{Width: 300, Height: 250}}, Pages: []string{"home", "section", "article"}},
		{Name: "in-article-1", Sizes: []content.AdSize{{Width: 300, Height: 250}}, Pages: []string{"article"}, Paragraph: 3, ExcludeFormats: []string{"caricature"}},
	} {
		w, h := p.Sizes[0].Width, p.Sizes[0].Height
		img, _, err := lib.Upload(ctx, who, media.SampleJPEG(w, h, 50+i, 1), "ad-"+p.Name+".jpg", content.MediaUpdate{Alt: content.Texts{"en": "Advertisement"}})
		if err != nil {
			return fmt.Errorf("demo ad %s: %w", p.Name, err)
		}
		p.Active = true
		p.Creatives = []content.Creative{{Kind: "image", Image: content.Picture{MediaID: img.ID}, ClickURL: "https://advertiser.example.com/" + p.Name,
			Alt: "Advertisement", Weight: 1, Active: true}}
		if err := content.CheckPlacement(&p, who); err != nil {
			return fmt.Errorf("demo ad %s: %w", p.Name, err)
		}
		if _, err := s.ReplacePlacement(ctx, p.Name, p, 0); err != nil {
			return fmt.Errorf("demo ad %s: %w", p.Name, err)
		}
	}
	return nil
}

// demoCover uploads the cover of story i: a picture drawn for it (the
// caricatures are square), captioned in the story's language and
// credited in both.
func demoCover(ctx context.Context, lib *media.Library, who content.Actor, i int, st story) (*content.Media, error) {
	// Small enough to draw and process in a blink at start (the demo
	// loads in seconds even under the race detector), large enough for
	// three widths of srcset.
	w, h := 960, 600
	if st.section == "caricature" {
		w, h = 720, 720
	}
	caption := st.caption
	if caption == "" {
		caption = st.title
	}
	u := content.MediaUpdate{
		Alt:     content.Texts{st.lang: caption},
		Caption: content.Texts{st.lang: caption},
		Credit:  content.Texts{"ar": "أرشيف ماستهد", "en": "Masthead archive"},
	}
	m, _, err := lib.Upload(ctx, who, media.SampleJPEG(w, h, i+1, 1), fmt.Sprintf("demo-%02d.jpg", i+1), u)
	return m, err
}

func ptr[T any](v T) *T { return &v }

// randomPassword returns 20 characters from a set without look-alikes,
// with letters of both cases and digits, so it passes CheckPassword.
func randomPassword() string {
	const (
		lower  = "abcdefghijkmnpqrstuvwxyz"
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits = "23456789"
	)
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	b := make([]byte, 20)
	all := lower + upper + digits
	for i := range b {
		b[i] = pick(all)
	}
	b[3], b[9], b[15] = pick(lower), pick(upper), pick(digits)
	return string(b)
}
