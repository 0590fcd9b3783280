package media

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is Storage in a bucket of an S3-compatible store, for production
// and for several replicas: MASTHEAD_MEDIA_URL=s3://bucket/prefix?endpoint=host:port&region=…&secure=false.
// Credentials come from the URL (s3://key:secret@bucket…) or else from
// the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or
// MINIO_ACCESS_KEY and MINIO_SECRET_KEY).
// An object appears whole or not at all, as a renamed file does.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

// OpenS3 connects to the bucket named by u. It makes no request; Check
// does.
func OpenS3(u string) (*S3, error) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "s3" || p.Host == "" {
		return nil, fmt.Errorf("media URL must be s3://bucket[/prefix]?endpoint=host:port&region=…")
	}
	q := p.Query()
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	for name := range q {
		if name != "endpoint" && name != "region" && name != "secure" {
			return nil, fmt.Errorf("media URL: unknown parameter %q (endpoint, region, secure)", name)
		}
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{}})
	if p.User != nil {
		secret, _ := p.User.Password()
		creds = credentials.NewStaticV4(p.User.Username(), secret, "")
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:  creds,
		Secure: q.Get("secure") != "false",
		Region: q.Get("region"),
	})
	if err != nil {
		return nil, fmt.Errorf("media URL: %w", err)
	}
	prefix := strings.Trim(p.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: client, bucket: p.Host, prefix: prefix}, nil
}

// Check reports whether the bucket answers and exists.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("media bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("media bucket %s does not exist", s.bucket)
	}
	return nil
}

// Put uploads an object.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	if !validKey.MatchString(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
	return err
}

// Get downloads an object.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	if !validKey.MatchString(key) {
		return nil, fmt.Errorf("media: invalid key %q", key)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, notFound(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	return b, notFound(err)
}

func notFound(err error) error {
	if err != nil && minio.ToErrorResponse(err).Code == "NoSuchKey" {
		return ErrNotFound
	}
	return err
}

// DeleteAll deletes every object of an item.
func (s *S3) DeleteAll(ctx context.Context, id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("media: invalid prefix %q", id)
	}
	objects := s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + id + "/", Recursive: true})
	for e := range s.client.RemoveObjects(ctx, s.bucket, objects, minio.RemoveObjectsOptions{}) {
		if e.Err != nil {
			return fmt.Errorf("delete %s: %w", e.ObjectName, e.Err)
		}
	}
	return nil
}
