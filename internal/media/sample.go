package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// Sample draws a w×h picture (sky, sea, a sun placed by seed): the demo
// newsroom's images, and the tests'. It is made of gradients and shapes,
// as photos are, so it compresses as they do.
func Sample(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	hue := float64(seed%7) / 7
	sx, sy := float64((seed*37)%100)/100*float64(w), float64(h)/3
	r := float64(min(w, h)) / 8
	for y := range h {
		fy := float64(y) / float64(h)
		for x := range w {
			var c color.RGBA
			if fy < 0.6 { // sky
				c = color.RGBA{uint8(90 + 100*fy + 40*hue), uint8(140 + 80*fy), uint8(220 - 60*hue), 255}
			} else { // sea, with waves
				wave := 12 * math.Sin(float64(x)/17+fy*40)
				c = color.RGBA{uint8(20 + wave), uint8(70 + 60*(1-fy) + wave), uint8(120 + 40*hue + wave), 255}
			}
			if dx, dy := float64(x)-sx, float64(y)-sy; dx*dx+dy*dy < r*r {
				c = color.RGBA{250, uint8(200 - 80*hue), 60, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// SampleJPEG is Sample as a JPEG that carries what a phone writes: an EXIF
// block with the orientation and a GPS position, and an XMP packet.
func SampleJPEG(w, h, seed, orientation int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, Sample(w, h, seed), &jpeg.Options{Quality: 85})
	enc := b.Bytes()
	out := append([]byte{}, enc[:2]...) // SOI
	out = append(out, segment(0xE1, exifBlock(orientation))...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>33,53.6N</exif:GPSLatitude></x:xmpmeta>"))...)
	return append(out, enc[2:]...)
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// exifBlock is "Exif\0\0" and a little-endian TIFF with IFD0 holding the
// orientation and a GPS IFD holding a latitude reference and the words
// GPS-SECRET, which a test looks for in served files.
func exifBlock(orientation int) []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00\x08\x00\x00\x00")
	entry := func(tag, typ uint16, count, value uint32) []byte {
		e := make([]byte, 12)
		le.PutUint16(e, tag)
		le.PutUint16(e[2:], typ)
		le.PutUint32(e[4:], count)
		le.PutUint32(e[8:], value)
		return e
	}
	// IFD0 at 8: two entries, then the next-IFD offset; the GPS IFD
	// follows at 8+2+24+4 = 38.
	t = append(t, 2, 0)
	t = append(t, entry(0x0112, 3, 1, uint32(orientation))...)
	t = append(t, entry(0x8825, 4, 1, 38)...)
	t = append(t, 0, 0, 0, 0)
	// GPS IFD: GPSLatitudeRef "N", and a text at 56.
	t = append(t, 2, 0)
	t = append(t, entry(0x0001, 2, 2, 'N')...)
	t = append(t, entry(0x001B, 7, 10, 56)...)
	t = append(t, 0, 0, 0, 0)
	t = append(t, []byte("GPS-SECRET")...)
	return append([]byte("Exif\x00\x00"), t...)
}
