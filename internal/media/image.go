// Package media turns uploaded images into what pages need: the original
// without metadata, upright, with its size, a dominant colour and a
// BlurHash placeholder; and, on request, renditions of allow-listed
// widths and crops cut around a focal point. Pure Go: the standard
// decoders, golang.org/x/image for WebP and scaling.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/buckket/go-blurhash"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/masthead/masthead/internal/content"
)

// Limits bound what an upload may be, checked before decoding: a 60 KB
// file may declare 60,000×60,000 pixels (14 GB decoded).
type Limits struct {
	MaxBytes  int64 // MASTHEAD_MEDIA_MAX_MB
	MaxPixels int   // width × height
	MaxSide   int   // either side
}

// DefaultLimits take any camera's photo (a 24-megapixel one is 6000×4000).
var DefaultLimits = Limits{MaxBytes: 20 << 20, MaxPixels: 60_000_000, MaxSide: 20_000}

// Types accepted, by MIME type, with the extension their files get.
var Types = map[string]string{"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}

// Upload is an image ready to keep.
type Upload struct {
	// Original is what was sent, without its metadata and turned upright
	// (re-encoded only when it had to be turned, or was PNG or GIF).
	Original      []byte
	Type, Ext     string
	Width, Height int
	Hash          string // SHA-256 of Original: equal uploads are one item
	Color         string // dominant, #rrggbb
	Placeholder   string // BlurHash, 4×3 components
	Alpha         bool   // renditions are PNG, not JPEG
	// Master is the upright image at most MasterSide a side, the source of
	// every rendition: decoding it costs a fraction of the original's.
	Master []byte
}

// MasterSide bounds the master: the widest rendition is 1920.
const MasterSide = 2560

// Sniff names the type of data from its first bytes: the name and
// Content-Type a client sends are not trusted.
func Sniff(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif", nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp", nil
	case len(data) == 0:
		return "", content.Errorf(content.EINVALID, "The file is empty.")
	case isSVG(data):
		return "", content.Errorf(content.EUNSUPPORTEDMEDIA, "SVG images are refused: they can carry scripts. Upload JPEG, PNG, WebP or GIF.")
	}
	return "", content.Errorf(content.EUNSUPPORTEDMEDIA, "The file is not a JPEG, PNG, WebP or GIF image.")
}

func isSVG(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 1024)])
	return bytes.Contains(head, []byte("<svg"))
}

// Prepare checks and processes an upload. Errors are content errors: 413
// for bytes or pixels past the limits, 415 for a type not taken, 400 for
// a file that does not decode.
func Prepare(data []byte, lim Limits) (*Upload, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, content.Errorf(content.ETOOLARGE, "The file is larger than %d MB.", lim.MaxBytes>>20)
	}
	typ, err := Sniff(data)
	if err != nil {
		return nil, err
	}
	// The header first: the pixels are only decoded within the limits.
	cfg, err := decodeConfig(typ, data)
	if err != nil {
		return nil, corrupt(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, content.Errorf(content.EINVALID, "The image has no pixels.")
	}
	if cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide || cfg.Width*cfg.Height > lim.MaxPixels {
		return nil, content.Errorf(content.ETOOLARGE, "The image is %d×%d pixels; at most %d megapixels and %d pixels a side are taken.",
			cfg.Width, cfg.Height, lim.MaxPixels/1_000_000, lim.MaxSide)
	}
	u := &Upload{Type: typ, Ext: Types[typ]}
	var img image.Image
	switch typ {
	case "image/jpeg":
		if img, err = jpeg.Decode(bytes.NewReader(data)); err != nil {
			return nil, corrupt(err)
		}
		if o := jpegOrientation(data); o != 1 {
			img = orient(img, o)
			u.Original, err = encodeJPEG(img, 90)
		} else {
			u.Original, err = stripJPEG(data)
		}
	case "image/png":
		if img, err = png.Decode(bytes.NewReader(data)); err != nil {
			return nil, corrupt(err)
		}
		u.Original, err = encodePNG(img) // chunks of text, time and EXIF stay behind
	case "image/gif":
		var g *gif.GIF
		if g, err = gif.DecodeAll(bytes.NewReader(data)); err != nil {
			return nil, corrupt(err)
		}
		img = g.Image[0] // renditions show the first frame
		var b bytes.Buffer
		err = gif.EncodeAll(&b, g) // every frame; comments and XMP stay behind
		u.Original = b.Bytes()
	case "image/webp":
		if img, err = webp.Decode(bytes.NewReader(data)); err != nil {
			return nil, corrupt(err)
		}
		u.Original, err = stripWebP(data)
	}
	if err != nil {
		return nil, corrupt(err)
	}
	b := img.Bounds()
	u.Width, u.Height = b.Dx(), b.Dy()
	u.Alpha = !opaque(img)
	sum := sha256.Sum256(u.Original)
	u.Hash = hex.EncodeToString(sum[:])

	master := img
	if max(u.Width, u.Height) > MasterSide {
		master = scale(img, img.Bounds(), fit(u.Width, u.Height, MasterSide))
	}
	if u.Master, err = encode(master, u.Alpha, 90); err != nil {
		return nil, err
	}
	thumb := scale(master, master.Bounds(), fit(u.Width, u.Height, 32))
	u.Color = dominant(thumb)
	if u.Placeholder, err = blurhash.Encode(4, 3, thumb); err != nil {
		return nil, fmt.Errorf("placeholder: %w", err)
	}
	return u, nil
}

func decodeConfig(typ string, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch typ {
	case "image/jpeg":
		return jpeg.DecodeConfig(r)
	case "image/png":
		return png.DecodeConfig(r)
	case "image/gif":
		return gif.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}

func corrupt(err error) error {
	return content.Errorf(content.EINVALID, "The image could not be read: %v.", err)
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// fit is the size of a w×h image scaled down to at most side a side.
func fit(w, h, side int) image.Point {
	if w <= side && h <= side {
		return image.Pt(w, h)
	}
	if w >= h {
		return image.Pt(side, max(1, h*side/w))
	}
	return image.Pt(max(1, w*side/h), side)
}

// scale draws the part r of src at size. A whole factor is taken first by
// averaging blocks of pixels (reduce); what is left, less than 2×, by
// Catmull-Rom (sharp, without Lanczos's ringing) when its buffer is small,
// else bilinearly: x/image/draw's kernels hold 32 bytes per pixel of
// the target's width times the source's height (330 MB for a 2560-wide
// master of a 24-megapixel photo).
func scale(src image.Image, r image.Rectangle, size image.Point) *image.NRGBA {
	if k := min(r.Dx()/size.X, r.Dy()/size.Y); k >= 2 {
		src = reduce(src, r, k)
		r = src.Bounds()
	}
	dst := image.NewNRGBA(image.Rectangle{Max: size})
	switch {
	case r.Size() == size:
		draw.Draw(dst, dst.Bounds(), src, r.Min, draw.Src)
	case size.X*r.Dy() <= 512<<10: // 16 MB of buffer
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, r, draw.Src, nil)
	default:
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, r, draw.Src, nil)
	}
	return dst
}

// reduce shrinks the part r of src k times by averaging each k×k block:
// area averaging, which loses no detail to aliasing, in one pass over the
// source with no buffer beyond the result.
func reduce(src image.Image, r image.Rectangle, k int) *image.NRGBA {
	w, h := r.Dx()/k, r.Dy()/k
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	row := make([]uint8, 4*w*k)
	sums := make([]uint32, 4*w)
	n := uint32(k * k)
	for dy := range h {
		clear(sums)
		for yy := range k {
			pixels(src, r.Min.X, r.Min.Y+dy*k+yy, w*k, row)
			for x := range w * k {
				s, p := sums[4*(x/k):], row[4*x:]
				s[0], s[1], s[2], s[3] = s[0]+uint32(p[0]), s[1]+uint32(p[1]), s[2]+uint32(p[2]), s[3]+uint32(p[3])
			}
		}
		out := dst.Pix[dy*dst.Stride:]
		for i, v := range sums {
			out[i] = uint8((v + n/2) / n)
		}
	}
	return dst
}

// pixels reads n pixels of row y from x0 into buf as non-premultiplied
// RGBA, without an interface call per pixel for the decoders' types.
func pixels(src image.Image, x0, y, n int, buf []uint8) {
	switch m := src.(type) {
	case *image.YCbCr:
		for i := range n {
			yi, ci := m.YOffset(x0+i, y), m.COffset(x0+i, y)
			buf[4*i], buf[4*i+1], buf[4*i+2] = color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			buf[4*i+3] = 255
		}
	case *image.NRGBA:
		copy(buf[:4*n], m.Pix[m.PixOffset(x0, y):])
	default:
		for i := range n {
			c := color.NRGBAModel.Convert(src.At(x0+i, y)).(color.NRGBA)
			buf[4*i], buf[4*i+1], buf[4*i+2], buf[4*i+3] = c.R, c.G, c.B, c.A
		}
	}
}

func encode(img image.Image, alpha bool, quality int) ([]byte, error) {
	if alpha {
		return encodePNG(img)
	}
	return encodeJPEG(img, quality)
}

func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality})
	return b.Bytes(), err
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img)
	return b.Bytes(), err
}

// dominant is the mean of the most common colour bucket (4 bits a
// channel) among the opaque pixels of a thumbnail: a background a page
// can paint before the image arrives.
func dominant(img *image.NRGBA) string {
	type sum struct{ r, g, b, n int }
	buckets := map[int]*sum{}
	var best *sum
	for i := 0; i+3 < len(img.Pix); i += 4 {
		p := img.Pix[i : i+4]
		if p[3] < 128 {
			continue
		}
		k := int(p[0]>>4)<<8 | int(p[1]>>4)<<4 | int(p[2]>>4)
		s := buckets[k]
		if s == nil {
			s = &sum{}
			buckets[k] = s
		}
		s.r, s.g, s.b, s.n = s.r+int(p[0]), s.g+int(p[1]), s.b+int(p[2]), s.n+1
		if best == nil || s.n > best.n {
			best = s
		}
	}
	if best == nil {
		return "#ffffff"
	}
	c := color.RGBA{uint8(best.r / best.n), uint8(best.g / best.n), uint8(best.b / best.n), 255}
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// orient turns img upright by its EXIF orientation (2–8). A JPEG
// decodes to YCbCr: its planes are turned as they are, which costs a
// fraction of the memory of a copy in RGBA (36 MB, not 96, at 24 MP).
func orient(img image.Image, o int) image.Image {
	if m, ok := img.(*image.YCbCr); ok {
		if out, ok := orientYCbCr(m, o); ok {
			return out
		}
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			dx, dy := orientPoint(x, y, w, h, o)
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}

// orientPoint is where pixel (x, y) of a w×h image goes.
func orientPoint(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

// turned is the chroma subsampling of a YCbCr image after a quarter
// turn: horizontal becomes vertical.
var turned = map[image.YCbCrSubsampleRatio]image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444: image.YCbCrSubsampleRatio444,
	image.YCbCrSubsampleRatio420: image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio422: image.YCbCrSubsampleRatio440,
	image.YCbCrSubsampleRatio440: image.YCbCrSubsampleRatio422,
}

func orientYCbCr(m *image.YCbCr, o int) (*image.YCbCr, bool) {
	ratio := m.SubsampleRatio
	if o >= 5 {
		var ok bool
		if ratio, ok = turned[ratio]; !ok {
			return nil, false
		}
	} else if _, ok := turned[ratio]; !ok {
		return nil, false
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	out := image.NewYCbCr(image.Rect(0, 0, dw, dh), ratio)
	orientPlane(out.Y, out.YStride, m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, w, h, o)
	cw, ch := chromaSize(m.SubsampleRatio, w, h)
	off := m.COffset(b.Min.X, b.Min.Y)
	orientPlane(out.Cb, out.CStride, m.Cb[off:], m.CStride, cw, ch, o)
	orientPlane(out.Cr, out.CStride, m.Cr[off:], m.CStride, cw, ch, o)
	return out, true
}

func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	}
	return w, h
}

// orientPlane writes the w×h plane src, turned, into dst.
func orientPlane(dst []byte, dstride int, src []byte, stride, w, h, o int) {
	for y := range h {
		row := src[y*stride : y*stride+w]
		for x, v := range row {
			dx, dy := orientPoint(x, y, w, h, o)
			dst[dy*dstride+dx] = v
		}
	}
}
