package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// Storage keeps the bytes of originals and renditions, by key.
type Storage interface {
	Put(ctx context.Context, key string, data []byte) error
	// Get returns ErrNotFound for a key never put, or deleted.
	Get(ctx context.Context, key string) ([]byte, error)
	// DeleteAll deletes every key of the item id.
	DeleteAll(ctx context.Context, id string) error
}

// ErrNotFound: no such key.
var ErrNotFound = errors.New("media: not found")

// Keys are made here from ids and variant names checked before, never
// from a request's path: validKey refuses anything else (no "..", no
// absolute paths).
var (
	validKey = regexp.MustCompile(`^[0-9A-Z]{26}(/[0-9a-z]{1,16})?/[0-9a-z]{1,16}\.[a-z]{3,4}$`)
	validID  = regexp.MustCompile(`^[0-9A-Z]{26}$`)
)

// OriginalKey, MasterKey and RenditionKey name an item's files.
func OriginalKey(id, ext string) string { return id + "/original." + ext }
func MasterKey(id, ext string) string   { return id + "/master." + ext }
func RenditionKey(id, version, variant, ext string) string {
	return id + "/" + version + "/" + variant + "." + ext
}

// Disk is Storage in a folder: MASTHEAD_DATA_DIR/media by default.
type Disk struct{ Dir string }

func (d Disk) path(key string) (string, error) {
	if !validKey.MatchString(key) {
		return "", fmt.Errorf("media: invalid key %q", key)
	}
	return filepath.Join(d.Dir, filepath.FromSlash(key)), nil
}

// Put writes atomically: a temporary file renamed into place, so a
// reader never sees half a file and a failed write leaves none.
func (d Disk) Put(_ context.Context, key string, data []byte) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Get reads a file.
func (d Disk) Get(_ context.Context, key string) ([]byte, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return b, err
}

// DeleteAll removes an item's folder.
func (d Disk) DeleteAll(_ context.Context, prefix string) error {
	if !validID.MatchString(prefix) {
		return fmt.Errorf("media: invalid prefix %q", prefix)
	}
	return os.RemoveAll(filepath.Join(d.Dir, prefix))
}
