package media

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Metadata leaves with the bytes that carry it: GPS coordinates in a
// phone photo can expose a source. These functions copy an encoded file
// without its metadata and without re-encoding the pixels.

var errCorrupt = errors.New("the file is truncated or corrupt")

// stripJPEG drops EXIF and XMP (APP1), IPTC (APP13), comments and every
// other application segment except JFIF (APP0), an ICC colour profile
// (APP2) and Adobe's colour transform (APP14), which decoders need.
func stripJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errCorrupt
	}
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	for i := 2; ; {
		if i+4 > len(b) || b[i] != 0xFF {
			return nil, errCorrupt
		}
		marker := b[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errCorrupt
		}
		seg := b[i : i+2+n]
		if marker == 0xDA { // start of scan: the rest is image data
			return append(out, b[i:]...), nil
		}
		if keepSegment(marker, seg[4:]) {
			out = append(out, seg...)
		}
		i += 2 + n
	}
}

func keepSegment(marker byte, payload []byte) bool {
	switch {
	case marker == 0xE0:
		return true
	case marker == 0xE2:
		return bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case marker == 0xEE:
		return bytes.HasPrefix(payload, []byte("Adobe"))
	case marker >= 0xE1 && marker <= 0xEF, marker == 0xFE:
		return false
	}
	return true // tables, frame headers, restart intervals
}

// jpegOrientation reads the EXIF orientation (1–8; 1 when absent).
func jpegOrientation(b []byte) int {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker == 0xDA || n < 2 || i+2+n > len(b) {
			break
		}
		if p := b[i+4 : i+2+n]; marker == 0xE1 && bytes.HasPrefix(p, []byte("Exif\x00\x00")) {
			return exifOrientation(p[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation finds tag 0x0112 in IFD0 of a TIFF block.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[off:]))
	for k := range count {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// stripWebP drops the EXIF and XMP chunks of a RIFF WebP and clears
// their flags in the VP8X header.
func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, errCorrupt
	}
	out := append(make([]byte, 0, len(b)), b[:12]...)
	for i := 12; i < len(b); {
		if i+8 > len(b) {
			return nil, errCorrupt
		}
		fourcc, n := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + n + n%2 // chunks are padded to an even length
		if n < 0 || end > len(b) {
			if end == len(b)+1 && n%2 == 1 { // a missing last pad byte
				end = len(b)
			} else {
				return nil, errCorrupt
			}
		}
		switch fourcc {
		case "EXIF", "XMP ":
		case "VP8X":
			c := append([]byte(nil), b[i:end]...)
			if len(c) > 8 {
				c[8] &^= 0x08 | 0x04 // EXIF and XMP present
			}
			out = append(out, c...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
