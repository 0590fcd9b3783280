package media

import (
	"bytes"
	"encoding/base64"
	"image/gif"
	"image/png"
	"testing"

	"github.com/masthead/masthead/internal/content"
)

// FuzzPrepare: no upload, however malformed, panics or is answered with
// anything but a client error; what is kept holds none of the metadata.
func FuzzPrepare(f *testing.F) {
	f.Add(SampleJPEG(64, 48, 1, 6))
	var p bytes.Buffer
	png.Encode(&p, Sample(40, 30, 2))
	f.Add(p.Bytes())
	var g bytes.Buffer
	gif.Encode(&g, Sample(20, 20, 3), nil)
	f.Add(g.Bytes())
	webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	f.Add(webp)
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 4096}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := Prepare(data, lim)
		if err != nil {
			switch content.ErrorCode(err) {
			case content.EINVALID, content.ETOOLARGE, content.EUNSUPPORTEDMEDIA:
			default:
				t.Fatalf("not a client error: %v", err)
			}
			return
		}
		if u.Width <= 0 || u.Height <= 0 || len(u.Master) == 0 || len(u.Hash) != 64 {
			t.Fatalf("upload %d×%d, master %d bytes", u.Width, u.Height, len(u.Master))
		}
		if u.Type == "image/jpeg" && bytes.Contains(u.Original, []byte("Exif\x00\x00")) {
			t.Fatal("EXIF kept")
		}
	})
}
