package media

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
)

// metadataMarks are what SampleJPEG hides in its EXIF and XMP blocks.
var metadataMarks = []string{"Exif", "GPS-SECRET", "GPSLatitude", "ns.adobe.com/xap"}

func noMetadata(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, m := range metadataMarks {
		if bytes.Contains(b, []byte(m)) {
			t.Errorf("%s still holds %q", what, m)
		}
	}
}

func TestPrepareJPEG(t *testing.T) {
	for _, o := range []int{1, 6} {
		data := SampleJPEG(1200, 800, 3, o)
		if !bytes.Contains(data, []byte("GPS-SECRET")) || jpegOrientation(data) != o {
			t.Fatal("the sample carries no EXIF")
		}
		u, err := Prepare(data, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		w, h := 1200, 800
		if o == 6 { // turned a quarter: upright, it is taller than wide
			w, h = 800, 1200
		}
		if u.Type != "image/jpeg" || u.Ext != "jpg" || u.Width != w || u.Height != h || u.Alpha {
			t.Errorf("orientation %d: %s %s %d×%d alpha %v", o, u.Type, u.Ext, u.Width, u.Height, u.Alpha)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(u.Original))
		if err != nil || cfg.Width != w || cfg.Height != h {
			t.Errorf("orientation %d: original %v %d×%d", o, err, cfg.Width, cfg.Height)
		}
		noMetadata(t, "the original", u.Original)
		noMetadata(t, "the master", u.Master)
		if len(u.Hash) != 64 || !strings.HasPrefix(u.Color, "#") || len(u.Color) != 7 || len(u.Placeholder) < 20 {
			t.Errorf("hash %q color %q placeholder %q", u.Hash, u.Color, u.Placeholder)
		}
	}
	// Stripping without turning loses no pixel: the scan is copied.
	data := SampleJPEG(320, 200, 1, 1)
	u, _ := Prepare(data, DefaultLimits)
	if i := bytes.Index(data, []byte{0xFF, 0xDA}); !bytes.HasSuffix(u.Original, data[i:]) {
		t.Error("the stripped original's image data differs")
	}
}

func TestPrepareOtherTypes(t *testing.T) {
	var pb bytes.Buffer
	png.Encode(&pb, Sample(300, 200, 2))
	// A text chunk with a position in it, before IDAT.
	p := pb.Bytes()
	chunk := []byte("\x00\x00\x00\x0etEXtGPS-SECRET\x0033N")
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	withText := append(append(append([]byte{}, p[:33]...), chunk...), p[33:]...)
	u, err := Prepare(withText, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != "image/png" || u.Width != 300 {
		t.Errorf("png: %s %d", u.Type, u.Width)
	}
	noMetadata(t, "the png original", u.Original)

	// The smallest lossless WebP, with an EXIF chunk added.
	webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	exif := append([]byte("EXIF\x0a\x00\x00\x00"), []byte("GPS-SECRET")...)
	ww := append(append([]byte{}, webp...), exif...)
	binary.LittleEndian.PutUint32(ww[4:], uint32(len(ww)-8))
	u, err = Prepare(ww, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if u.Type != "image/webp" || u.Width != 1 || bytes.Contains(u.Original, []byte("GPS-SECRET")) || len(u.Original) != len(webp) {
		t.Errorf("webp: %s %d, %d bytes", u.Type, u.Width, len(u.Original))
	}
}

// TestPrepareBadInput: each bad file gets its own clear refusal.
func TestPrepareBadInput(t *testing.T) {
	good := SampleJPEG(400, 300, 1, 1)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	f, _ := zw.Create("a.txt")
	f.Write([]byte("hello"))
	zw.Close()
	// A JPEG whose frame header claims 60,000×60,000 pixels.
	bomb := append([]byte{}, good...)
	i := bytes.Index(bomb, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(bomb[i+5:], 60000)
	binary.BigEndian.PutUint16(bomb[i+7:], 60000)
	small := DefaultLimits
	small.MaxBytes = 1000
	for _, c := range []struct {
		name string
		data []byte
		lim  Limits
		code string
	}{
		{"empty", nil, DefaultLimits, content.EINVALID},
		{"truncated", good[:len(good)/2], DefaultLimits, content.EINVALID},
		{"bomb", bomb, DefaultLimits, content.ETOOLARGE},
		{"zip", zb.Bytes(), DefaultLimits, content.EUNSUPPORTEDMEDIA},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), DefaultLimits, content.EUNSUPPORTEDMEDIA},
		{"text", []byte("just some text"), DefaultLimits, content.EUNSUPPORTEDMEDIA},
		{"too many bytes", good, small, content.ETOOLARGE},
		{"webp header only", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), DefaultLimits, content.EINVALID},
	} {
		_, err := Prepare(c.data, c.lim)
		if got := content.ErrorCode(err); got != c.code {
			t.Errorf("%s: %v (%s), want %s", c.name, err, got, c.code)
		}
	}
}

func TestVariants(t *testing.T) {
	for name, ok := range map[string]bool{"w320": true, "w1920": true, "og": true, "square": true, "16x9": true,
		"w321": false, "w0640": false, "w": false, "original": false, "../../etc/passwd": false, "W640": false} {
		if _, got := ParseVariant(name); got != ok {
			t.Errorf("%s: %v", name, got)
		}
	}
	for _, c := range []struct {
		w    int
		want []Source
	}{
		{6000, []Source{{"w320", 320}, {"w640", 640}, {"w960", 960}, {"w1280", 1280}, {"w1920", 1920}}},
		{1000, []Source{{"w320", 320}, {"w640", 640}, {"w960", 960}, {"w1280", 1000}}},
		{640, []Source{{"w320", 320}, {"w640", 640}}},
		{100, []Source{{"w320", 100}}},
	} {
		if got := Srcset(c.w); !equal(got, c.want) {
			t.Errorf("srcset of %d: %v", c.w, got)
		}
	}
	// A crop keeps the focal point as far as the edges allow.
	for _, c := range []struct {
		f    Focal
		want image.Rectangle
	}{
		{Center, image.Rect(0, 0, 1000, 1000).Add(image.Pt(500, 0))},
		{Focal{0, 0.5}, image.Rect(0, 0, 1000, 1000)},
		{Focal{1, 1}, image.Rect(1000, 0, 2000, 1000)},
		{Focal{0.3, 0.5}, image.Rect(100, 0, 1100, 1000)},
	} {
		if got := cropRect(2000, 1000, image.Pt(1080, 1080), c.f); got != c.want {
			t.Errorf("square of 2000×1000 at %v: %v, want %v", c.f, got, c.want)
		}
	}
	if a, b := Version("h", Center), Version("h", Focal{0.3, 0.5}); a == b || len(a) != 10 {
		t.Errorf("versions %q %q", a, b)
	}
}

func equal(a, b []Source) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRender(t *testing.T) {
	u, err := Prepare(SampleJPEG(3000, 2000, 4, 1), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]image.Point{"og": {1200, 630}, "w640": {640, 427}, "square": {1080, 1080}, "w1920": {1920, 1280}} {
		v, _ := ParseVariant(name)
		b, err := Render(u.Master, false, v, Focal{0.2, 0.3})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != want.X || cfg.Height != want.Y {
			t.Errorf("%s: %v %d×%d, want %v", name, err, cfg.Width, cfg.Height, want)
		}
	}
}
