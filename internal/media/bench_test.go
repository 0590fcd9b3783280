package media

import (
	"bytes"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// peakHeap runs fn and returns the most heap it held at once beyond what
// was live before, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak - min(peak, before.HeapAlloc)
}

// grainy is a 24-megapixel photo as a camera writes it: Sample with
// sensor grain, so it weighs what a real one does (about 10 MB at
// quality 85), and an EXIF block with orientation o.
func grainy(o int) []byte {
	img := Sample(6000, 4000, 7)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(min(255, max(0, int(img.Pix[i])+rng.IntN(41)-20)))
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	out := append([]byte{}, b.Bytes()[:2]...) // SOI
	out = append(out, segment(0xE1, exifBlock(o))...)
	return append(out, b.Bytes()[2:]...)
}

// TestWriteGrainy writes a grainy 24-megapixel photo to the file named by
// MASTHEAD_GRAINY, for measuring an upload through the API by hand.
func TestWriteGrainy(t *testing.T) {
	if p := os.Getenv("MASTHEAD_GRAINY"); p != "" {
		if err := os.WriteFile(p, grainy(6), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkPrepare24MP is an upload of a 24-megapixel phone photo
// (6000×4000), taken upright (EXIF orientation 1) or on its side (6).
func BenchmarkPrepare24MP(b *testing.B) {
	for _, o := range []int{1, 6} {
		data := grainy(o)
		b.Run(map[int]string{1: "upright", 6: "turned"}[o], func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					if _, err := Prepare(data, DefaultLimits); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
		})
	}
}

// BenchmarkRender is a rendition's first request: the master (2560 wide)
// decoded, cut, scaled and encoded.
func BenchmarkRender(b *testing.B) {
	u, err := Prepare(grainy(1), DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"w320", "w1280", "w1920", "og", "square"} {
		v, _ := ParseVariant(name)
		b.Run(name, func(b *testing.B) {
			var n int
			for b.Loop() {
				out, err := Render(u.Master, false, v, Center)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n)/1024, "KB")
		})
	}
}
