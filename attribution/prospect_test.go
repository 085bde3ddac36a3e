package attribution_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// acme is a lead that passes every default check.
func acme(edit ...func(*attribution.Prospect)) attribution.Prospect {
	p := attribution.Prospect{
		Kind: attribution.ProspectLead, ID: "l-new", Company: "Acme", Email: "dana@acme.com",
		Website: "https://www.acme.com", LinkedIn: "https://www.linkedin.com/company/acme",
	}
	for _, e := range edit {
		e(&p)
	}
	return p
}

// directory is a Directory over fixed sets.
type directory struct {
	customers map[affiliate.CustomerID]bool
	domains   map[string]bool
	err       error
}

func (d directory) CustomerExisted(_ context.Context, c affiliate.CustomerID, _ string) (bool, error) {
	return d.customers[c], d.err
}

func (d directory) DomainIsCustomer(_ context.Context, domain string) (bool, error) {
	return d.domains[domain], d.err
}

func TestProspectChecks(t *testing.T) {
	store := memstore.New()
	// Globex is in the pipeline; Initech was refused, which does not count.
	mustAddLead(t, store, affiliate.Lead{ID: "l-globex", Affiliate: "ann", Company: "Globex", Email: "hank@globex.com", Website: "globex.com",
		Status: affiliate.LeadAccepted, SubmittedAt: t0, DecidedAt: t0}, "globex.com")
	mustAddLead(t, store, affiliate.Lead{ID: "l-initech", Affiliate: "ann", Company: "Initech", Email: "bill@initech.com",
		Status: affiliate.LeadRefused, Reasons: []string{"freelancer"}, SubmittedAt: t0, DecidedAt: t0}, "initech.com")
	dir := directory{domains: map[string]bool{"umbrella.com": true}}
	notKnown := attribution.NotKnown{Leads: store, Directory: dir}

	cases := []struct {
		name  string
		check attribution.ProspectCheck
		p     attribution.Prospect
		want  attribution.ReasonCode
	}{
		{"ProfessionalEmail/Passes", attribution.ProfessionalEmail{}, acme(), ""},
		{"ProfessionalEmail/FreeMail", attribution.ProfessionalEmail{}, acme(func(p *attribution.Prospect) { p.Email = "dana@Gmail.com" }), attribution.ReasonFreeMail},
		{"ProfessionalEmail/HostList", attribution.ProfessionalEmail{FreeMail: func(d string) bool { return d == "acme.com" }}, acme(), attribution.ReasonFreeMail},
		{"ProfessionalEmail/Missing", attribution.ProfessionalEmail{}, acme(func(p *attribution.Prospect) { p.Email = "" }), attribution.ReasonNoEmail},
		{"ProfessionalEmail/Malformed", attribution.ProfessionalEmail{}, acme(func(p *attribution.Prospect) { p.Email = "dana at acme" }), attribution.ReasonNoEmail},

		{"CompanyWebsite/Passes", attribution.CompanyWebsite{}, acme(), ""},
		{"CompanyWebsite/BareDomain", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = "acme.com" }), ""},
		{"CompanyWebsite/Missing", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = " " }), attribution.ReasonNoWebsite},
		{"CompanyWebsite/NotAHost", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = "https://localhost" }), attribution.ReasonBadWebsite},
		{"CompanyWebsite/IPAddress", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = "http://10.0.0.1/" }), attribution.ReasonBadWebsite},
		{"CompanyWebsite/OtherScheme", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = "ftp://acme.com" }), attribution.ReasonBadWebsite},
		{"CompanyWebsite/Spaces", attribution.CompanyWebsite{}, acme(func(p *attribution.Prospect) { p.Website = "acme dot com" }), attribution.ReasonBadWebsite},

		{"LinkedInFootprint/Passes", attribution.LinkedInFootprint{}, acme(), ""},
		{"LinkedInFootprint/Missing", attribution.LinkedInFootprint{}, acme(func(p *attribution.Prospect) { p.LinkedIn = "" }), attribution.ReasonNoLinkedIn},
		{"LinkedInFootprint/OtherSite", attribution.LinkedInFootprint{}, acme(func(p *attribution.Prospect) { p.LinkedIn = "https://linkedin.com.evil.io/company/acme" }), attribution.ReasonNoLinkedIn},
		{"LinkedInFootprint/NoPage", attribution.LinkedInFootprint{}, acme(func(p *attribution.Prospect) { p.LinkedIn = "linkedin.com/" }), attribution.ReasonNoLinkedIn},

		{"NotFreelancer/Passes", attribution.NotFreelancer{}, acme(), ""},
		{"NotFreelancer/Flagged", attribution.NotFreelancer{}, acme(func(p *attribution.Prospect) { p.Freelancer = true }), attribution.ReasonFreelancer},

		{"NotKnown/Passes", notKnown, acme(), ""},
		{"NotKnown/LeadByEmailDomain", notKnown, acme(func(p *attribution.Prospect) { p.Email = "olivia@GLOBEX.com" }), attribution.ReasonAlreadyLead},
		{"NotKnown/LeadByWebsite", notKnown, acme(func(p *attribution.Prospect) { p.Website = "https://www.globex.com/en" }), attribution.ReasonAlreadyLead},
		{"NotKnown/ItselfIsNoDuplicate", notKnown, acme(func(p *attribution.Prospect) { p.ID = "l-globex"; p.Website = "globex.com" }), ""},
		{"NotKnown/RefusedLeadDoesNotCount", notKnown, acme(func(p *attribution.Prospect) { p.Email = "peter@initech.com" }), ""},
		{"NotKnown/Customer", notKnown, acme(func(p *attribution.Prospect) { p.Website = "umbrella.com" }), attribution.ReasonAlreadyCustomer},
		{"NotKnown/FreeMailDomainIsNoCompany", attribution.NotKnown{Leads: store, Directory: directory{domains: map[string]bool{"gmail.com": true}}},
			acme(func(p *attribution.Prospect) { p.Email = "dana@gmail.com" }), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.check.CheckProspect(ctx, tc.p)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckProspect = %v, want pass", err)
				}
				return
			}
			var r *attribution.Reason
			if !errors.As(err, &r) || r.Code != tc.want {
				t.Fatalf("CheckProspect = %v, want reason %s", err, tc.want)
			}
		})
	}

	t.Run("NotKnown/DirectoryFailure", func(t *testing.T) {
		boom := errors.New("crm down")
		c := attribution.NotKnown{Leads: store, Directory: directory{err: boom}}
		if err := c.CheckProspect(ctx, acme()); !errors.Is(err, boom) {
			t.Fatalf("CheckProspect = %v, want the directory's error", err)
		}
	})
}

func TestEvaluateProspectGivesEveryReason(t *testing.T) {
	store := memstore.New()
	p := attribution.Prospect{Kind: attribution.ProspectLead, ID: "l1", Company: "Solo", Email: "jo@yahoo.fr", Freelancer: true}
	reasons, err := attribution.EvaluateProspect(ctx, attribution.DefaultLeadChecks(store, nil, nil), p)
	if err != nil {
		t.Fatal(err)
	}
	var codes []attribution.ReasonCode
	for _, r := range reasons {
		codes = append(codes, r.Code)
	}
	want := []attribution.ReasonCode{attribution.ReasonFreeMail, attribution.ReasonNoWebsite, attribution.ReasonNoLinkedIn, attribution.ReasonFreelancer}
	if !slices.Equal(codes, want) {
		t.Fatalf("reasons = %v, want %v", codes, want)
	}
	// Partners are judged by the same checks, and freelancers are welcome.
	reasons, _ = attribution.EvaluateProspect(ctx, attribution.DefaultPartnerChecks(nil), attribution.Prospect{Kind: attribution.ProspectPartner, Email: "jo@jo-design.fr", Website: "jo-design.fr", Freelancer: true})
	if len(reasons) != 0 {
		t.Fatalf("a freelancer partner with a professional e-mail and website was refused: %v", reasons)
	}
}

func TestWebsiteDomainAndKeys(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Acme.com/about?x=1": "acme.com",
		"acme.com":                       "acme.com",
		"http://shop.acme.co.uk:8080":    "shop.acme.co.uk",
		"www.acme.com.":                  "acme.com",
		"https://xn--bcher-kva.xn--p1ai": "xn--bcher-kva.xn--p1ai",
		"https://www.com":                "www.com", // not "com": a key is a domain
	} {
		if got, err := attribution.WebsiteDomain(in); err != nil || got != want {
			t.Errorf("WebsiteDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "acme", "https://user:pw@acme.com", "mailto:a@acme.com", "https://-acme.com", "https://acme.c0m", "https://a..com", "javascript:alert(1)"} {
		if got, err := attribution.WebsiteDomain(in); err == nil {
			t.Errorf("WebsiteDomain(%q) = %q, want an error", in, got)
		}
	}
	if got := attribution.ProspectKeys("dana@acme.com", "https://www.acme.com", nil); !slices.Equal(got, []string{"acme.com"}) {
		t.Errorf("ProspectKeys(same domain) = %v", got)
	}
	if got := attribution.ProspectKeys("dana@gmail.com", "acme.io", nil); !slices.Equal(got, []string{"acme.io"}) {
		t.Errorf("ProspectKeys(free mail) = %v", got)
	}
	if got := attribution.ProspectKeys("dana@acme corp", "not a site", nil); len(got) != 0 {
		t.Errorf("ProspectKeys(unusable input) = %q, want no key", got)
	}
}

// FuzzProspectInput feeds arbitrary partner input (the e-mail, website
// and LinkedIn fields of a lead or an application) to the parsers behind
// the prospect checks. They must never panic or fail; they refuse only
// with the documented reasons, which read back through ParseReason; and
// every key they derive is a lower-case domain name that a store accepts.
func FuzzProspectInput(f *testing.F) {
	f.Add("dana@acme.com", "https://www.Acme.com/about", "https://www.linkedin.com/company/acme")
	f.Add("", "acme.com", "linkedin.com/")
	f.Add("x@gmail.com", "http://10.0.0.1", "https://linkedin.com.evil.io/x")
	f.Add("Dana <dana@acme.com>", "https://user:pw@acme.com", "https://www.linkedin.com/in/%zz")
	f.Add("a@www.com", "https://www.com", "ftp://linkedin.com/in/x")
	checks := []attribution.ProspectCheck{attribution.ProfessionalEmail{}, attribution.CompanyWebsite{}, attribution.LinkedInFootprint{}}
	allowed := map[attribution.ReasonCode]bool{
		attribution.ReasonNoEmail: true, attribution.ReasonFreeMail: true, attribution.ReasonNoWebsite: true,
		attribution.ReasonBadWebsite: true, attribution.ReasonNoLinkedIn: true,
	}
	f.Fuzz(func(t *testing.T, email, website, linkedIn string) {
		p := attribution.Prospect{Kind: attribution.ProspectLead, Email: email, Website: website, LinkedIn: linkedIn}
		reasons, err := attribution.EvaluateProspect(ctx, checks, p)
		if err != nil {
			t.Fatalf("EvaluateProspect(%+v) failed: %v", p, err)
		}
		for _, r := range reasons {
			if !allowed[r.Code] {
				t.Fatalf("undocumented reason %q for %+v", r, p)
			}
			if back := attribution.ParseReason(r.String()); back != r {
				t.Fatalf("reason %+v reads back as %+v", r, back)
			}
		}
		d, err := attribution.WebsiteDomain(website)
		if (err == nil) == slices.ContainsFunc(reasons, func(r attribution.Reason) bool {
			return r.Code == attribution.ReasonNoWebsite || r.Code == attribution.ReasonBadWebsite
		}) {
			t.Fatalf("WebsiteDomain(%q) = %q, %v disagrees with the reasons %v", website, d, err, reasons)
		}
		for _, k := range attribution.ProspectKeys(email, website, nil) {
			if k == "" || len(k) > affiliate.MaxIDLen || k != strings.ToLower(k) || !strings.Contains(k, ".") || strings.ContainsAny(k, "/:@ ") {
				t.Fatalf("ProspectKeys(%q, %q) gave the unusable key %q", email, website, k)
			}
		}
	})
}

func mustAddLead(t tb, s *memstore.Store, l affiliate.Lead, keys ...string) {
	t.Helper()
	if err := s.AddLead(ctx, l, keys); err != nil {
		t.Fatal(err)
	}
}
