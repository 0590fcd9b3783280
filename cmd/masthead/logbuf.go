package main

import (
	"io"
	"sync"
	"time"
)

// logBuffer batches the access log's lines into few writes. A server
// answering thousands of cached reads a second logs each, and one write
// per line was a system call per request (5 % of a cached read's time);
// here a line waits at most flushEvery, or until 64 KB are pending.
// Other lines go through Now, which writes at once (after what waits,
// so the order holds).
type logBuffer struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
}

const flushEvery = 100 * time.Millisecond

func newLogBuffer(w io.Writer) *logBuffer { return &logBuffer{w: w} }

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	switch {
	case len(b.buf) >= 64<<10:
		b.flush()
	case b.timer == nil:
		b.timer = time.AfterFunc(flushEvery, b.Flush)
	}
	return len(p), nil
}

// Flush writes what is pending; serve calls it last.
func (b *logBuffer) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flush()
}

func (b *logBuffer) flush() {
	if len(b.buf) > 0 {
		_, _ = b.w.Write(b.buf)
		b.buf = b.buf[:0]
	}
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
}

// Now is a writer onto the same output that does not wait.
func (b *logBuffer) Now() io.Writer { return nowWriter{b} }

type nowWriter struct{ b *logBuffer }

func (w nowWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	w.b.buf = append(w.b.buf, p...)
	w.b.flush()
	return len(p), nil
}
