package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Touches    = (*Store)(nil)
	_ storage.Leads      = (*Store)(nil)
	_ storage.LeadFinder = (*Store)(nil)
)

// attributionTables holds touches and leads with the indexes the
// attribution shell reads: touches by visitor (ordered by At, then ID),
// leads by key (ordered by SubmittedAt, then ID) and, per key, the lead
// that holds it.
type attributionTables struct {
	touches   map[affiliate.TouchID]affiliate.Touch
	byVisitor map[affiliate.VisitorID][]affiliate.TouchID

	leads     map[affiliate.LeadID]leadRecord
	byKey     map[string][]affiliate.LeadID
	keyHolder map[string]affiliate.LeadID // keys held by leads that are not refused
}

type leadRecord struct {
	lead affiliate.Lead
	keys []string
}

func (t *attributionTables) init() {
	t.touches = make(map[affiliate.TouchID]affiliate.Touch)
	t.byVisitor = make(map[affiliate.VisitorID][]affiliate.TouchID)
	t.leads = make(map[affiliate.LeadID]leadRecord)
	t.byKey = make(map[string][]affiliate.LeadID)
	t.keyHolder = make(map[string]affiliate.LeadID)
}

// bindingAdded lets the attribution and report indexes see a new binding.
// Callers hold the lock. Attribution keeps no index over bindings (a
// binding is read by customer only, which the bindings table serves); the
// report indexes count it as a signup.
func (s *Store) bindingAdded(b affiliate.Binding) { s.reportBinding(b) }

// AddTouch implements storage.Touches.
func (s *Store) AddTouch(ctx context.Context, t affiliate.Touch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &s.attribution
	if _, ok := a.touches[t.ID]; ok {
		return conflict("touch %q is already stored", t.ID)
	}
	a.touches[t.ID] = t // Touch holds no slices or pointers: the value is a copy.
	ids := a.byVisitor[t.Visitor]
	// Clicks arrive in time order nearly always: append unless the last
	// stored touch sorts after this one.
	i := len(ids)
	if i > 0 && compareTouch(a.touches[ids[i-1]], t) > 0 {
		i, _ = slices.BinarySearchFunc(ids, t, func(id affiliate.TouchID, t affiliate.Touch) int {
			return compareTouch(a.touches[id], t)
		})
	}
	a.byVisitor[t.Visitor] = slices.Insert(ids, i, t.ID)
	s.reportTouch(t) // the report indexes count it as a click
	return nil
}

func compareTouch(x, y affiliate.Touch) int {
	if c := x.At.Compare(y.At); c != 0 {
		return c
	}
	return cmp.Compare(x.ID, y.ID)
}

// VisitorTouches implements storage.Touches.
func (s *Store) VisitorTouches(ctx context.Context, v affiliate.VisitorID) ([]affiliate.Touch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := s.attribution.byVisitor[v]
	out := make([]affiliate.Touch, len(ids))
	for i, id := range ids {
		out[i] = s.attribution.touches[id]
	}
	return out, nil
}

func copyLead(l affiliate.Lead) affiliate.Lead {
	l.Reasons = slices.Clone(l.Reasons)
	return l
}

// leadKeys validates keys and returns them without duplicates, in order.
func leadKeys(keys []string) ([]string, error) {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k == "" || len(k) > affiliate.MaxIDLen {
			return nil, invalid("keys", "a lead key must hold 1 to 255 bytes")
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// AddLead implements storage.Leads.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &s.attribution
	if stored, ok := a.leads[l.ID]; ok {
		if storage.SameLead(stored.lead, l) {
			return nil // a replay
		}
		return conflict("lead %q is already stored with other content", l.ID)
	}
	holds := l.Status != affiliate.LeadRefused
	if holds {
		for _, k := range keys {
			if other, ok := a.keyHolder[k]; ok {
				return conflict("lead key %q is held by lead %q", k, other)
			}
		}
	}
	a.leads[l.ID] = leadRecord{lead: copyLead(l), keys: keys}
	for _, k := range keys {
		ids := a.byKey[k]
		i, _ := slices.BinarySearchFunc(ids, l, func(id affiliate.LeadID, l affiliate.Lead) int {
			return compareLead(a.leads[id].lead, l)
		})
		a.byKey[k] = slices.Insert(ids, i, l.ID)
		if holds {
			a.keyHolder[k] = l.ID
		}
	}
	s.appendOutbox(storage.LeadEvents(l))
	return nil
}

func compareLead(x, y affiliate.Lead) int {
	if c := x.SubmittedAt.Compare(y.SubmittedAt); c != 0 {
		return c
	}
	return cmp.Compare(x.ID, y.ID)
}

// Lead implements storage.Leads.
func (s *Store) Lead(ctx context.Context, id affiliate.LeadID) (affiliate.Lead, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Lead{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.attribution.leads[id]
	if !ok {
		return affiliate.Lead{}, notFound("lead", string(id))
	}
	return copyLead(r.lead), nil
}

// UpdateLead implements storage.Leads.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &s.attribution
	r, ok := a.leads[l.ID]
	if !ok {
		return notFound("lead", string(l.ID))
	}
	if r.lead.Status != from {
		return conflict("lead %q is %s, not %s", l.ID, r.lead.Status, from)
	}
	if l.Affiliate != r.lead.Affiliate {
		return invalid("Lead.Affiliate", "differs from the stored lead's")
	}
	if !l.SubmittedAt.Equal(r.lead.SubmittedAt) {
		return invalid("Lead.SubmittedAt", "differs from the stored lead's")
	}
	if l.Status == affiliate.LeadRefused {
		for _, k := range r.keys {
			if a.keyHolder[k] == l.ID {
				delete(a.keyHolder, k)
			}
		}
	}
	r.lead = copyLead(l)
	a.leads[l.ID] = r
	s.appendOutbox(storage.LeadEvents(l))
	return nil
}

// LeadsByKey implements storage.LeadFinder.
func (s *Store) LeadsByKey(ctx context.Context, key string) ([]affiliate.Lead, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := s.attribution.byKey[key]
	out := make([]affiliate.Lead, len(ids))
	for i, id := range ids {
		out[i] = copyLead(s.attribution.leads[id].lead)
	}
	return out, nil
}
