// Package cache is a size-bounded LRU map whose fills run once per key:
// when a thousand readers miss the same key at once, one fills it and
// the rest wait for that fill. The server keeps finished reader answers
// in it.
package cache

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// Cache maps keys to values of a known size in bytes, dropping the least
// recently used past its budget. It is safe for concurrent use.
type Cache[V any] struct {
	max int64 // bytes; 0 turns the cache off

	mu      sync.Mutex
	used    int64
	order   *list.List // front: most recently used
	items   map[string]*list.Element
	filling map[string]*fill[V]

	hits, misses, evictions atomic.Int64
}

type item[V any] struct {
	key  string
	val  V
	size int64
}

type fill[V any] struct {
	done chan struct{}
	val  V
	ok   bool
}

// New returns a cache holding up to maxBytes; 0 holds nothing.
func New[V any](maxBytes int64) *Cache[V] {
	return &Cache[V]{max: maxBytes, order: list.New(), items: map[string]*list.Element{}, filling: map[string]*fill[V]{}}
}

// Enabled reports whether the cache holds anything at all.
func (c *Cache[V]) Enabled() bool { return c.max > 0 }

// Get returns the value under key if it is there and fresh says it
// still holds; a value that does not is dropped.
func (c *Cache[V]) Get(key string, fresh func(V) bool) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	it := el.Value.(*item[V])
	if !fresh(it.val) {
		c.remove(el)
		return zero, false
	}
	c.order.MoveToFront(el)
	return it.val, true
}

// Fill computes the value of key with fn, once however many callers ask
// at the same time: the others wait and share its result. A value stored
// meanwhile that fresh accepts is returned instead. fn reports
// whether the value may be kept, and its size. The result is returned
// even when it is not kept.
func (c *Cache[V]) Fill(key string, fresh func(V) bool, fn func() (val V, size int64, keep bool)) V {
	c.mu.Lock()
	if el, ok := c.items[key]; ok && fresh(el.Value.(*item[V]).val) {
		// Filled between the caller's Get and now.
		c.order.MoveToFront(el)
		c.mu.Unlock()
		c.hits.Add(1)
		return el.Value.(*item[V]).val
	}
	if f, ok := c.filling[key]; ok {
		c.mu.Unlock()
		<-f.done
		if f.ok {
			c.hits.Add(1)
			return f.val
		}
		// The fill failed or was not cacheable: compute our own.
		v, _, _ := fn()
		return v
	}
	f := &fill[V]{done: make(chan struct{})}
	c.filling[key] = f
	c.misses.Add(1)
	c.mu.Unlock()

	var (
		val  V
		size int64
		keep bool
	)
	// Deferred, so a fill that panics still lets its waiters go (they
	// then fill for themselves) instead of holding the key forever.
	defer func() {
		c.mu.Lock()
		delete(c.filling, key)
		f.val, f.ok = val, keep
		if keep && size <= c.max/8 { // no one entry takes more than an eighth
			if el, ok := c.items[key]; ok {
				c.remove(el)
			}
			c.items[key] = c.order.PushFront(&item[V]{key: key, val: val, size: size})
			c.used += size
			for c.used > c.max {
				c.remove(c.order.Back())
				c.evictions.Add(1)
			}
		}
		c.mu.Unlock()
		close(f.done)
	}()
	val, size, keep = fn()
	return val
}

// Hit counts a Get that found a value, for Stats.
func (c *Cache[V]) Hit() { c.hits.Add(1) }

func (c *Cache[V]) remove(el *list.Element) {
	it := el.Value.(*item[V])
	c.order.Remove(el)
	delete(c.items, it.key)
	c.used -= it.size
}

// Stats are the cache's counters since start, and what it holds.
type Stats struct {
	Hits, Misses, Evictions int64
	Entries                 int
	Bytes                   int64
}

// Stats returns the counters.
func (c *Cache[V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(), Entries: len(c.items), Bytes: c.used}
}
