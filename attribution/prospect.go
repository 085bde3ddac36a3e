package attribution

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Directory is the host's own customer list. The eligibility checks ask it
// whether a customer or a company is already the host's: the library
// knows only the customers it bound.
type Directory interface {
	// CustomerExisted reports whether the customer signing up was already
	// the host's customer (an earlier account, a past subscription) before
	// this signup. email is normalised, or "" when the signup had none.
	CustomerExisted(ctx context.Context, customer affiliate.CustomerID, email string) (bool, error)

	// DomainIsCustomer reports whether the company at domain (lower-case,
	// without "www.", such as "acme.com") is already the host's customer.
	DomainIsCustomer(ctx context.Context, domain string) (bool, error)
}

// ProspectKind says who a Prospect is.
type ProspectKind string

const (
	ProspectLead    ProspectKind = "lead"    // a company a partner submitted
	ProspectPartner ProspectKind = "partner" // someone applying to be a partner
)

// Prospect is what the lead and partner checks judge. One set of checks
// serves both: a lead and a partner application are judged by the same
// e-mail and website rules, and each program picks the checks that apply.
type Prospect struct {
	Kind ProspectKind
	// ID is the lead's or the affiliate's ID; NotKnown skips the lead with
	// this ID, so a lead is not a duplicate of itself.
	ID       string
	Company  string
	Email    string // normalised, or ""
	Website  string
	LinkedIn string
	// Freelancer is the host's signal that the prospect is a freelancer or
	// an independent worker rather than a company.
	Freelancer bool
}

// ProspectCheck is one rule a lead or a partner application must pass. It
// returns nil to pass, a *Reason (see Refuse) to refuse, and any other
// error when it cannot decide, which fails the call without storing
// anything.
type ProspectCheck interface {
	CheckProspect(ctx context.Context, p Prospect) error
}

// ProspectCheckFunc adapts a function to ProspectCheck.
type ProspectCheckFunc func(ctx context.Context, p Prospect) error

// CheckProspect calls f.
func (f ProspectCheckFunc) CheckProspect(ctx context.Context, p Prospect) error { return f(ctx, p) }

// DefaultLeadChecks are the lead criteria of a lead-referral program: a
// professional e-mail, a well-formed company website, a LinkedIn
// reference, not already a lead or a customer, and not a freelancer.
// leads and dir back the duplicate check (a nil dir skips its customer
// half); freeMail nil means IsFreeMail.
func DefaultLeadChecks(leads storage.LeadFinder, dir Directory, freeMail func(string) bool) []ProspectCheck {
	return []ProspectCheck{
		ProfessionalEmail{FreeMail: freeMail},
		CompanyWebsite{},
		LinkedInFootprint{},
		NotKnown{Leads: leads, Directory: dir, FreeMail: freeMail},
		NotFreelancer{},
	}
}

// DefaultPartnerChecks are the partner criteria of the same programs: a
// professional e-mail and a website. Freelancers are welcome as partners.
func DefaultPartnerChecks(freeMail func(string) bool) []ProspectCheck {
	return []ProspectCheck{ProfessionalEmail{FreeMail: freeMail}, CompanyWebsite{}}
}

// EvaluateProspect runs every check on p and returns every reason given,
// in check order; none means p is accepted. An error that is not a
// refusal stops it and is returned.
func EvaluateProspect(ctx context.Context, checks []ProspectCheck, p Prospect) ([]Reason, error) {
	return collectReasons(checks, func(c ProspectCheck) error { return c.CheckProspect(ctx, p) })
}

// ProfessionalEmail refuses a missing or malformed e-mail address and one
// at a free-mail provider.
type ProfessionalEmail struct {
	FreeMail func(domain string) bool // nil: IsFreeMail
}

// CheckProspect implements ProspectCheck.
func (c ProfessionalEmail) CheckProspect(_ context.Context, p Prospect) error {
	if p.Email == "" {
		return Refuse(ReasonNoEmail, "no e-mail address")
	}
	if _, err := affiliate.ParseEmail(p.Email); err != nil {
		return Refuse(ReasonNoEmail, fmt.Sprintf("%q is not an e-mail address", p.Email))
	}
	d := emailDomain(p.Email)
	if freeMailFunc(c.FreeMail)(d) {
		return Refuse(ReasonFreeMail, d+" is a free-mail provider")
	}
	return nil
}

func freeMailFunc(f func(string) bool) func(string) bool {
	if f == nil {
		return IsFreeMail
	}
	return f
}

// CompanyWebsite refuses a missing website and one that is not a
// well-formed http or https address of a public host name ("acme.com"
// without a scheme is read as https://acme.com).
type CompanyWebsite struct{}

// CheckProspect implements ProspectCheck.
func (CompanyWebsite) CheckProspect(_ context.Context, p Prospect) error {
	if strings.TrimSpace(p.Website) == "" {
		return Refuse(ReasonNoWebsite, "no website")
	}
	if _, err := WebsiteDomain(p.Website); err != nil {
		return Refuse(ReasonBadWebsite, err.Error())
	}
	return nil
}

// LinkedInFootprint refuses a prospect without a well-formed LinkedIn
// reference (an address on linkedin.com with a path, such as
// https://www.linkedin.com/company/acme). The website half of the digital
// footprint is CompanyWebsite's.
type LinkedInFootprint struct{}

// CheckProspect implements ProspectCheck.
func (LinkedInFootprint) CheckProspect(_ context.Context, p Prospect) error {
	if strings.TrimSpace(p.LinkedIn) == "" {
		return Refuse(ReasonNoLinkedIn, "no LinkedIn reference")
	}
	u, host, err := parseWebURL(p.LinkedIn)
	if err != nil || (host != "linkedin.com" && !strings.HasSuffix(host, ".linkedin.com")) || strings.Trim(u.Path, "/") == "" {
		return Refuse(ReasonNoLinkedIn, fmt.Sprintf("%q is not a LinkedIn page", p.LinkedIn))
	}
	return nil
}

// NotFreelancer refuses a prospect the host flags as a freelancer or an
// independent worker.
type NotFreelancer struct{}

// CheckProspect implements ProspectCheck.
func (NotFreelancer) CheckProspect(_ context.Context, p Prospect) error {
	if p.Freelancer {
		return Refuse(ReasonFreelancer, "flagged as a freelancer or independent worker")
	}
	return nil
}

// NotKnown refuses a prospect whose company is already in the pipeline (a
// lead that is not refused shares its e-mail domain or website) or is
// already a customer (the host's Directory knows the domain). Free-mail
// domains identify no company and are never compared.
type NotKnown struct {
	Leads     storage.LeadFinder       // required
	Directory Directory                // nil: the customer half is skipped
	FreeMail  func(domain string) bool // nil: IsFreeMail
}

// CheckProspect implements ProspectCheck.
func (c NotKnown) CheckProspect(ctx context.Context, p Prospect) error {
	if c.Leads == nil {
		return fmt.Errorf("attribution: NotKnown has no lead finder")
	}
	keys := ProspectKeys(p.Email, p.Website, c.FreeMail)
	var reasons []string
	var code ReasonCode
	for _, k := range keys {
		leads, err := c.Leads.LeadsByKey(ctx, k)
		if err != nil {
			return err
		}
		for _, l := range leads {
			if string(l.ID) != p.ID && l.Status != affiliate.LeadRefused {
				code = ReasonAlreadyLead
				reasons = append(reasons, fmt.Sprintf("%s is lead %s", k, l.ID))
				break
			}
		}
	}
	if code != "" {
		return Refuse(code, strings.Join(reasons, "; "))
	}
	if c.Directory != nil {
		for _, k := range keys {
			known, err := c.Directory.DomainIsCustomer(ctx, k)
			if err != nil {
				return err
			}
			if known {
				return Refuse(ReasonAlreadyCustomer, k+" is a customer")
			}
		}
	}
	return nil
}

// ProspectKeys returns the identities of a prospect's company that the
// lead store files it under and NotKnown compares: the e-mail's domain
// (unless free-mail) and the website's domain, lower-cased and without
// "www.", without duplicates. Unusable inputs (an address ParseEmail
// refuses, a website WebsiteDomain refuses) give no key, so every key is
// a domain name a store accepts.
func ProspectKeys(email, website string, freeMail func(string) bool) []string {
	var keys []string
	if addr, err := affiliate.ParseEmail(email); err == nil {
		if d := emailDomain(addr); d != "" && !freeMailFunc(freeMail)(d) {
			keys = append(keys, d)
		}
	}
	if d, err := WebsiteDomain(website); err == nil && !slices.Contains(keys, d) {
		keys = append(keys, d)
	}
	return keys
}

// WebsiteDomain returns the domain of a website address, lower-cased and
// without a leading "www.": "https://www.Acme.com/about" gives "acme.com".
// "www." stays when dropping it would leave a single label ("www.com").
// It returns an error for anything but a well-formed http or https address
// of a host name with at least two labels.
func WebsiteDomain(website string) (string, error) {
	_, host, err := parseWebURL(website)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(host, "www."); ok && strings.Contains(rest, ".") {
		return rest, nil
	}
	return host, nil
}

func parseWebURL(raw string) (*url.URL, string, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > storage.MaxLeadFieldLen {
		return nil, "", fmt.Errorf("longer than %d bytes", storage.MaxLeadFieldLen)
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", fmt.Errorf("%q is not a web address", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, "", fmt.Errorf("%q is not an http or https address", raw)
	}
	if u.User != nil || u.Opaque != "" {
		return nil, "", fmt.Errorf("%q is not a plain web address", raw)
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if !validHostName(host) {
		return nil, "", fmt.Errorf("%q has no public host name", raw)
	}
	return u, host, nil
}

// validHostName accepts DNS names of two or more labels of letters, digits
// and inner hyphens, with an alphabetic top-level label (so no IP
// addresses and no "localhost").
func validHostName(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			b := l[i]
			if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return strings.HasPrefix(tld, "xn--") // internationalised TLDs
		}
	}
	return true
}
