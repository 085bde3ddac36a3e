package affiliate

import "time"

// Reinstatement undoes a chargeback the merchant won (Stripe's
// charge.dispute.closed with status "won"): the money came back, so the
// commission the chargeback took back is owed again. It names the
// chargeback (a Refund of KindChargeback) it undoes; the ledger then
// follows as if that chargeback had not happened.
type Reinstatement struct {
	ID           EventID
	Chargeback   EventID // the Refund of KindChargeback being undone
	Customer     CustomerID
	ReinstatedAt time.Time
}

func (r Reinstatement) EventID() EventID          { return r.ID }
func (r Reinstatement) EventCustomer() CustomerID { return r.Customer }
func (r Reinstatement) EventTime() time.Time      { return r.ReinstatedAt }
func (Reinstatement) isEvent()                    {}

// Validate checks the IDs and the time.
func (r Reinstatement) Validate() error {
	if err := ValidateEventID("Reinstatement.ID", r.ID); err != nil {
		return err
	}
	if err := validateID("Reinstatement.Chargeback", string(r.Chargeback)); err != nil {
		return err
	}
	if r.Chargeback == r.ID {
		return fieldErr("Reinstatement.Chargeback", "a reinstatement cannot reference itself")
	}
	if err := validateID("Reinstatement.Customer", string(r.Customer)); err != nil {
		return err
	}
	if err := CheckEventTime("Reinstatement.ReinstatedAt", r.ReinstatedAt); err != nil {
		return err
	}
	return nil
}
