package media

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/sync/singleflight"

	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// Library keeps media items: the rows in the store, the bytes in the
// storage. Every change writes the bytes first and the row last, and
// takes the bytes back when the row cannot be written, so a failure
// leaves no half item and no orphan file.
type Library struct {
	Store   Catalog
	Storage Storage
	Limits  Limits
	Log     *slog.Logger

	renders singleflight.Group
}

// Catalog is what the library needs of the store (*store.Store).
type Catalog interface {
	FindMediaByHash(ctx context.Context, hash string) (*content.Media, error)
	CreateMedia(ctx context.Context, m *content.Media) error
	DeleteMedia(ctx context.Context, id string, check func(*content.Media, []content.MediaUse) error) (*content.Media, error)
}

// Upload keeps the image in data for who. An image kept before is not
// kept twice: the item that holds it is returned, with created false.
func (l *Library) Upload(ctx context.Context, who content.Actor, data []byte, filename string, u content.MediaUpdate) (m *content.Media, created bool, err error) {
	if err := u.Validate(); err != nil {
		return nil, false, err
	}
	up, err := Prepare(data, l.Limits)
	if err != nil {
		return nil, false, err
	}
	if m, err := l.Store.FindMediaByHash(ctx, up.Hash); err == nil {
		return m, false, nil
	} else if content.ErrorCode(err) != content.ENOTFOUND {
		return nil, false, err
	}
	m = &content.Media{
		ID: store.NewID(), Hash: up.Hash, Type: up.Type, Ext: up.Ext, Width: up.Width, Height: up.Height,
		Bytes: int64(len(up.Original)), Color: up.Color, Placeholder: up.Placeholder, Alpha: up.Alpha,
		FocalX: Center.X, FocalY: Center.Y, Filename: cleanFilename(filename), CreatedBy: who.UserID,
	}
	u.Apply(m)
	if err := l.put(ctx, m, up); err != nil {
		return nil, false, err
	}
	if err := l.Store.CreateMedia(ctx, m); err != nil {
		l.drop(ctx, m.ID)
		if content.ErrorCode(err) == content.ECONFLICT { // the same file, uploaded at the same moment
			if m, ferr := l.Store.FindMediaByHash(ctx, up.Hash); ferr == nil {
				return m, false, nil
			}
		}
		return nil, false, err
	}
	return m, true, nil
}

func (l *Library) put(ctx context.Context, m *content.Media, up *Upload) error {
	if err := l.Storage.Put(ctx, OriginalKey(m.ID, m.Ext), up.Original); err != nil {
		l.drop(ctx, m.ID)
		return fmt.Errorf("store original: %w", err)
	}
	if err := l.Storage.Put(ctx, MasterKey(m.ID, RenditionExt(m.Alpha)), up.Master); err != nil {
		l.drop(ctx, m.ID)
		return fmt.Errorf("store master: %w", err)
	}
	return nil
}

// drop deletes an item's files; a failure is logged, as the files of a
// row that does not exist are never served.
func (l *Library) drop(ctx context.Context, id string) {
	if err := l.Storage.DeleteAll(context.WithoutCancel(ctx), id); err != nil && l.Log != nil {
		l.Log.Warn("media files left behind", "id", id, "err", err)
	}
}

// Delete removes the item with id and its files, by the rules: an item
// in use goes only when an editor forces it.
func (l *Library) Delete(ctx context.Context, who content.Actor, id string, force bool) error {
	_, err := l.Store.DeleteMedia(ctx, id, func(m *content.Media, uses []content.MediaUse) error {
		return content.CanDeleteMedia(who, m, uses, force)
	})
	if err == nil {
		l.drop(ctx, id)
	}
	return err
}

// Rendition returns the bytes of variant of m, rendering and keeping
// them on first request; concurrent first requests render once.
func (l *Library) Rendition(ctx context.Context, m *content.Media, v Variant) ([]byte, error) {
	ext := RenditionExt(m.Alpha)
	focal := Focal{m.FocalX, m.FocalY}
	key := RenditionKey(m.ID, Version(m.Hash, focal), v.Name, ext)
	if b, err := l.Storage.Get(ctx, key); err == nil {
		return b, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	b, err, _ := l.renders.Do(key, func() (any, error) {
		ctx := context.WithoutCancel(ctx) // a render outlives the reader that asked first
		if b, err := l.Storage.Get(ctx, key); err == nil {
			return b, nil
		}
		master, err := l.Storage.Get(ctx, MasterKey(m.ID, ext))
		if err != nil {
			return nil, fmt.Errorf("read master of %s: %w", m.ID, err)
		}
		b, err := Render(master, m.Alpha, v, focal)
		if err != nil {
			return nil, err
		}
		return b, l.Storage.Put(ctx, key, b)
	})
	if err != nil {
		return nil, err
	}
	return b.([]byte), nil
}

// Original returns the bytes of m's original, metadata stripped.
func (l *Library) Original(ctx context.Context, m *content.Media) ([]byte, error) {
	return l.Storage.Get(ctx, OriginalKey(m.ID, m.Ext))
}

// cleanFilename keeps the name a file was uploaded under, as a label:
// its last path element, printable, at most 200 bytes.
func cleanFilename(name string) string {
	out := make([]rune, 0, len(name))
	for _, r := range name {
		switch {
		case r == '/' || r == '\\':
			out = out[:0]
		case r < 0x20 || r == 0x7F || content.Hidden(r):
		default:
			out = append(out, r)
		}
	}
	s := string(out)
	for len(s) > 200 {
		r := []rune(s)
		s = string(r[:len(r)-1])
	}
	return s
}
