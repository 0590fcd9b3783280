package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/server"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// upload sends parts (name → value; "file" → the bytes, named name.jpg)
// as multipart/form-data.
func (e *env) upload(token string, parts map[string]string) *response {
	e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for name, v := range parts {
		if name == "file" {
			f, _ := w.CreateFormFile("file", "photo.jpg")
			f.Write([]byte(v))
			continue
		}
		w.WriteField(name, v)
	}
	w.Close()
	return e.do(req{method: "POST", path: "/api/v1/media", body: b.Bytes(), token: token, contentType: w.FormDataContentType()})
}

type mediaItem struct {
	ID          string            `json:"id"`
	Width       int               `json:"width"`
	Height      int               `json:"height"`
	Caption     map[string]string `json:"caption"`
	Credit      map[string]string `json:"credit"`
	URL         string            `json:"url"`
	Crops       map[string]string `json:"crops"`
	Placeholder string            `json:"placeholder"`
	Version     int               `json:"version"`
}

func (r *response) media(t testing.TB) mediaItem {
	t.Helper()
	var out struct{ Data mediaItem }
	r.decode(t, &out)
	return out.Data
}

// files counts the files in a storage's folder (the gateway's hidden
// work folders aside).
func files(t testing.TB, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case d.IsDir() && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case !d.IsDir():
			n++
		}
		return nil
	})
	return n
}

// storageRun runs fn on each engine and each media storage: a folder,
// and a bucket on an S3 gateway of the test's own. dir holds the
// storage's files.
func storageRun(t *testing.T, fn func(t *testing.T, engine store.Engine, storage media.Storage, dir string)) {
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		t.Run("disk", func(t *testing.T) {
			dir := t.TempDir()
			fn(t, engine, media.Disk{Dir: dir}, dir)
		})
		t.Run("s3", func(t *testing.T) {
			u, dir := testdb.StartS3(t)
			s3, err := media.OpenS3(u)
			if err != nil {
				t.Fatal(err)
			}
			if err := s3.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
			fn(t, engine, s3, dir)
		})
	})
}

func withStorage(storage media.Storage, lim media.Limits) func(*server.Config) {
	return func(c *server.Config) { c.Media = &media.Library{Storage: storage, Limits: lim} }
}

// TestMediaNewsroom: a writer uploads a phone photo with an Arabic
// caption and an English credit and makes it the cover with a focal
// point; readers get its size, srcset and crops, and no served file
// holds the GPS position.
func TestMediaNewsroom(t *testing.T) {
	t.Parallel() // each test owns its databases
	storageRun(t, func(t *testing.T, engine store.Engine, storage media.Storage, _ string) {
		e := newEnv(t, engine, withStorage(storage, media.DefaultLimits))
		tok := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		photo := string(media.SampleJPEG(2400, 1600, 5, 6)) // a phone held upright
		r := e.upload(writer, map[string]string{"file": photo, "lang": "ar", "caption": "مرفأ بيروت فجر الثلاثاء", "focal_x": "0.5", "focal_y": "0.3"})
		want(t, r, http.StatusCreated, "")
		m := r.media(t)
		if m.Width != 1600 || m.Height != 2400 || m.Caption["ar"] != "مرفأ بيروت فجر الثلاثاء" || m.Placeholder == "" {
			t.Fatalf("item %+v", m)
		}
		// The same file again is the same item.
		again := e.upload(writer, map[string]string{"file": photo})
		want(t, again, http.StatusOK, "")
		if again.media(t).ID != m.ID {
			t.Error("a duplicate upload made a new item")
		}
		p := e.do(req{method: "PATCH", path: "/api/v1/media/" + m.ID, token: writer, header: map[string]string{"If-Match": `"1"`},
			body: map[string]any{"credit": map[string]string{"en": "Reuters"}, "focal": map[string]float64{"x": 0.5, "y": 0.25}}})
		want(t, p, http.StatusOK, "")
		if p.media(t).Credit["en"] != "Reuters" {
			t.Errorf("credit %v", p.media(t).Credit)
		}
		a := e.draft(writer, map[string]any{"title": "Beirut at dawn", "language": "ar", "cover": map[string]any{"media_id": m.ID}})
		e.publish(tok, a.ID, "")
		// The desk's photo, from the library too.
		portrait := e.upload(writer, map[string]string{"file": string(media.SampleJPEG(800, 800, 9, 1)), "lang": "en", "alt": "The desk"}).media(t)
		want(t, e.do(req{method: "PATCH", path: "/api/v1/authors/levant-desk", token: tok, body: map[string]any{"avatar_media_id": portrait.ID}}), http.StatusOK, "")

		var page struct {
			Data struct {
				Cover struct {
					ID, URL, Caption, Credit string
					OGURL                    string `json:"og_url"`
					Width, Height            int
					Srcset                   []struct {
						URL   string
						Width int
					}
				}
				JSONLD  struct{ Image []string } `json:"json_ld"`
				Authors []struct {
					AvatarURL string `json:"avatar_url"`
					Avatar    struct {
						ID, Alt string
						Width   int
					}
				}
			}
		}
		e.get("/api/v1/articles/"+a.ID).decode(t, &page)
		if au := page.Data.Authors; len(au) != 1 || au[0].Avatar.ID != portrait.ID || au[0].Avatar.Alt != "The desk" ||
			au[0].Avatar.Width != 800 || !strings.HasSuffix(au[0].AvatarURL, "/square.jpg") {
			t.Errorf("byline %+v", au)
		}
		var desk struct {
			Data struct{ Avatar struct{ ID string } }
		}
		e.get("/api/v1/authors/levant-desk").decode(t, &desk)
		if desk.Data.Avatar.ID != portrait.ID {
			t.Errorf("author page avatar %+v", desk.Data.Avatar)
		}
		c := page.Data.Cover
		if c.ID != m.ID || c.Width != 1600 || c.Height != 2400 || c.Caption != "مرفأ بيروت فجر الثلاثاء" || c.Credit != "Reuters" ||
			len(c.Srcset) != 5 || c.Srcset[4].Width != 1600 || len(page.Data.JSONLD.Image) != 3 {
			t.Fatalf("cover %+v, json_ld images %v", c, page.Data.JSONLD.Image)
		}
		og := e.get(c.OGURL) // root-relative: MASTHEAD_MEDIA_PUBLIC_URL is not set
		if og.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %v", c.OGURL, og.Status, og.Header)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(og.Body))
		if err != nil || cfg.Width != 1200 || cfg.Height != 630 || og.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("og: %v %d×%d %v", err, cfg.Width, cfg.Height, og.Header)
		}
		want(t, e.do(req{method: "GET", path: c.OGURL, header: map[string]string{"If-None-Match": og.Header.Get("ETag")}}), http.StatusNotModified, "")
		var all struct{ Data mediaItem }
		e.do(req{method: "GET", path: "/api/v1/media/" + m.ID, token: writer}).decode(t, &all)
		served := []string{all.Data.URL, c.URL}
		for _, s := range c.Srcset {
			served = append(served, s.URL)
		}
		for _, u := range all.Data.Crops {
			served = append(served, u)
		}
		for _, u := range served {
			f := e.get(u)
			want(t, f, http.StatusOK, "")
			for _, mark := range []string{"Exif", "GPS-SECRET", "GPSLatitude"} {
				if bytes.Contains(f.Body, []byte(mark)) {
					t.Errorf("%s holds %q", u, mark)
				}
			}
		}
		// Placed in a story's body: a figure with its sizes and caption.
		body := "The port at dawn.\n\n![Cranes over the port](media:" + m.ID + ")\n\nMore text."
		placed := e.draft(tok, map[string]any{"title": "Placed", "body": body})
		e.publish(tok, placed.ID, "")
		var full struct {
			Data struct {
				BodyHTML string `json:"body_html"`
			}
		}
		e.get("/api/v1/articles/"+placed.ID).decode(t, &full)
		h := full.Data.BodyHTML
		for _, want := range []string{`<figure><img src="/media/` + m.ID + "/", ` 640w, `, `width="1600" height="2400"`, `loading="lazy"`,
			`alt="Cranes over the port"`, `<figcaption>مرفأ بيروت فجر الثلاثاء <small>Reuters</small></figcaption></figure>`} {
			if !strings.Contains(h, want) {
				t.Errorf("body_html lacks %q: %s", want, h)
			}
		}
		if strings.Contains(h, "media:") || strings.Contains(h, "<p><figure>") {
			t.Errorf("body_html: %s", h)
		}
		want(t, e.draft2(tok, map[string]any{"body": "![x](media:01JD6Q7R2ZK3WJ5M8N9P0Q1R2M)"}), http.StatusBadRequest, "invalid")
		if sm := e.get("/sitemap-news.xml"); !strings.Contains(string(sm.Body), "<image:image><image:loc>/media/"+m.ID+"/") {
			t.Errorf("news sitemap without the cover: %s", sm.Body)
		}

		// A new focal point: new URLs; the old ones lead to the new.
		p = e.do(req{method: "PATCH", path: "/api/v1/media/" + m.ID, token: tok, body: map[string]any{"focal": map[string]float64{"x": 0.2, "y": 0.8}}})
		want(t, p, http.StatusOK, "")
		moved := e.get(c.OGURL)
		if moved.Status != http.StatusMovedPermanently || moved.Header.Get("Location") != p.media(t).Crops["og"] {
			t.Errorf("old og URL: %d → %q, want %q", moved.Status, moved.Header.Get("Location"), p.media(t).Crops["og"])
		}
		// The list finds it by its caption, in Arabic.
		var found struct{ Data []mediaItem }
		e.do(req{method: "GET", path: "/api/v1/media?q=" + "بيروت", token: writer}).decode(t, &found)
		if len(found.Data) != 1 {
			t.Errorf("search by caption: %d items", len(found.Data))
		}
	})
}

// TestMediaBadInput: every bad upload, edit, file request and delete gets
// a clear 4xx in the error shape, and nothing is stored.
func TestMediaBadInput(t *testing.T) {
	t.Parallel() // each test owns its databases
	storageRun(t, func(t *testing.T, engine store.Engine, storage media.Storage, dir string) {
		lim := media.DefaultLimits
		lim.MaxBytes = 2 << 20
		e := newEnv(t, engine, withStorage(storage, lim))
		tok := e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		good := media.SampleJPEG(800, 600, 2, 1)
		bomb := append([]byte{}, good...)
		i := bytes.Index(bomb, []byte{0xFF, 0xC0})
		bomb[i+5], bomb[i+6], bomb[i+7], bomb[i+8] = 0xEA, 0x60, 0xEA, 0x60 // 60,000×60,000
		for _, c := range []struct {
			name   string
			parts  map[string]string
			status int
			field  string
		}{
			{"truncated", map[string]string{"file": string(good[:len(good)/3])}, 400, ""},
			{"bomb", map[string]string{"file": string(bomb)}, 413, ""},
			{"zip as png", map[string]string{"file": "PK\x03\x04\x14\x00\x00\x00\x08\x00"}, 415, ""},
			{"svg with script", map[string]string{"file": `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`}, 415, ""},
			{"zero bytes", map[string]string{"file": ""}, 400, ""},
			{"too large", map[string]string{"file": string(bytes.Repeat([]byte{0xFF}, 3<<20))}, 413, ""},
			{"no file", map[string]string{"caption": "x", "lang": "en"}, 400, "file"},
			{"alt with html", map[string]string{"file": string(good), "lang": "en", "alt": "<b>port</b>"}, 400, "alt.en"},
			{"focal out of range", map[string]string{"file": string(good), "focal_x": "2", "focal_y": "-1"}, 400, "focal.x"},
			{"caption without lang", map[string]string{"file": string(good), "caption": "x"}, 400, "lang"},
			{"unknown part", map[string]string{"file": string(good), "owner": "me"}, 400, "owner"},
		} {
			r := e.upload(writer, c.parts)
			want(t, r, c.status, codeOf[c.status])
			if c.field != "" && r.fields()[c.field] == "" {
				t.Errorf("%s: fields %v, want %s", c.name, r.fields(), c.field)
			}
		}
		want(t, e.do(req{method: "POST", path: "/api/v1/media", token: writer, body: map[string]string{"file": "x"}}), http.StatusUnsupportedMediaType, "unsupported_media_type")
		want(t, e.upload("", map[string]string{"file": string(good)}), http.StatusUnauthorized, "unauthorized")
		if n := files(t, dir); n != 0 {
			t.Fatalf("%d files kept after refused uploads", n)
		}
		var l struct{ Meta struct{ Total int } }
		e.do(req{method: "GET", path: "/api/v1/media", token: writer}).decode(t, &l)
		if l.Meta.Total != 0 {
			t.Fatalf("%d items after refused uploads", l.Meta.Total)
		}

		r := e.upload(writer, map[string]string{"file": string(good)})
		want(t, r, http.StatusCreated, "")
		m := r.media(t)
		base := "/media/" + m.ID + "/" + strings.Split(m.URL, "/")[3] + "/"
		for path, status := range map[string]int{
			base + "w640.jpg": 200, base + "w641.jpg": 400, base + "w640.png": 400, base + "original.png": 400,
			base + "huge.jpg": 400, "/media/../../etc/passwd": 400, "/media/..%2F..%2Fetc/x/w640.jpg": 400,
			"/media/01JD6Q7R2ZK3WJ5M8N9P0Q1R2M/abc/w640.jpg": 404,
		} {
			if got := e.get(path); got.Status != status {
				t.Errorf("GET %s: %d, want %d", path, got.Status, status)
			}
		}
		for _, c := range []struct {
			body   any
			field  string
			status int
		}{
			{map[string]any{"focal": map[string]float64{"x": 2, "y": -1}}, "focal.x", 400},
			{map[string]any{"alt": map[string]string{"xx-!!": "a"}}, "alt", 400},
			{map[string]any{"caption": map[string]string{"en": "<script>x</script>"}}, "caption.en", 400},
			{map[string]any{"owner": "me"}, "owner", 400},
			{"{", "", 400},
		} {
			r := e.do(req{method: "PATCH", path: "/api/v1/media/" + m.ID, token: writer, body: c.body})
			want(t, r, c.status, codeOf[c.status])
			if c.field != "" && r.fields()[c.field] == "" {
				t.Errorf("PATCH %v: fields %v, want %s", c.body, r.fields(), c.field)
			}
		}
		want(t, e.do(req{method: "PATCH", path: "/api/v1/media/" + m.ID, token: writer, header: map[string]string{"If-Match": `"7"`},
			body: map[string]any{"alt": map[string]string{"en": "x"}}}), http.StatusPreconditionFailed, "precondition_failed")
		other, _ := e.user(content.RoleWriter, "other@example.com")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/media/" + m.ID, token: other, body: map[string]any{"alt": map[string]string{"en": "x"}}}), http.StatusForbidden, "forbidden")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/media/" + m.ID, token: other}), http.StatusForbidden, "forbidden")

		// In use as a cover: 409 naming the article, unless an editor
		// forces it; then the article loses its cover.
		a := e.draft(tok, map[string]any{"title": "With a cover", "cover": map[string]any{"media_id": m.ID}})
		want(t, e.draft2(tok, map[string]any{"cover": map[string]any{"media_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"}}), http.StatusBadRequest, "invalid")
		want(t, e.draft2(tok, map[string]any{"cover": map[string]any{"media_id": m.ID, "url": "https://example.com/a.jpg"}}), http.StatusBadRequest, "invalid")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/authors/levant-desk", token: tok, body: map[string]any{"avatar_media_id": "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"}}), http.StatusBadRequest, "invalid")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/authors/levant-desk", token: tok,
			body: map[string]any{"avatar_media_id": m.ID, "avatar_url": "https://example.com/a.jpg"}}), http.StatusBadRequest, "invalid")
		want(t, e.do(req{method: "PATCH", path: "/api/v1/authors/levant-desk", token: tok, body: map[string]any{"avatar_media_id": m.ID}}), http.StatusOK, "")
		in := e.do(req{method: "DELETE", path: "/api/v1/media/" + m.ID, token: writer})
		want(t, in, http.StatusConflict, "conflict")
		if !strings.Contains(string(in.Body), a.ID) || !strings.Contains(string(in.Body), "author photo") {
			t.Errorf("the conflict does not name the article and the author: %s", in.Body)
		}
		want(t, e.do(req{method: "DELETE", path: "/api/v1/media/" + m.ID + "?force=true", token: writer}), http.StatusForbidden, "forbidden")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/media/" + m.ID + "?force=maybe", token: tok}), http.StatusBadRequest, "invalid")
		want(t, e.do(req{method: "DELETE", path: "/api/v1/media/" + m.ID + "?force=true", token: tok}), http.StatusNoContent, "")
		if n := files(t, dir); n != 0 {
			t.Errorf("%d files left after the delete", n)
		}
		var after struct{ Data struct{ Cover any } }
		e.do(req{method: "GET", path: "/api/v1/articles/" + a.ID, token: tok}).decode(t, &after)
		if after.Data.Cover != nil {
			t.Errorf("the article still shows the deleted cover: %v", after.Data.Cover)
		}
		var desk struct{ Data struct{ Avatar any } }
		e.get("/api/v1/authors/levant-desk").decode(t, &desk)
		if desk.Data.Avatar != nil {
			t.Errorf("the author still shows the deleted photo: %v", desk.Data.Avatar)
		}
		want(t, e.get(base+"w640.jpg"), http.StatusNotFound, "not_found")
	})
}

var codeOf = map[int]string{400: "invalid", 413: "too_large", 415: "unsupported_media_type"}

// draft2 is draft that returns the response, for refusals.
func (e *env) draft2(token string, fields map[string]any) *response {
	body := map[string]any{"title": "Story", "body": "Some text.", "language": "en", "category": "news", "authors": []string{"levant-desk"}}
	for k, v := range fields {
		body[k] = v
	}
	return e.do(req{method: "POST", path: "/api/v1/articles", body: body, token: token})
}

// failing is storage that fails its nth Put: a disk full or a bucket
// unreachable midway through an upload.
type failing struct {
	media.Storage
	n, puts atomic.Int32
}

func (f *failing) Put(ctx context.Context, key string, data []byte) error {
	if f.puts.Add(1) == f.n.Load() {
		return errors.New("storage unavailable")
	}
	return f.Storage.Put(ctx, key, data)
}

// TestMediaStorageFails: an upload whose second file cannot be written
// leaves no file and no row.
func TestMediaStorageFails(t *testing.T) {
	t.Parallel() // each test owns its databases
	storageRun(t, func(t *testing.T, engine store.Engine, storage media.Storage, dir string) {
		st := &failing{Storage: storage}
		st.n.Store(2)
		e := newEnv(t, engine, withStorage(st, media.DefaultLimits))
		e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		r := e.uploadRaw(writer, media.SampleJPEG(640, 480, 1, 1))
		if r.Status < 500 {
			t.Fatalf("upload with failing storage: %d", r.Status)
		}
		var l struct{ Meta struct{ Total int } }
		e.do(req{method: "GET", path: "/api/v1/media", token: writer}).decode(t, &l)
		if n := files(t, dir); n != 0 || l.Meta.Total != 0 {
			t.Errorf("after a failed upload: %d files, %d items", n, l.Meta.Total)
		}
		// The next upload, with storage back, works.
		want(t, e.uploadRaw(writer, media.SampleJPEG(640, 480, 1, 1)), http.StatusCreated, "")
		if n := files(t, dir); n != 2 {
			t.Errorf("%d files for one item, want the original and the master", n)
		}
	})
}

// uploadRaw uploads data without checking the status (a 500 is wanted).
func (e *env) uploadRaw(token string, data []byte) *response {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	f, _ := w.CreateFormFile("file", "photo.jpg")
	f.Write(data)
	w.Close()
	hr, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/media", &b)
	hr.Header.Set("Content-Type", w.FormDataContentType())
	hr.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body := new(bytes.Buffer)
	body.ReadFrom(resp.Body)
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: body.Bytes()}
}

// counting is storage that counts the writes of each key.
type counting struct {
	media.Storage
	mu   sync.Mutex
	puts map[string]int
}

func (c *counting) Put(ctx context.Context, key string, data []byte) error {
	c.mu.Lock()
	c.puts[key]++
	c.mu.Unlock()
	return c.Storage.Put(ctx, key, data)
}

// TestMediaRenditionBurst: a hundred readers asking at once for a
// rendition nobody asked for before get the same bytes, rendered and
// stored once; a PNG sent under a .jpg name is kept as the PNG it is.
func TestMediaRenditionBurst(t *testing.T) {
	t.Parallel() // each test owns its databases
	storageRun(t, func(t *testing.T, engine store.Engine, storage media.Storage, _ string) {
		st := &counting{Storage: storage, puts: map[string]int{}}
		e := newEnv(t, engine, withStorage(st, media.DefaultLimits))
		e.newsroom()
		writer, _ := e.user(content.RoleWriter, "writer@example.com")
		var png bytes.Buffer
		if err := pngEncode(&png); err != nil {
			t.Fatal(err)
		}
		r := e.upload(writer, map[string]string{"file": png.String()}) // sent as photo.jpg
		want(t, r, http.StatusCreated, "")
		var item struct {
			Data struct {
				Type  string
				URL   string
				Crops map[string]string
			}
		}
		r.decode(t, &item)
		if item.Data.Type != "image/png" || !strings.HasSuffix(item.Data.URL, "/original.png") || !strings.HasSuffix(item.Data.Crops["og"], "/og.png") {
			t.Fatalf("a PNG named .jpg: %+v", item.Data)
		}
		const readers = 100
		var wg sync.WaitGroup
		sums := make(chan string, readers)
		for range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := http.Get(e.srv.URL + item.Data.Crops["og"])
				if err != nil {
					sums <- err.Error()
					return
				}
				defer resp.Body.Close()
				b := new(bytes.Buffer)
				b.ReadFrom(resp.Body)
				sums <- fmt.Sprintf("%d %x", resp.StatusCode, sha256.Sum256(b.Bytes()))
			}()
		}
		wg.Wait()
		close(sums)
		seen := map[string]int{}
		for s := range sums {
			seen[s]++
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		renders := 0
		for k, n := range st.puts {
			if strings.HasSuffix(k, "/og.png") {
				renders += n
			}
		}
		if len(seen) != 1 || renders != 1 {
			t.Errorf("%d readers: answers %v, %d renders stored", readers, seen, renders)
		}
	})
}

// pngEncode writes a sample picture with transparency as PNG.
func pngEncode(w *bytes.Buffer) error {
	img := media.Sample(900, 600, 3)
	for i := 3; i < len(img.Pix); i += 40 {
		img.Pix[i] = 100
	}
	return png.Encode(w, img)
}
