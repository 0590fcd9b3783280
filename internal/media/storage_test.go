package media_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/masthead/masthead/internal/media"
	"github.com/masthead/masthead/internal/testdb"
)

// TestStorages: both backends keep, return and delete the same way.
func TestStorages(t *testing.T) {
	t.Parallel()
	s3url, _ := testdb.StartS3(t)
	s3, err := media.OpenS3(s3url)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range map[string]media.Storage{"disk": media.Disk{Dir: t.TempDir()}, "s3": s3} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			id, other := "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2N"
			keys := []string{media.OriginalKey(id, "jpg"), media.MasterKey(id, "jpg"), media.RenditionKey(id, "3f2a9c1b7e", "w640", "jpg")}
			for i, k := range append(keys, media.OriginalKey(other, "png")) {
				if err := st.Put(ctx, k, []byte{byte(i), 1, 2}); err != nil {
					t.Fatalf("put %s: %v", k, err)
				}
			}
			if b, err := st.Get(ctx, keys[2]); err != nil || !bytes.Equal(b, []byte{2, 1, 2}) {
				t.Errorf("get: %v %v", b, err)
			}
			if err := st.Put(ctx, keys[2], []byte("again")); err != nil {
				t.Fatal(err)
			}
			if b, _ := st.Get(ctx, keys[2]); string(b) != "again" {
				t.Errorf("overwritten: %q", b)
			}
			if _, err := st.Get(ctx, media.OriginalKey(id, "gif")); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("missing key: %v", err)
			}
			for _, bad := range []string{"../../etc/passwd", id + "/../x.jpg", "/abs/original.jpg", id + "/original.jpg/../../x"} {
				if err := st.Put(ctx, bad, []byte("x")); err == nil {
					t.Errorf("put %q was taken", bad)
				}
				if _, err := st.Get(ctx, bad); err == nil || errors.Is(err, media.ErrNotFound) {
					t.Errorf("get %q: %v", bad, err)
				}
			}
			if err := st.DeleteAll(ctx, "../"+id); err == nil {
				t.Error("delete of a path was taken")
			}
			if err := st.DeleteAll(ctx, id); err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				if _, err := st.Get(ctx, k); !errors.Is(err, media.ErrNotFound) {
					t.Errorf("%s after delete: %v", k, err)
				}
			}
			if _, err := st.Get(ctx, media.OriginalKey(other, "png")); err != nil {
				t.Errorf("another item's file went too: %v", err)
			}
		})
	}
}
