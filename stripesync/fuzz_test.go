package stripesync_test

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzHandler delivers arbitrary bodies, correctly signed, to the
// endpoint: it never panics, always answers JSON (post checks), answers
// only the documented statuses, and a delivery it does not accept (any
// status but 200) stores nothing.
func FuzzHandler(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if b, err := os.ReadFile("testdata/" + e.Name()); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{"lines":{"has_more":true}}}}`))
	f.Add([]byte(`{"id":"evt_1","object":"event","type":"charge.dispute.closed","data":{"object":{"id":"du_1","charge":"ch_1","status":"won"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		h := newHarness(t)
		before := h.snapshot()
		status, out := h.post(body, sign(body, testSecret, clock))
		switch status {
		case 200, 202, 400, 413:
		default:
			t.Fatalf("status %d (%+v) is not one a signed POST can get", status, out)
		}
		if status != 200 {
			if diff := cmp.Diff(before, h.snapshot(), cmp.AllowUnexported(snapshot{})); diff != "" {
				t.Errorf("status %d changed storage (-before +after):\n%s", status, diff)
			}
		}
	})
}
