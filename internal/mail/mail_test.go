package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
	mmail "github.com/masthead/masthead/internal/mail"
	"github.com/masthead/masthead/internal/testsmtp"
)

var site = content.Site{URL: "https://www.example.com", Name: "The Daily", ConfirmPath: "/newsletter/confirm", UnsubscribePath: "/newsletter/unsubscribe"}

func confirmation(t *testing.T, lang string) *mmail.Message {
	t.Helper()
	m, err := mmail.ConfirmationMail(site, "The Daily <news@example.com>", "reader@example.com", lang, "nc_TOKEN", "nu_TOKEN", 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// parsed is a received mail taken apart as a mail client would.
type parsed struct {
	header      mail.Header
	subject     string
	text, html  string
	contentType string
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	p := parsed{header: msg.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	p.contentType = mt
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			p.text = string(b)
		case "text/html":
			p.html = string(b)
		}
	}
	return p
}

func TestSMTPStartTLSWithCredentials(t *testing.T) {
	srv := testsmtp.Start(t, testsmtp.Options{STARTTLS: true, User: "mailer", Password: "s3cret"})
	s, err := mmail.NewSMTP("smtp://mailer:s3cret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	s.TLSConfig = &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1"}
	if err := s.Send(context.Background(), confirmation(t, "ar")); err != nil {
		t.Fatal(err)
	}
	auths, msgs := srv.Auths(), srv.Messages()
	if len(auths) != 1 || !auths[0].Encrypted || auths[0].User != "mailer" {
		t.Fatalf("auths = %+v, want one over TLS", auths)
	}
	if len(msgs) != 1 || msgs[0].From != "news@example.com" || len(msgs[0].To) != 1 || msgs[0].To[0] != "reader@example.com" {
		t.Fatalf("messages = %+v", msgs)
	}
	p := parse(t, msgs[0].Data)
	if p.subject != "أكّد اشتراكك في نشرة The Daily" {
		t.Errorf("subject = %q", p.subject)
	}
	if got := p.header.Get("List-Unsubscribe"); got != "<https://www.example.com/newsletter/unsubscribe?token=nu_TOKEN>" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if p.header.Get("Content-Language") != "ar" || !strings.Contains(p.html, `dir="rtl"`) {
		t.Errorf("not an Arabic right-to-left mail: %q\n%s", p.header.Get("Content-Language"), p.html)
	}
	for _, part := range []string{p.text, p.html} {
		if !strings.Contains(part, "https://www.example.com/newsletter/confirm?token=nc_TOKEN") || !strings.Contains(part, "يُرجى تأكيد عنوانك") {
			t.Errorf("part lacks the Arabic text or confirmation link:\n%s", part)
		}
	}
}

func TestSMTPRefusesCredentialsInTheClear(t *testing.T) {
	srv := testsmtp.Start(t, testsmtp.Options{User: "mailer", Password: "s3cret"})
	s, err := mmail.NewSMTP("smtp://mailer:s3cret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), confirmation(t, "en"))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("err = %v, want a refusal to send credentials without STARTTLS", err)
	}
	if len(srv.Auths()) != 0 || len(srv.Messages()) != 0 {
		t.Fatalf("credentials or mail reached a server without TLS: %+v %d", srv.Auths(), len(srv.Messages()))
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	srv := testsmtp.Start(t, testsmtp.Options{ImplicitTLS: true, User: "mailer", Password: "s3cret"})
	s, err := mmail.NewSMTP("smtps://mailer:s3cret@" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	s.TLSConfig = &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1"}
	if err := s.Send(context.Background(), confirmation(t, "en")); err != nil {
		t.Fatal(err)
	}
	if a := srv.Auths(); len(a) != 1 || !a[0].Encrypted || len(srv.Messages()) != 1 {
		t.Fatalf("auths %+v, %d messages", a, len(srv.Messages()))
	}
	p := parse(t, srv.Messages()[0].Data)
	if p.subject != "Confirm your subscription to The Daily" || !strings.Contains(p.text, "nc_TOKEN") {
		t.Errorf("subject %q text %q", p.subject, p.text)
	}
}

func TestSMTPPlainRelay(t *testing.T) {
	srv := testsmtp.Start(t, testsmtp.Options{})
	s, err := mmail.NewSMTP("smtp://" + srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), confirmation(t, "fr")); err != nil {
		t.Fatal(err)
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("%d messages", len(srv.Messages()))
	}
	if p := parse(t, srv.Messages()[0].Data); p.header.Get("Content-Language") != "en" {
		t.Errorf("a language without a translation should get English, got %q", p.header.Get("Content-Language"))
	}
}

func TestSMTPServerDown(t *testing.T) {
	s, err := mmail.NewSMTP("smtp://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), confirmation(t, "en")); err == nil {
		t.Fatal("sending to a closed port succeeded")
	}
}

// TestConfirmationInTheReadersLanguage: the Arabic mail names the Arabic
// publication and links to the Arabic pages; other languages get the
// plain name and the default language's pages.
func TestConfirmationInTheReadersLanguage(t *testing.T) {
	s := site
	s.ConfirmPath, s.UnsubscribePath, s.DefaultLanguage = "/{lang}/newsletter/confirm", "/{lang}/newsletter/unsubscribe", "en"
	s.Names = content.Texts{"ar": "اليومية"}
	for lang, want := range map[string][2]string{
		"ar": {"اليومية", "https://www.example.com/ar/newsletter/confirm?token=nc_TOKEN"},
		"en": {"The Daily", "https://www.example.com/en/newsletter/confirm?token=nc_TOKEN"},
		"fr": {"The Daily", "https://www.example.com/en/newsletter/confirm?token=nc_TOKEN"},
	} {
		m, err := mmail.ConfirmationMail(s, "The Daily <news@example.com>", "reader@example.com", lang, "nc_TOKEN", "nu_TOKEN", 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Subject, want[0]) || !strings.Contains(m.Text, want[1]) ||
			!strings.Contains(m.ListUnsubscribe, "/newsletter/unsubscribe?token=nu_TOKEN") {
			t.Errorf("%s: subject %q, text %q, unsubscribe %q", lang, m.Subject, m.Text, m.ListUnsubscribe)
		}
	}
}
