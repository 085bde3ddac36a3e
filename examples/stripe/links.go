package main

import (
	"context"
	"sync"

	"github.com/openaffiliate/affiliate"
)

// Link ties a Stripe charge or payment intent to the invoice it paid,
// because a refund or a dispute names the charge, while the library's
// payment is the invoice.
type Link struct {
	Invoice  affiliate.EventID
	Customer affiliate.CustomerID
	Total    affiliate.Money // the invoice's total, for telling a full dispute from a partial one
}

// Links stores links by charge and payment intent ID. A host keeps them
// in its own database next to its Stripe objects; MemoryLinks is for the
// demo and tests.
type Links interface {
	// PutLink stores l under each of keys (charge and payment intent IDs).
	PutLink(ctx context.Context, l Link, keys ...string) error
	// Link returns the link stored under key, and whether there is one.
	Link(ctx context.Context, key string) (Link, bool, error)
}

// MemoryLinks is an in-memory Links, safe for concurrent use.
type MemoryLinks struct {
	mu    sync.RWMutex
	links map[string]Link
}

// PutLink implements Links.
func (m *MemoryLinks) PutLink(_ context.Context, l Link, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil {
		m.links = make(map[string]Link)
	}
	for _, k := range keys {
		if k != "" {
			m.links[k] = l
		}
	}
	return nil
}

// Link implements Links.
func (m *MemoryLinks) Link(_ context.Context, key string) (Link, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	l, ok := m.links[key]
	return l, ok, nil
}
