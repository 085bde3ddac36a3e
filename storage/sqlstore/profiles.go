package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Profiles = (*Store)(nil)

const profileColumns = `affiliate, version, method, currency, account_holder, iban, bic, email,
    wise_recipient_id, other_details, tax_form, vat_number, updated_ns`

// PutProfile implements storage.Profiles. It runs serializable: it reads
// the newest version before it appends the next, and of two concurrent
// puts one is retried.
func (s *Store) PutProfile(ctx context.Context, p affiliate.PayeeProfile) (affiliate.PayeeProfile, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	if err := p.Validate(); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	var tc textCheck
	for _, f := range []struct{ name, v string }{
		{"PayeeProfile.AccountHolder", p.AccountHolder}, {"PayeeProfile.Email", p.Email},
		{"PayeeProfile.WiseRecipientID", p.WiseRecipientID}, {"PayeeProfile.OtherDetails", p.OtherDetails},
		{"PayeeProfile.VATNumber", p.VATNumber},
	} {
		tc.text(f.name, f.v)
	}
	tc.time("PayeeProfile.UpdatedAt", p.UpdatedAt)
	if tc.err != nil {
		return affiliate.PayeeProfile{}, tc.err
	}
	err := s.write(ctx, "put profile", serializable, func(q querier) error {
		var known bool
		var last int
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM affiliate_affiliates WHERE id = $1),
    COALESCE((SELECT MAX(version) FROM affiliate_payee_profiles WHERE affiliate = $1), 0)`,
			string(p.Affiliate)).Scan(&known, &last); err != nil {
			return dbError("put profile", err)
		}
		if !known {
			return notFound("affiliate", string(p.Affiliate))
		}
		p.Version = last + 1
		if _, err := q.ExecContext(ctx, `INSERT INTO affiliate_payee_profiles (`+profileColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			string(p.Affiliate), p.Version, string(p.Method), string(p.Currency), p.AccountHolder, p.IBAN, p.BIC, p.Email,
			p.WiseRecipientID, p.OtherDetails, string(p.TaxForm), p.VATNumber, timeNS(p.UpdatedAt)); err != nil {
			return dbError("put profile", err)
		}
		return s.appendOutbox(ctx, q, storage.ProfileEvents(p))
	})
	if err != nil {
		return affiliate.PayeeProfile{}, err
	}
	return p, nil
}

// Profile implements storage.Profiles.
func (s *Store) Profile(ctx context.Context, a affiliate.AffiliateID) (affiliate.PayeeProfile, error) {
	return readRow(ctx, s, "profile", string(a), `SELECT `+profileColumns+`
FROM affiliate_payee_profiles WHERE affiliate = $1 ORDER BY version DESC LIMIT 1`, scanProfile)
}

// ProfileVersions implements storage.Profiles.
func (s *Store) ProfileVersions(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.PayeeProfile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !storable(string(a)) {
		return nil, nil
	}
	var out []affiliate.PayeeProfile
	err := s.read(ctx, "profile versions", func(q querier) error {
		out = nil
		rows, err := q.QueryContext(ctx, `SELECT `+profileColumns+`
FROM affiliate_payee_profiles WHERE affiliate = $1 ORDER BY version`, string(a))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProfile(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("profile versions", err)
	}
	return out, nil
}

func scanProfile(r scanner) (affiliate.PayeeProfile, error) {
	var (
		p                             affiliate.PayeeProfile
		id, method, currency, taxForm string
		updatedNS                     int64
	)
	if err := r.Scan(&id, &p.Version, &method, &currency, &p.AccountHolder, &p.IBAN, &p.BIC, &p.Email,
		&p.WiseRecipientID, &p.OtherDetails, &taxForm, &p.VATNumber, &updatedNS); err != nil {
		return affiliate.PayeeProfile{}, err
	}
	p.Affiliate, p.Method, p.Currency = affiliate.AffiliateID(id), affiliate.PayoutMethod(method), affiliate.Currency(currency)
	p.TaxForm, p.UpdatedAt = affiliate.TaxForm(taxForm), nsTime(updatedNS)
	return p, nil
}
