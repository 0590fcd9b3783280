package server

import (
	"slices"
	"testing"
)

func TestEntityIDs(t *testing.T) {
	body := []byte(`{"data":[{"id":"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W","category":{"id":"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S"},"x":"id","id":"short","id":"01jd6q7r2zk3wj5m8n9p0q1r2w"}]}` +
		`<guid>urn:masthead:article:01JD6Q7R2ZK3WJ5M8N9P0Q1R2T</guid>"id":"01JD6Q7R2ZK3WJ5M8N9P0Q1R2`)
	want := []string{"01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2S", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2T"}
	if got := entityIDs(body); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
