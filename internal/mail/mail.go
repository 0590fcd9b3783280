// Package mail sends Masthead's newsletter mail: it renders the
// confirmation mail in the subscriber's language, talks SMTP (STARTTLS,
// implicit TLS, or plain to a local relay), and drains the outbox table
// from a background worker with retries.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Message is one mail: plain text and HTML alternatives.
type Message struct {
	From            string // "Name <addr>"
	To              string // bare address
	Subject         string
	Language        string
	Text, HTML      string
	ListUnsubscribe string // URL for the List-Unsubscribe header
}

// Bytes renders m as an RFC 5322 message with CRLF line ends: a
// multipart/alternative body with quoted-printable UTF-8 parts.
func (m *Message) Bytes(now time.Time) ([]byte, error) {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	id := make([]byte, 12)
	rand.Read(id)
	h("From", from.String())
	h("To", (&mail.Address{Address: m.To}).String())
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	h("MIME-Version", "1.0")
	if m.Language != "" {
		h("Content-Language", m.Language)
	}
	if m.ListUnsubscribe != "" {
		h("List-Unsubscribe", "<"+m.ListUnsubscribe+">")
	}
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	buf.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(pw)
		if _, err := qw.Write([]byte(part.body)); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// SMTP sends through an SMTP server named by a URL:
// smtp://user:pass@host:587 upgrades with STARTTLS and refuses to send
// credentials if the server cannot; smtps://user:pass@host:465 is TLS
// from the first byte; smtp://host:25 without credentials talks plain
// SMTP when the server offers no STARTTLS, as a local relay may.
type SMTP struct {
	addr, host     string
	implicitTLS    bool
	user, password string
	// TLSConfig, when set, replaces the default (verify host, TLS 1.2+);
	// tests trust their own certificate with it.
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// NewSMTP parses an smtp:// or smtps:// URL.
func NewSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("SMTP URL must be smtp://[user:pass@]host[:port] or smtps://…")
	}
	s := &SMTP{host: u.Hostname(), implicitTLS: u.Scheme == "smtps", Timeout: 30 * time.Second}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	port := u.Port()
	switch {
	case port != "":
	case s.implicitTLS:
		port = "465"
	case s.user != "":
		port = "587"
	default:
		port = "25"
	}
	s.addr = net.JoinHostPort(s.host, port)
	return s, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// Send delivers m in one SMTP session.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	body, err := m.Bytes(time.Now())
	if err != nil {
		return err
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return err
	}
	d := &net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	if s.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig()}).DialContext(ctx, "tcp", s.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return fmt.Errorf("smtp connect %s: %w", s.addr, err)
	}
	conn.SetDeadline(time.Now().Add(s.Timeout))
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if !s.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("smtp starttls: %w", err)
			}
		} else if s.user != "" {
			return errors.New("smtp server offers no STARTTLS; refusing to send the credentials in the clear (use smtps:// or a server with STARTTLS)")
		}
	}
	if s.user != "" {
		if err := c.Auth(smtp.PlainAuth("", s.user, s.password, s.host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return c.Quit()
}

// Log "sends" by writing the mail to the log, for the zero-setup default
// without SMTP, so a developer can follow the confirmation link.
type Log struct{ Logger *slog.Logger }

// Send logs m.
func (l Log) Send(_ context.Context, m *Message) error {
	l.Logger.Warn("MAIL NOT SENT: SMTP is not configured (set MASTHEAD_SMTP_URL); this is the mail that would have gone out",
		"to", m.To, "subject", m.Subject, "list_unsubscribe", m.ListUnsubscribe, "text", m.Text)
	return nil
}
