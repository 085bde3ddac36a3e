package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Affiliates = (*Store)(nil)
)

const affiliateColumns = `a.id, COALESCE(a.parent, ''), a.status, a.name, a.email, a.codes, a.payout_method_on_file, a.created_ns`

// PutAffiliate implements storage.Affiliates. It runs as a serializable
// transaction on PostgreSQL: the parent-cycle check reads the chain before
// the write, and two concurrent puts that would close a cycle between
// them must not both commit.
func (s *Store) PutAffiliate(ctx context.Context, a affiliate.Affiliate) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	var tc textCheck
	tc.text("Affiliate.Name", a.Name)
	tc.text("Affiliate.Email", a.Email)
	tc.time("Affiliate.CreatedAt", a.CreatedAt)
	if tc.err != nil {
		return tc.err
	}
	norm := make([]string, len(a.Codes))
	for i, c := range a.Codes {
		norm[i] = affiliate.NormalizeCode(c)
	}
	return s.write(ctx, "put affiliate", serializable, func(q querier) error {
		if err := s.checkCodesFree(ctx, q, a, norm); err != nil {
			return err
		}
		if a.Parent != "" {
			if err := s.checkParent(ctx, q, a); err != nil {
				return err
			}
		}
		var parent any // NULL for a top-level affiliate
		if a.Parent != "" {
			parent = string(a.Parent)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO affiliate_affiliates
    (id, parent, status, name, email, codes, payout_method_on_file, created_ns)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET
    parent = excluded.parent, status = excluded.status, name = excluded.name, email = excluded.email,
    codes = excluded.codes, payout_method_on_file = excluded.payout_method_on_file, created_ns = excluded.created_ns`,
			string(a.ID), parent, string(a.Status), a.Name, a.Email, encodeList(a.Codes), a.PayoutMethodOnFile, timeNS(a.CreatedAt)); err != nil {
			return dbError("put affiliate", err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM affiliate_codes WHERE affiliate = $1`, string(a.ID)); err != nil {
			return dbError("put affiliate: codes", err)
		}
		if len(norm) == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_codes (code, affiliate) VALUES `)
		placeholders(&b, 1, len(norm), 2)
		b.WriteString(` ON CONFLICT (code) DO NOTHING`)
		args := make([]any, 0, 2*len(norm))
		for _, c := range norm {
			args = append(args, c, string(a.ID))
		}
		res, err := q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return dbError("put affiliate: codes", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("put affiliate: codes", err)
		} else if int(n) != len(norm) {
			// Another writer claimed a code between the check and the
			// insert (possible only outside serializable isolation).
			return &affiliate.FieldError{Field: "Affiliate.Codes", Reason: "a code was claimed concurrently by another affiliate", Err: affiliate.ErrConflict}
		}
		return nil
	})
}

// checkCodesFree reports the first of a's codes, in a's order, that
// another affiliate owns, as memstore does.
func (s *Store) checkCodesFree(ctx context.Context, q querier, a affiliate.Affiliate, norm []string) error {
	if len(norm) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`SELECT code, affiliate FROM affiliate_codes WHERE affiliate <> $1 AND code IN (`)
	args := make([]any, 0, len(norm)+1)
	args = append(args, string(a.ID))
	for i, c := range norm {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+2))
		args = append(args, c)
	}
	b.WriteString(`)`)
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return dbError("put affiliate: codes", err)
	}
	defer rows.Close()
	owners := make(map[string]string)
	for rows.Next() {
		var code, owner string
		if err := rows.Scan(&code, &owner); err != nil {
			return dbError("put affiliate: codes", err)
		}
		owners[code] = owner
	}
	if err := rows.Err(); err != nil {
		return dbError("put affiliate: codes", err)
	}
	for i, c := range a.Codes {
		if owner, ok := owners[norm[i]]; ok {
			return &affiliate.FieldError{Field: "Affiliate.Codes", Reason: "code " + c + " belongs to " + owner, Err: affiliate.ErrConflict}
		}
	}
	return nil
}

// checkParent refuses a parent that is not stored, and one whose chain of
// parents leads back to a.
func (s *Store) checkParent(ctx context.Context, q querier, a affiliate.Affiliate) error {
	var found, loops bool
	err := q.QueryRowContext(ctx, `WITH RECURSIVE chain (id) AS (
    SELECT id FROM affiliate_affiliates WHERE id = $1
    UNION
    SELECT a.parent FROM affiliate_affiliates a JOIN chain c ON a.id = c.id WHERE a.parent IS NOT NULL
)
SELECT EXISTS (SELECT 1 FROM chain WHERE id = $1),
       EXISTS (SELECT 1 FROM chain WHERE id = $2)`, string(a.Parent), string(a.ID)).Scan(&found, &loops)
	if err != nil {
		return dbError("put affiliate: parent", err)
	}
	if !found {
		return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: string(a.Parent) + " is not stored", Err: affiliate.ErrNotFound}
	}
	if loops {
		return &affiliate.FieldError{Field: "Affiliate.Parent", Reason: "parent chain would loop back to " + string(a.ID), Err: affiliate.ErrConflict}
	}
	return nil
}

// Affiliate implements storage.Affiliates.
func (s *Store) Affiliate(ctx context.Context, id affiliate.AffiliateID) (affiliate.Affiliate, error) {
	return readRow(ctx, s, "affiliate", string(id), `SELECT `+affiliateColumns+` FROM affiliate_affiliates a WHERE a.id = $1`, scanAffiliate)
}

// AffiliateByCode implements storage.Affiliates.
func (s *Store) AffiliateByCode(ctx context.Context, code string) (affiliate.Affiliate, error) {
	return readRow(ctx, s, "affiliate code", affiliate.NormalizeCode(code), `SELECT `+affiliateColumns+`
FROM affiliate_codes c JOIN affiliate_affiliates a ON a.id = c.affiliate WHERE c.code = $1`, scanAffiliate)
}

type scanner interface{ Scan(dest ...any) error }

func scanAffiliate(r scanner) (affiliate.Affiliate, error) {
	var row affiliateRow
	if err := r.Scan(row.dests()...); err != nil {
		return affiliate.Affiliate{}, err
	}
	return row.affiliate()
}

// affiliateRow is a row of affiliateColumns as scanned.
type affiliateRow struct {
	id, parent, status, name, email, codes string
	payoutMethodOnFile                     bool
	createdNS                              int64
}

func (row *affiliateRow) dests() []any {
	return []any{&row.id, &row.parent, &row.status, &row.name, &row.email, &row.codes, &row.payoutMethodOnFile, &row.createdNS}
}

func (row *affiliateRow) affiliate() (affiliate.Affiliate, error) {
	list, err := decodeList[string](row.codes)
	if err != nil {
		return affiliate.Affiliate{}, err
	}
	return affiliate.Affiliate{ID: affiliate.AffiliateID(row.id), Parent: affiliate.AffiliateID(row.parent), Status: affiliate.AffiliateStatus(row.status),
		Name: row.name, Email: row.email, Codes: list, PayoutMethodOnFile: row.payoutMethodOnFile, CreatedAt: nsTime(row.createdNS)}, nil
}

// storable reports whether s can be passed to the database as text; a
// lookup for a string that cannot be stored finds nothing.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
