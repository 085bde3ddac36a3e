package payfile_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout/payfile"
)

func TestSEPALatin(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"Ann Example", "Ann Example"},
		{"Jörg Müller-Lüdenscheidt", "Jorg Muller-Ludenscheidt"},
		{"Straße", "Strasse"},
		{"Łukasz Żółć", "Lukasz Zolc"},
		{"Ærøskøbing Œuvre", "AEroskobing OEuvre"},
		{"Ștefan Țurcanu", "Stefan Turcanu"},
		{"Mu\u0308ller", "Muller"}, // decomposed: u and a combining diaeresis
		{"Bob & Co <SARL>", "Bob + Co (SARL)"},
		{"po_2026-01_ab", "po-2026-01-ab"},
		{"«Café» “Le Zinc”; ouvert!", "(Cafe) 'Le Zinc', ouvert."},
		{"  tab\there\nnew\u00a0line  ", "tab here new line"},
		{"50% off * today = $5 @ #1", "50 off today 5 1"},
		{"/-?:().,'+", "/-?:().,'+"},
		{"Иван Петров", ""},
		{"Ann 李", ""},
		{"١٢٣", ""}, // Arabic-Indic digits
		{"***", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := payfile.SEPALatin("name", tt.in)
		if tt.want == "" {
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != "name" || !errors.Is(err, affiliate.ErrInvalid) {
				t.Errorf("SEPALatin(%q) = %q, %v; want a *FieldError for name matching ErrInvalid", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("SEPALatin(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// Whatever it is given, SEPALatin returns text of the EPC set with single
// inner spaces, which it returns unchanged, or refuses.
func TestSEPALatinProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.String().Draw(t, "in")
		out, err := payfile.SEPALatin("f", in)
		if err != nil {
			if !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("SEPALatin(%q) error %v does not match ErrInvalid", in, err)
			}
			return
		}
		if out == "" || strings.TrimSpace(out) != out || strings.Contains(out, "  ") {
			t.Fatalf("SEPALatin(%q) = %q: empty, padded or with a double space", in, out)
		}
		if bad := strings.Trim(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "); bad != "" {
			t.Fatalf("SEPALatin(%q) = %q holds %q, outside the EPC set", in, out, bad)
		}
		if again, err := payfile.SEPALatin("f", out); err != nil || again != out {
			t.Fatalf("SEPALatin(%q) = %q, %v; want it unchanged", out, again, err)
		}
	})
}

// A payee whose name has no Latin form stops the file before its first
// byte; a name longer than SEPA's 70 characters is cut.
func TestWriteSEPANames(t *testing.T) {
	_, run := fixture(t)
	b, err := payfile.NewBatch(run, payees, affiliate.MethodBankTransfer)
	if err != nil {
		t.Fatal(err)
	}
	b.Lines = append([]payfile.Line(nil), b.Lines...)
	b.Lines[1].Payee.AccountHolder = "Борис"
	var buf bytes.Buffer
	err = payfile.WriteSEPA(&buf, b, debtor)
	var fe *affiliate.FieldError
	if !errors.As(err, &fe) || fe.Field != "Payee[bob].AccountHolder" || buf.Len() != 0 {
		t.Fatalf("WriteSEPA with a Cyrillic name = %v after %d bytes; want a *FieldError naming bob's AccountHolder and nothing written", err, buf.Len())
	}
	d := debtor
	d.Name = "Программы"
	if err := payfile.WriteSEPA(&buf, b, d); !errors.Is(err, affiliate.ErrInvalid) || buf.Len() != 0 {
		t.Fatalf("WriteSEPA with a Cyrillic debtor = %v after %d bytes; want ErrInvalid and nothing written", err, buf.Len())
	}

	b.Lines[1].Payee.AccountHolder = strings.Repeat("Ä", 69) + " " + strings.Repeat("b", 10)
	if err := payfile.WriteSEPA(&buf, b, debtor); err != nil {
		t.Fatal(err)
	}
	if want := "<Nm>" + strings.Repeat("A", 69) + "</Nm>"; !strings.Contains(buf.String(), want) {
		t.Fatalf("a long name is not cut at 70 characters (and its trailing space): want %s in\n%s", want, buf.String())
	}
}

// Every text a SEPA file carries is in the EPC Latin set, identifiers
// included (the EPC refuses "_" in them, which payout IDs hold).
func TestWriteSEPAOnlyLatin(t *testing.T) {
	dec := xml.NewDecoder(bytes.NewReader(sepaFile(t)))
	var texts int
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		cd, ok := tok.(xml.CharData)
		if s := strings.TrimSpace(string(cd)); ok && s != "" {
			texts++
			if out, err := payfile.SEPALatin("text", s); err != nil || out != s {
				t.Errorf("the SEPA file carries %q, outside the EPC Latin set (%q, %v)", s, out, err)
			}
		}
	}
	if texts < 20 {
		t.Fatalf("read %d texts from the SEPA file; want its names, IDs and amounts", texts)
	}
}
