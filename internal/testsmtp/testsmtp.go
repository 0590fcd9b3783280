// Package testsmtp runs a real SMTP server (github.com/emersion/go-smtp)
// inside a test, on a loopback port, and keeps what it receives: the
// envelope, the raw message, and whether the session was encrypted when
// it authenticated.
package testsmtp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options choose how the server behaves.
type Options struct {
	// STARTTLS offers STARTTLS with a self-signed certificate for
	// 127.0.0.1; ImplicitTLS speaks TLS from the first byte instead.
	STARTTLS, ImplicitTLS bool
	// User and Password, when set, are the only credentials accepted
	// (AUTH PLAIN, and only over TLS).
	User, Password string
}

// Message is one mail received.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	// RootCAs trusts the server's certificate, for the client's TLS config.
	RootCAs *x509.CertPool

	opts     Options
	mu       sync.Mutex
	messages []Message
	auths    []Auth
}

// Auth is one authentication the server saw.
type Auth struct {
	User      string
	Encrypted bool
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.EnableSMTPUTF8 = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.STARTTLS || opts.ImplicitTLS {
		cfg, pool := selfSigned(t)
		s.RootCAs = pool
		if opts.ImplicitTLS {
			ln = tls.NewListener(ln, cfg)
		} else {
			srv.TLSConfig = cfg
		}
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Auths returns the authentications seen so far.
func (s *Server) Auths() []Auth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Auth(nil), s.auths...)
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	msg  Message
}

func (ss *session) AuthMechanisms() []string {
	if ss.srv.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		_, encrypted := ss.conn.TLSConnectionState()
		ss.srv.mu.Lock()
		ss.srv.auths = append(ss.srv.auths, Auth{User: user, Encrypted: encrypted})
		ss.srv.mu.Unlock()
		if user != ss.srv.opts.User || pass != ss.srv.opts.Password {
			return errors.New("invalid credentials")
		}
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error { ss.msg.From = from; return nil }
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Data = b
	ss.srv.mu.Lock()
	ss.srv.messages = append(ss.srv.messages, ss.msg)
	ss.srv.mu.Unlock()
	ss.msg = Message{}
	return nil
}

func (ss *session) Reset()        { ss.msg = Message{} }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}
