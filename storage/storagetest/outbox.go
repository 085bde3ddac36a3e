package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// OutboxStore is what RunOutbox needs: the outbox and every write that
// appends to it. A store that is also a storage.Rebinder is checked to
// append for Rebind too.
type OutboxStore interface {
	storage.Outbox
	storage.Affiliates
	storage.Profiles
	storage.Events
	storage.Ledger
	storage.Bindings
	storage.Leads
	storage.Reviews
	storage.TierCloses
	storage.Payouts
}

// RunOutbox runs the cases of storage.Outbox: every write kind appends
// the events the storage package derives from it, in the same call; a
// replayed or refused write appends none; cursors and consumers.
func RunOutbox(t *testing.T, newStore Factory[OutboxStore]) {
	t.Run("EveryWrite", func(t *testing.T) { outboxEveryWrite(t, newStore(t)) })
	t.Run("ReplayAndRefusal", func(t *testing.T) { outboxNoEvent(t, newStore(t)) })
	t.Run("Cursors", func(t *testing.T) { outboxCursors(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { outboxConcurrent(t, newStore(t)) })
	t.Run("Model", func(t *testing.T) { outboxModel(t, newStore) })
}

// outboxStep is one write and the events it must append.
type outboxStep struct {
	name string
	do   func(s OutboxStore) error
	want []affiliate.OutboxEvent
	// anew: doing it again is a new change (a profile's next version, a
	// customer moved once more), not a replay: no key makes it one.
	anew bool
}

// outboxScript is one write of every kind s has, in an order that keeps
// each valid: entries, then the payout that claims them.
func outboxScript(s OutboxStore) []outboxStep {
	earned := entry("ob-e1", "ann", "cus-1", "pay-1", eur(1000), t0)
	reversed := entry("ob-e2", "ann", "cus-1", "ref-1", eur(-400), t0.Add(time.Hour))
	reversed.Kind, reversed.Corrects = affiliate.KindReversal, earned.ID
	adjusted := entry("ob-e3", "bob", "cus-2", "pay-2", eur(250), t0.Add(2*time.Hour))
	adjusted.Kind = affiliate.KindAdjustment
	commit := storage.Commit{Key: "ob-commit", Hash: "h", Entries: []affiliate.Entry{earned, reversed, adjusted},
		State: storage.CustomerState{Customer: "cus-1", Version: 1}}
	b := bnd("cus-1", "ann")
	submitted := newLead("ob-l1", "acme.com", affiliate.LeadSubmitted, t0)
	accepted := submitted
	accepted.Status, accepted.DecidedAt = affiliate.LeadAccepted, t0.Add(time.Hour)
	converted := convertLead(accepted, "cus-3", t0.Add(2*time.Hour))
	refused := newLead("ob-l2", "other.com", affiliate.LeadRefused, t0)
	reviews := []affiliate.Review{
		review("ob-rv", affiliate.ReviewHold, earned.ID, "cus-1", "ann", t0),
		review("ob-rv", affiliate.ReviewApprove, earned.ID, "cus-1", "ann", t0.Add(time.Minute)),
		review("ob-rv", affiliate.ReviewReject, adjusted.ID, "cus-2", "bob", t0.Add(time.Minute)),
	}
	tc := tierClose("prog", "2026-01", 1, "ann", "bob")
	po := poPayout("ob-po1", poJan, earned, reversed)
	// A payout created with a reference and a note, which its settlement
	// replaces: its payout.created event still carries them.
	noted := poPayout("ob-po2", poJan, adjusted)
	noted.Reference, noted.Note = "pre-1", "by hand"
	run := poRun(poJan, "h", po, noted)
	paid := po
	paid.Status, paid.Reference, paid.SettledAt = affiliate.PayoutPaid, "tr-1", t0.Add(40*24*time.Hour)
	failed := noted
	failed.Status, failed.Note, failed.SettledAt = affiliate.PayoutFailed, "bounced", t0.Add(41*24*time.Hour)
	prof := affiliate.PayeeProfile{Affiliate: "ann", Version: 1, Method: affiliate.MethodPayPal, Currency: "EUR", Email: "ann@partners.example", UpdatedAt: t0}
	steps := []outboxStep{
		{"Commit", func(s OutboxStore) error { _, err := s.Commit(ctxT(), commit); return err }, storage.CommitEvents(commit), false},
		{"Bind", func(s OutboxStore) error { _, err := s.Bind(ctxT(), b); return err }, storage.BindEvents(b), false},
		{"AddLead", func(s OutboxStore) error { return s.AddLead(ctxT(), submitted, []string{"acme.com"}) }, storage.LeadEvents(submitted), false},
		{"AddLead refused", func(s OutboxStore) error { return s.AddLead(ctxT(), refused, nil) }, storage.LeadEvents(refused), false},
		{"UpdateLead accepted", func(s OutboxStore) error { return s.UpdateLead(ctxT(), accepted, affiliate.LeadSubmitted) }, storage.LeadEvents(accepted), false},
		{"UpdateLead converted", func(s OutboxStore) error { return s.UpdateLead(ctxT(), converted, affiliate.LeadAccepted) }, storage.LeadEvents(converted), false},
		{"AppendReviews", func(s OutboxStore) error { _, err := s.AppendReviews(ctxT(), "ob-rv", "h", reviews); return err }, storage.ReviewEvents("ob-rv", reviews), false},
		{"CommitTierClose", func(s OutboxStore) error { _, err := s.CommitTierClose(ctxT(), tc); return err }, storage.TierCloseEvents(tc), false},
		{"CreatePayoutRun", func(s OutboxStore) error { _, err := s.CreatePayoutRun(ctxT(), run); return err }, storage.PayoutRunEvents(run), false},
		{"SettlePayout", func(s OutboxStore) error {
			_, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: po.ID, Status: affiliate.PayoutPaid, Reference: "tr-1", At: paid.SettledAt})
			return err
		}, storage.SettleEvents("prog", paid), false},
		{"SettlePayout failed", func(s OutboxStore) error {
			_, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: noted.ID, Status: affiliate.PayoutFailed, Note: "bounced", At: failed.SettledAt})
			return err
		}, storage.SettleEvents("prog", failed), false},
		{name: "PutProfile", do: func(s OutboxStore) error {
			if err := s.PutAffiliate(ctxT(), aff("ann", "")); err != nil {
				return err
			}
			_, err := s.PutProfile(ctxT(), prof)
			return err
		}, want: storage.ProfileEvents(prof), anew: true},
	}
	rb, ok := s.(storage.Rebinder)
	if !ok {
		return steps
	}
	// Two moves at one instant: each has its own event.
	toBob, backToAnn := bnd("cus-1", "bob"), bnd("cus-1", "ann")
	toBob.BoundAt, backToAnn.BoundAt = t0.Add(time.Hour), t0.Add(time.Hour)
	return append(steps,
		outboxStep{name: "Rebind", do: func(OutboxStore) error { _, err := rb.Rebind(ctxT(), "ann", toBob); return err }, want: storage.RebindEvents("ann", toBob, 0), anew: true},
		outboxStep{name: "Rebind back", do: func(OutboxStore) error { _, err := rb.Rebind(ctxT(), "bob", backToAnn); return err }, want: storage.RebindEvents("bob", backToAnn, 1), anew: true},
	)
}

// readAll reads the whole outbox in pages of two, so paging is exercised.
func readAll(t *testing.T, s storage.Outbox) []affiliate.OutboxEvent {
	t.Helper()
	var out []affiliate.OutboxEvent
	var c storage.Cursor
	for {
		evs, next, err := s.Read(ctxT(), c, 2)
		if err != nil {
			t.Fatalf("Read(%d, 2): %v", c, err)
		}
		if len(evs) == 0 {
			if next != c {
				t.Fatalf("Read(%d) of nothing returned cursor %d; want %d", c, next, c)
			}
			return out
		}
		if next != storage.Cursor(evs[len(evs)-1].Seq) {
			t.Fatalf("Read(%d) returned cursor %d; want the last event's Seq %d", c, next, evs[len(evs)-1].Seq)
		}
		out, c = append(out, evs...), next
	}
}

func sameEvent(want, got affiliate.OutboxEvent) error {
	if want.ID != got.ID || want.Type != got.Type || !want.At.Equal(got.At) || want.Program != got.Program ||
		want.Affiliate != got.Affiliate || !bytes.Equal(want.Payload, got.Payload) {
		return fmt.Errorf("got %s %s %s %q %s %s; want %s %s %s %q %s %s", got.ID, got.Type, got.At.Format(time.RFC3339), got.Program, got.Affiliate, got.Payload,
			want.ID, want.Type, want.At.Format(time.RFC3339), want.Program, want.Affiliate, want.Payload)
	}
	return nil
}

func outboxEveryWrite(t *testing.T, s OutboxStore) {
	var want []affiliate.OutboxEvent
	for _, st := range outboxScript(s) {
		if len(st.want) == 0 {
			t.Fatalf("%s: the script derives no event", st.name)
		}
		if err := st.do(s); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		want = append(want, st.want...)
		got := readAll(t, s)
		if len(got) != len(want) {
			t.Fatalf("after %s the outbox holds %d events; want %d", st.name, len(got), len(want))
		}
		for i := range want {
			if got[i].Seq != int64(i+1) {
				t.Fatalf("after %s event %d has Seq %d; want %d", st.name, i, got[i].Seq, i+1)
			}
			if err := sameEvent(want[i], got[i]); err != nil {
				t.Fatalf("after %s event %d: %v", st.name, i, err)
			}
		}
	}
	// Copies out: changing a read event's payload changes nothing stored.
	evs, _, err := s.Read(ctxT(), 0, 1)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Read(0, 1) = %d events, %v", len(evs), err)
	}
	evs[0].Payload[0] = 'X'
	if again, _, _ := s.Read(ctxT(), 0, 1); again[0].Payload[0] == 'X' {
		t.Error("a read event's payload shares memory with the store")
	}
}

func outboxNoEvent(t *testing.T, s OutboxStore) {
	script := outboxScript(s)
	for _, st := range script {
		if err := st.do(s); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}
	head := len(readAll(t, s))
	// Each write again: a replay, or a refusal (a bound customer, a lead
	// that moved on, a paid payout); either way no second event.
	for _, st := range script {
		if st.anew {
			continue
		}
		_ = st.do(s)
		if n := len(readAll(t, s)); n != head {
			t.Errorf("%s again appended %d events; want none", st.name, n-head)
		}
	}
	bad := entry("ob-bad", "ann", "cus-9", "pay-9", eur(1), t0)
	bad.Kind = "bogus"
	for _, tc := range []struct {
		name string
		do   func() error
	}{
		{"Commit of an invalid entry", func() error {
			_, err := s.Commit(ctxT(), storage.Commit{Key: "ob-bad", Hash: "h", Entries: []affiliate.Entry{bad}, State: storage.CustomerState{Customer: "cus-9", Version: 1}})
			return err
		}},
		{"Commit with a stale version", func() error {
			_, err := s.Commit(ctxT(), storage.Commit{Key: "ob-stale", Hash: "h", Entries: []affiliate.Entry{entry("ob-e9", "ann", "cus-1", "pay-9", eur(1), t0)}, State: storage.CustomerState{Customer: "cus-1", Version: 1}})
			return err
		}},
		{"Commit of a stored entry ID", func() error {
			_, err := s.Commit(ctxT(), storage.Commit{Key: "ob-dup", Hash: "h", Entries: []affiliate.Entry{entry("ob-e1", "ann", "cus-8", "pay-8", eur(1), t0)}, State: storage.CustomerState{Customer: "cus-8", Version: 1}})
			return err
		}},
		{"Bind invalid", func() error { _, err := s.Bind(ctxT(), affiliate.Binding{Affiliate: "ann"}); return err }},
		{"AddLead holding a held key", func() error {
			return s.AddLead(ctxT(), newLead("ob-l3", "acme.com", affiliate.LeadSubmitted, t0), []string{"acme.com", "new.com"})
		}},
		{"UpdateLead of an unknown lead", func() error {
			return s.UpdateLead(ctxT(), newLead("ob-none", "x.com", affiliate.LeadAccepted, t0), affiliate.LeadSubmitted)
		}},
		{"AppendReviews mismatch", func() error {
			_, err := s.AppendReviews(ctxT(), "ob-rv", "other", []affiliate.Review{review("ob-rv", affiliate.ReviewHold, "ob-e1", "cus-1", "ann", t0)})
			return err
		}},
		{"CommitTierClose skipping a revision", func() error { _, err := s.CommitTierClose(ctxT(), tierClose("prog", "2026-01", 3, "ann")); return err }},
		{"CreatePayoutRun claiming a paid entry", func() error {
			_, err := s.CreatePayoutRun(ctxT(), poRun(poJan.Next(), "h", poPayout("ob-po2", poJan.Next(), entry("ob-e1", "ann", "cus-1", "pay-1", eur(1000), t0))))
			return err
		}},
		{"SettlePayout of an unknown payout", func() error {
			_, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "ob-none", Status: affiliate.PayoutFailed, At: t0})
			return err
		}},
		{"PutProfile invalid", func() error {
			_, err := s.PutProfile(ctxT(), affiliate.PayeeProfile{Affiliate: "ann", Method: affiliate.MethodPayPal, Currency: "EUR", UpdatedAt: t0})
			return err
		}},
		{"PutProfile of an unknown affiliate", func() error {
			_, err := s.PutProfile(ctxT(), affiliate.PayeeProfile{Affiliate: "ghost", Method: affiliate.MethodPayPal, Currency: "EUR", Email: "g@x.example", UpdatedAt: t0})
			return err
		}},
		{"Rebind from another affiliate", func() error {
			rb, ok := s.(storage.Rebinder)
			if !ok {
				return errors.New("no Rebinder")
			}
			_, err := rb.Rebind(ctxT(), "bob", bnd("cus-1", "carl"))
			return err
		}},
	} {
		if err := tc.do(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if n := len(readAll(t, s)); n != head {
			t.Errorf("%s appended %d events; want none", tc.name, n-head)
		}
	}
}

func outboxCursors(t *testing.T, s OutboxStore) {
	if _, err := s.Bind(ctxT(), bnd("cus-1", "ann")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Bind(ctxT(), bnd("cus-2", "bob")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []storage.Cursor{-1, 3, 1 << 40} {
		_, _, err := s.Read(ctxT(), c, 10)
		var ce *storage.CursorError
		if !errors.Is(err, storage.ErrUnknownCursor) || !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &ce) || ce.Cursor != c {
			t.Errorf("Read(%d) = %v; want a *CursorError matching ErrUnknownCursor and ErrInvalid", c, err)
		}
		if err := s.Ack(ctxT(), "mail", c); !errors.Is(err, storage.ErrUnknownCursor) {
			t.Errorf("Ack(mail, %d) = %v; want ErrUnknownCursor", c, err)
		}
	}
	if _, _, err := s.Read(ctxT(), 0, 0); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Read(0, 0) = %v; want ErrInvalid", err)
	}
	if err := s.Ack(ctxT(), "", 1); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Ack of an empty consumer = %v; want ErrInvalid", err)
	}
	if _, err := s.Cursor(ctxT(), ""); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Cursor of an empty consumer = %v; want ErrInvalid", err)
	}
	cursor := func(name string) storage.Cursor {
		t.Helper()
		c, err := s.Cursor(ctxT(), name)
		if err != nil {
			t.Fatalf("Cursor(%s): %v", name, err)
		}
		return c
	}
	if c := cursor("mail"); c != 0 {
		t.Errorf("a new consumer's cursor is %d; want 0", c)
	}
	for _, step := range []struct {
		consumer string
		ack      storage.Cursor
		want     storage.Cursor
	}{
		{"mail", 1, 1},
		{"hooks", 2, 2},
		{"mail", 2, 2},
		{"mail", 1, 2}, // a late ack never moves a consumer back
		{"hooks", 0, 2},
	} {
		if err := s.Ack(ctxT(), step.consumer, step.ack); err != nil {
			t.Fatalf("Ack(%s, %d): %v", step.consumer, step.ack, err)
		}
		if c := cursor(step.consumer); c != step.want {
			t.Errorf("after Ack(%s, %d) its cursor is %d; want %d", step.consumer, step.ack, c, step.want)
		}
	}
	if evs, next, err := s.Read(ctxT(), 2, 10); err != nil || len(evs) != 0 || next != 2 {
		t.Errorf("Read at the head = %d events, cursor %d, %v; want none, 2, nil", len(evs), next, err)
	}
}

// outboxConcurrent has writers bind customers of their own affiliate in
// sequence, all at once: the outbox numbers every event once, with no gap,
// and each affiliate's events come in the order its writer wrote them.
func outboxConcurrent(t *testing.T, s OutboxStore) {
	const writers, each = 4, 8
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := affiliate.AffiliateID(fmt.Sprintf("aff-%d", w))
			for i := range each {
				if _, err := s.Bind(ctxT(), bnd(affiliate.CustomerID(fmt.Sprintf("cus-%d-%d", w, i)), a)); err != nil {
					t.Errorf("Bind: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	evs := readAll(t, s)
	if len(evs) != writers*each {
		t.Fatalf("outbox holds %d events; want %d", len(evs), writers*each)
	}
	next := map[affiliate.AffiliateID]int{}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has Seq %d; want %d", i, e.Seq, i+1)
		}
		want := fmt.Sprintf("bound:cus-%s-%d", e.Affiliate[len("aff-"):], next[e.Affiliate])
		if e.ID != want {
			t.Errorf("event %d of %s is %s; want %s (the writer's order)", i, e.Affiliate, e.ID, want)
		}
		next[e.Affiliate]++
	}
}
