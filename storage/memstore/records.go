package memstore

import (
	"time"

	"github.com/openaffiliate/affiliate"
)

// The event record's blob: the hash, the affiliate, then the one event
// it holds (payment, refund or reinstatement) field by field. IDs go in
// as numbers, text as bytes. The event's own ID, customer and time
// usually repeat the record's, which its row holds: those take a byte
// each (selfBlob, timeBlob).
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
		b = x.selfBlob(b.uint(recordPayment), x.events, string(p.ID), string(r.ID))
		b = x.selfBlob(b, x.customers, string(p.Customer), string(r.Customer))
		b = x.timeBlob(b, p.PaidAt, r.Time).uint(uint64(x.words.intern(string(p.Currency))))
		b = b.uint(listLen(len(p.Lines), p.Lines == nil))
		for _, l := range p.Lines {
			b = x.moneyBlob(b.uint(uint64(x.words.intern(string(l.Kind)))), l.Amount)
			b = b.uint(uint64(x.words.intern(l.Plan))).uint(uint64(x.words.intern(l.SKU))).uint(uint64(x.words.intern(l.Description)))
		}
		b = b.uint(uint64(x.words.intern(p.Country))).uint(uint64(x.words.intern(string(p.Conversion.To)))).uint(uint64(x.rate(p.Conversion.Rate)))
	case r.Refund != nil:
		f := r.Refund
		b = x.selfBlob(b.uint(recordRefund), x.events, string(f.ID), string(r.ID)).uint(uint64(x.events.intern(string(f.Payment))))
		b = x.timeBlob(x.selfBlob(b, x.customers, string(f.Customer), string(r.Customer)), f.RefundedAt, r.Time)
		full := uint64(0)
		if f.Full {
			full = 1
		}
		b = x.moneyBlob(b.uint(uint64(x.words.intern(string(f.Kind)))).uint(full), f.Amount)
	default:
		i := r.Reinstatement
		b = x.selfBlob(b.uint(recordReinstatement), x.events, string(i.ID), string(r.ID)).uint(uint64(x.events.intern(string(i.Chargeback))))
		b = x.timeBlob(x.selfBlob(b, x.customers, string(i.Customer), string(r.Customer)), i.ReinstatedAt, r.Time)
	}
	return b
}

// record reads a record recordBlob wrote, whose blob starts rest;
// commitHash is the packed hash of the commit that logged it.
func (x *ids) record(id affiliate.EventID, customer affiliate.CustomerID, at time.Time, rest, commitHash []byte) affiliate.EventRecord {
	r := affiliate.EventRecord{ID: id, Customer: customer, Time: at}
	rd := &reader{rest}
	if rd.uint() == 0 {
		own := reader{commitHash}
		r.Hash = own.hash()
	} else {
		r.Hash = rd.hash()
	}
	r.Affiliate = affiliate.AffiliateID(x.affiliates.str(uint32(rd.uint())))
	switch rd.uint() {
	case recordPayment:
		p := &affiliate.Payment{ID: affiliate.EventID(readSelf(rd, x.events, string(id))), Customer: affiliate.CustomerID(readSelf(rd, x.customers, string(customer)))}
		p.PaidAt = x.readTime(rd, at)
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
		f := &affiliate.Refund{ID: affiliate.EventID(readSelf(rd, x.events, string(id)))}
		f.Payment = affiliate.EventID(x.events.str(uint32(rd.uint())))
		f.Customer = affiliate.CustomerID(readSelf(rd, x.customers, string(customer)))
		f.RefundedAt = x.readTime(rd, at)
		f.Kind = affiliate.RefundKind(x.words.str(uint32(rd.uint())))
		f.Full = rd.uint() == 1
		f.Amount = x.readMoney(rd)
		r.Refund = f
	case recordReinstatement:
		i := &affiliate.Reinstatement{ID: affiliate.EventID(readSelf(rd, x.events, string(id)))}
		i.Chargeback = affiliate.EventID(x.events.str(uint32(rd.uint())))
		i.Customer = affiliate.CustomerID(readSelf(rd, x.customers, string(customer)))
		i.ReinstatedAt = x.readTime(rd, at)
		r.Reinstatement = i
	}
	return r
}

// selfBlob writes s, an ID of in: 0 when it is self (the record's own),
// else its number plus one.
func (x *ids) selfBlob(b blob, in *interner, s, self string) blob {
	if s == self {
		return b.uint(0)
	}
	return b.uint(uint64(in.intern(s)) + 1)
}

func readSelf(rd *reader, in *interner, self string) string {
	if n := rd.uint(); n > 0 {
		return in.str(uint32(n - 1))
	}
	return self
}

// timeBlob writes t: 0 for the zero time, 2 for the same instant and
// location as the record's time, else 1 and the instant.
func (x *ids) timeBlob(b blob, t, recordTime time.Time) blob {
	if t.IsZero() {
		return b.uint(0)
	}
	i := x.locs.instant(t)
	if i == x.locs.instant(recordTime) {
		return b.uint(2)
	}
	return b.uint(1).int(i.sec).int(int64(i.nsec)).uint(uint64(i.loc))
}

// readTime reads a time timeBlob wrote; recordTime is the record's, as
// read from its row.
func (x *ids) readTime(rd *reader, recordTime time.Time) time.Time {
	switch rd.uint() {
	case 0:
		return time.Time{}
	case 2:
		return recordTime
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
