package memstore

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// The event record's blob: the hash, the affiliate, then the one event
// it holds (payment, refund or reinstatement) field by field. IDs go in
// as numbers, text as bytes.
const (
	recordPayment = iota + 1
	recordRefund
	recordReinstatement
)

// recordBlob writes r; commitHash is the hash of the commit that logs it,
// which the record's own hash usually repeats.
func (x *ids) recordBlob(b blob, r *affiliate.EventRecord, commitHash string) blob {
	if r.Hash == commitHash {
		b = b.uint(0)
	} else {
		b = packHash(b.uint(1), r.Hash)
	}
	b = b.uint(uint64(x.affiliates.intern(string(r.Affiliate))))
	switch {
	case r.Payment != nil:
		p := r.Payment
		b = b.uint(recordPayment).uint(uint64(x.events.intern(string(p.ID)))).uint(uint64(x.customers.intern(string(p.Customer))))
		b = x.timeBlob(b, p.PaidAt).uint(uint64(x.words.intern(string(p.Currency))))
		b = b.uint(listLen(len(p.Lines), p.Lines == nil))
		for _, l := range p.Lines {
			b = x.moneyBlob(b.uint(uint64(x.words.intern(string(l.Kind)))), l.Amount)
			b = b.uint(uint64(x.words.intern(l.Plan))).uint(uint64(x.words.intern(l.SKU))).uint(uint64(x.words.intern(l.Description)))
		}
		b = b.uint(uint64(x.words.intern(p.Country))).uint(uint64(x.words.intern(string(p.Conversion.To)))).uint(uint64(x.rate(p.Conversion.Rate)))
	case r.Refund != nil:
		f := r.Refund
		b = b.uint(recordRefund).uint(uint64(x.events.intern(string(f.ID)))).uint(uint64(x.events.intern(string(f.Payment))))
		b = x.timeBlob(b.uint(uint64(x.customers.intern(string(f.Customer)))), f.RefundedAt)
		full := uint64(0)
		if f.Full {
			full = 1
		}
		b = x.moneyBlob(b.uint(uint64(x.words.intern(string(f.Kind)))).uint(full), f.Amount)
	default:
		i := r.Reinstatement
		b = b.uint(recordReinstatement).uint(uint64(x.events.intern(string(i.ID)))).uint(uint64(x.events.intern(string(i.Chargeback))))
		b = x.timeBlob(b.uint(uint64(x.customers.intern(string(i.Customer)))), i.ReinstatedAt)
	}
	return b
}

// record reads a record recordBlob wrote; commitHash is the packed hash
// of the commit that logged it.
func (x *ids) record(id affiliate.EventID, customer affiliate.CustomerID, at time.Time, rest ref, commitHash []byte) affiliate.EventRecord {
	r := affiliate.EventRecord{ID: id, Customer: customer, Time: at}
	rd := &reader{x.text.bytes(rest)}
	if rd.uint() == 0 {
		own := reader{commitHash}
		r.Hash = own.hash()
	} else {
		r.Hash = rd.hash()
	}
	r.Affiliate = affiliate.AffiliateID(x.affiliates.str(uint32(rd.uint())))
	switch rd.uint() {
	case recordPayment:
		p := &affiliate.Payment{ID: affiliate.EventID(x.events.str(uint32(rd.uint()))), Customer: affiliate.CustomerID(x.customers.str(uint32(rd.uint())))}
		p.PaidAt = x.readTime(rd)
		p.Currency = affiliate.Currency(x.words.str(uint32(rd.uint())))
		if n := rd.uint(); n > 0 {
			p.Lines = make([]affiliate.Line, n-1)
			for i := range p.Lines {
				l := &p.Lines[i]
				l.Kind = affiliate.LineKind(x.words.str(uint32(rd.uint())))
				l.Amount = x.readMoney(rd)
				l.Plan, l.SKU, l.Description = x.words.str(uint32(rd.uint())), x.words.str(uint32(rd.uint())), x.words.str(uint32(rd.uint()))
			}
		}
		p.Country = x.words.str(uint32(rd.uint()))
		p.Conversion.To = affiliate.Currency(x.words.str(uint32(rd.uint())))
		p.Conversion.Rate = x.rates[rd.uint()]
		r.Payment = p
	case recordRefund:
		f := &affiliate.Refund{ID: affiliate.EventID(x.events.str(uint32(rd.uint()))), Payment: affiliate.EventID(x.events.str(uint32(rd.uint())))}
		f.Customer = affiliate.CustomerID(x.customers.str(uint32(rd.uint())))
		f.RefundedAt = x.readTime(rd)
		f.Kind = affiliate.RefundKind(x.words.str(uint32(rd.uint())))
		f.Full = rd.uint() == 1
		f.Amount = x.readMoney(rd)
		r.Refund = f
	case recordReinstatement:
		i := &affiliate.Reinstatement{ID: affiliate.EventID(x.events.str(uint32(rd.uint()))), Chargeback: affiliate.EventID(x.events.str(uint32(rd.uint())))}
		i.Customer = affiliate.CustomerID(x.customers.str(uint32(rd.uint())))
		i.ReinstatedAt = x.readTime(rd)
		r.Reinstatement = i
	}
	return r
}

// timeBlob writes t; the zero time stays zero.
func (x *ids) timeBlob(b blob, t time.Time) blob {
	if t.IsZero() {
		return b.uint(0)
	}
	i := x.locs.instant(t)
	return b.uint(1).int(i.sec).int(int64(i.nsec)).uint(uint64(i.loc))
}

func (x *ids) readTime(rd *reader) time.Time {
	if rd.uint() == 0 {
		return time.Time{}
	}
	return x.locs.time(instant{sec: rd.int(), nsec: int32(rd.int()), loc: uint16(rd.uint())})
}

// moneyBlob writes m; the zero Money (no currency) stays zero.
func (x *ids) moneyBlob(b blob, m affiliate.Money) blob {
	return b.uint(uint64(x.words.intern(string(m.Currency())))).int(m.Minor())
}

func (x *ids) readMoney(rd *reader) affiliate.Money {
	c, minor := uint32(rd.uint()), rd.int()
	if c == 0 {
		return affiliate.Money{}
	}
	return x.money(minor, c)
}
