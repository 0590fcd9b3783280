package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"strconv"
	"strings"
)

// Renditions are an allow-listed set: nobody can make the server render
// arbitrary sizes.
var (
	// Widths are the responsive widths, in pixels; never wider than the
	// original.
	Widths = []int{320, 640, 960, 1280, 1920}
	// Crops are named cuts of a fixed size, around the focal point: og
	// for Open Graph cards, and the 16:9, 4:3 and 1:1 images Google asks
	// of news articles.
	Crops = map[string]image.Point{"og": {1200, 630}, "16x9": {1280, 720}, "4x3": {1200, 900}, "square": {1080, 1080}}
)

// Variant is one rendition: a width, or a crop.
type Variant struct {
	Name  string // "w640", "og", …
	Width int    // a width variant's
	Crop  image.Point
}

// ParseVariant reads a variant's name; false for any other.
func ParseVariant(name string) (Variant, bool) {
	if c, ok := Crops[name]; ok {
		return Variant{Name: name, Crop: c}, true
	}
	if w, err := strconv.Atoi(strings.TrimPrefix(name, "w")); err == nil && strings.HasPrefix(name, "w") {
		for _, allowed := range Widths {
			if w == allowed && name == "w"+strconv.Itoa(w) {
				return Variant{Name: name, Width: w}, true
			}
		}
	}
	return Variant{}, false
}

// Focal is the point of an image a crop keeps, x and y in 0–1 from the
// top left.
type Focal struct{ X, Y float64 }

// Center is the focal point until an editor sets one.
var Center = Focal{0.5, 0.5}

// Version names what renditions are made from: the image and the focal
// point. It is in every rendition's URL, so a URL's bytes never change
// and can be cached forever.
func Version(hash string, f Focal) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %.4f %.4f", hash, f.X, f.Y))
	return hex.EncodeToString(sum[:5])
}

// RenditionExt is the extension of an image's renditions.
func RenditionExt(alpha bool) string {
	if alpha {
		return "png"
	}
	return "jpg"
}

// Size is the size v renders an image of w×h at: a width variant keeps
// the aspect ratio and never enlarges; a crop is its size, or smaller in
// the same shape when the image is.
func (v Variant) Size(w, h int) image.Point {
	if v.Width > 0 {
		if w <= v.Width {
			return image.Pt(w, h)
		}
		return image.Pt(v.Width, max(1, int(math.Round(float64(h)*float64(v.Width)/float64(w)))))
	}
	r := cropRect(w, h, v.Crop, Center)
	if r.Dx() < v.Crop.X {
		return r.Size()
	}
	return v.Crop
}

// cropRect is the largest rectangle of the crop's shape in a w×h image,
// centred on the focal point as far as the edges allow.
func cropRect(w, h int, shape image.Point, f Focal) image.Rectangle {
	cw, ch := w, int(math.Round(float64(w)*float64(shape.Y)/float64(shape.X)))
	if ch > h {
		cw, ch = int(math.Round(float64(h)*float64(shape.X)/float64(shape.Y))), h
	}
	cw, ch = max(1, cw), max(1, ch)
	x := int(math.Round(f.X*float64(w))) - cw/2
	y := int(math.Round(f.Y*float64(h))) - ch/2
	x, y = min(max(0, x), w-cw), min(max(0, y), h-ch)
	return image.Rect(x, y, x+cw, y+ch)
}

// Render makes v of the master image (as Prepare made it), encoded as
// RenditionExt says.
func Render(master []byte, alpha bool, v Variant, f Focal) ([]byte, error) {
	var img image.Image
	var err error
	if alpha {
		img, err = png.Decode(bytes.NewReader(master))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(master))
	}
	if err != nil {
		return nil, fmt.Errorf("decode master: %w", err)
	}
	b := img.Bounds()
	src := b
	if v.Width == 0 {
		src = cropRect(b.Dx(), b.Dy(), v.Crop, f).Add(b.Min)
	}
	size := v.Size(b.Dx(), b.Dy())
	if v.Width == 0 && src.Dx() < v.Crop.X {
		size = src.Size()
	}
	return encode(scale(img, src, size), alpha, 82)
}

// Source is a width rendition as a srcset lists it.
type Source struct {
	Variant string
	Width   int // the rendition's real width
}

// Srcset lists the width renditions of an image w pixels wide: each
// allowed width below w, and the next one up, rendered at w.
func Srcset(w int) []Source {
	var out []Source
	for _, allowed := range Widths {
		if allowed < w {
			out = append(out, Source{"w" + strconv.Itoa(allowed), allowed})
			continue
		}
		out = append(out, Source{"w" + strconv.Itoa(allowed), w})
		break
	}
	return out
}
