package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Leads      = (*Store)(nil)
	_ storage.LeadFinder = (*Store)(nil)
)

const leadColumns = `l.id, l.affiliate, l.company, l.email, l.website, l.linkedin, l.freelancer, l.status, l.reasons,
    l.submitted_ns, l.decided_ns, l.customer, l.converted_ns`

// leadKeys validates keys and returns them without duplicates, in order,
// as memstore does.
func leadKeys(keys []string) ([]string, error) {
	out := make([]string, 0, len(keys))
	var tc textCheck
	for _, k := range keys {
		if k == "" || len(k) > affiliate.MaxIDLen {
			return nil, invalid("keys", "a lead key must hold 1 to 255 bytes")
		}
		tc.text("keys", k)
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, tc.err
}

func checkLeadText(l affiliate.Lead) error {
	var tc textCheck
	tc.text("Lead.Company", l.Company)
	tc.text("Lead.Email", l.Email)
	tc.text("Lead.Website", l.Website)
	tc.text("Lead.LinkedIn", l.LinkedIn)
	tc.text("Lead.Customer", string(l.Customer))
	for _, r := range l.Reasons {
		tc.text("Lead.Reasons", r)
	}
	tc.time("Lead.SubmittedAt", l.SubmittedAt)
	tc.time("Lead.DecidedAt", l.DecidedAt)
	tc.time("Lead.ConvertedAt", l.ConvertedAt)
	return tc.err
}

// AddLead implements storage.Leads. The lead's keys go in with
// ON CONFLICT (key) WHERE holds DO NOTHING: the partial unique index, not
// the read before it, decides which of two concurrent submissions holds a
// key.
func (s *Store) AddLead(ctx context.Context, l affiliate.Lead, keys []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := storage.ValidateLead(l); err != nil {
		return err
	}
	keys, err := leadKeys(keys)
	if err != nil {
		return err
	}
	if err := checkLeadText(l); err != nil {
		return err
	}
	holds := l.Status != affiliate.LeadRefused
	return s.write(ctx, "add lead", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `INSERT INTO affiliate_leads (id, affiliate, company, email, website, linkedin,
    freelancer, status, reasons, submitted_ns, decided_ns, customer, converted_ns)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
			string(l.ID), string(l.Affiliate), l.Company, l.Email, l.Website, l.LinkedIn, l.Freelancer, string(l.Status),
			encodeList(l.Reasons), timeNS(l.SubmittedAt), timeNS(l.DecidedAt), string(l.Customer), timeNS(l.ConvertedAt))
		if err != nil {
			return dbError("add lead", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("add lead", err)
		} else if n == 0 {
			stored, err := scanLead(q.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM affiliate_leads l WHERE l.id = $1`, string(l.ID)))
			if err != nil {
				return dbError("add lead: replay", err)
			}
			if storage.SameLead(stored, l) {
				return nil // a replay
			}
			return conflict("lead %q is already stored with other content", l.ID)
		}
		if len(keys) == 0 {
			return s.appendOutbox(ctx, q, storage.LeadEvents(l))
		}
		if holds {
			if err := s.checkKeysFree(ctx, q, keys); err != nil {
				return err
			}
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_lead_keys (key, lead, submitted_ns, holds) VALUES `)
		placeholders(&b, 1, len(keys), 4)
		b.WriteString(` ON CONFLICT (key) WHERE holds DO NOTHING`)
		args := make([]any, 0, 4*len(keys))
		for _, k := range keys {
			args = append(args, k, string(l.ID), timeNS(l.SubmittedAt), holds)
		}
		res, err = q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return dbError("add lead: keys", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("add lead: keys", err)
		} else if int(n) != len(keys) {
			return conflict("a key of lead %q was taken by a concurrent submission", l.ID)
		}
		return s.appendOutbox(ctx, q, storage.LeadEvents(l))
	})
}

// checkKeysFree reports the first of keys that a lead which is not refused
// holds, as memstore does.
func (s *Store) checkKeysFree(ctx context.Context, q querier, keys []string) error {
	var b strings.Builder
	b.WriteString(`SELECT key, lead FROM affiliate_lead_keys WHERE holds AND key IN (`)
	args := make([]any, len(keys))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
		args[i] = k
	}
	b.WriteString(`)`)
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return dbError("add lead: keys", err)
	}
	defer rows.Close()
	held := make(map[string]string)
	for rows.Next() {
		var k, lead string
		if err := rows.Scan(&k, &lead); err != nil {
			return dbError("add lead: keys", err)
		}
		held[k] = lead
	}
	if err := rows.Err(); err != nil {
		return dbError("add lead: keys", err)
	}
	for _, k := range keys {
		if other, ok := held[k]; ok {
			return conflict("lead key %q is held by lead %q", k, other)
		}
	}
	return nil
}

// Lead implements storage.Leads.
func (s *Store) Lead(ctx context.Context, id affiliate.LeadID) (affiliate.Lead, error) {
	return readRow(ctx, s, "lead", string(id), `SELECT `+leadColumns+` FROM affiliate_leads l WHERE l.id = $1`, scanLead)
}

// UpdateLead implements storage.Leads. The status check is in the UPDATE's
// WHERE, so of concurrent updates from one status exactly one changes the
// row; the read after a refused update only tells why.
func (s *Store) UpdateLead(ctx context.Context, l affiliate.Lead, from affiliate.LeadStatus) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := storage.ValidateLead(l); err != nil {
		return err
	}
	if !storage.LeadTransitionAllowed(from, l.Status) {
		return invalid("Lead.Status", "a lead cannot move from "+string(from)+" to "+string(l.Status))
	}
	if err := checkLeadText(l); err != nil {
		return err
	}
	return s.write(ctx, "update lead", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE affiliate_leads SET company = $5, email = $6, website = $7, linkedin = $8,
    freelancer = $9, status = $10, reasons = $11, decided_ns = $12, customer = $13, converted_ns = $14
WHERE id = $1 AND status = $2 AND affiliate = $3 AND submitted_ns = $4`,
			string(l.ID), string(from), string(l.Affiliate), timeNS(l.SubmittedAt),
			l.Company, l.Email, l.Website, l.LinkedIn, l.Freelancer, string(l.Status), encodeList(l.Reasons),
			timeNS(l.DecidedAt), string(l.Customer), timeNS(l.ConvertedAt))
		if err != nil {
			return dbError("update lead", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbError("update lead", err)
		}
		if n == 0 {
			return s.whyNotUpdated(ctx, q, l, from)
		}
		if l.Status == affiliate.LeadRefused {
			if _, err := q.ExecContext(ctx, `UPDATE affiliate_lead_keys SET holds = $2 WHERE lead = $1 AND holds`, string(l.ID), false); err != nil {
				return dbError("update lead: release keys", err)
			}
		}
		return s.appendOutbox(ctx, q, storage.LeadEvents(l))
	})
}

// whyNotUpdated returns the error memstore would have returned for an
// update that matched no row: the checks in memstore's order.
func (s *Store) whyNotUpdated(ctx context.Context, q querier, l affiliate.Lead, from affiliate.LeadStatus) error {
	var (
		status, aff string
		submitted   int64
	)
	err := q.QueryRowContext(ctx, `SELECT status, affiliate, submitted_ns FROM affiliate_leads WHERE id = $1`, string(l.ID)).Scan(&status, &aff, &submitted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return notFound("lead", string(l.ID))
	case err != nil:
		return dbError("update lead", err)
	case affiliate.LeadStatus(status) != from:
		return conflict("lead %q is %s, not %s", l.ID, status, from)
	case affiliate.AffiliateID(aff) != l.Affiliate:
		return invalid("Lead.Affiliate", "differs from the stored lead's")
	default:
		return invalid("Lead.SubmittedAt", "differs from the stored lead's")
	}
}

// LeadsByKey implements storage.LeadFinder, from the index
// affiliate_lead_keys_by_key.
func (s *Store) LeadsByKey(ctx context.Context, key string) ([]affiliate.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []affiliate.Lead{}
	if !storable(key) {
		return out, nil
	}
	return s.queryLeads(ctx, "leads by key", `SELECT `+leadColumns+`
FROM affiliate_lead_keys k JOIN affiliate_leads l ON l.id = k.lead WHERE k.key = $1 ORDER BY k.submitted_ns, k.lead`, key)
}

// queryLeads reads the leads query selects (leadColumns first).
func (s *Store) queryLeads(ctx context.Context, what, query string, args ...any) ([]affiliate.Lead, error) {
	out := []affiliate.Lead{}
	err := s.read(ctx, what, func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLead(rows)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError(what, err)
	}
	return out, nil
}

func scanLead(r scanner) (affiliate.Lead, error) {
	var (
		l                                   affiliate.Lead
		id, aff, status, reasons, customer  string
		submittedNS, decidedNS, convertedNS int64
	)
	if err := r.Scan(&id, &aff, &l.Company, &l.Email, &l.Website, &l.LinkedIn, &l.Freelancer, &status, &reasons,
		&submittedNS, &decidedNS, &customer, &convertedNS); err != nil {
		return affiliate.Lead{}, err
	}
	list, err := decodeList[string](reasons)
	if err != nil {
		return affiliate.Lead{}, err
	}
	l.ID, l.Affiliate, l.Status, l.Reasons, l.Customer = affiliate.LeadID(id), affiliate.AffiliateID(aff), affiliate.LeadStatus(status), list, affiliate.CustomerID(customer)
	l.SubmittedAt, l.DecidedAt, l.ConvertedAt = nsTime(submittedNS), nsTime(decidedNS), nsTime(convertedNS)
	return l, nil
}
