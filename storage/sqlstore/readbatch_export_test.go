package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate/storage"
)

// CommitOnePostgres is Commit's one-statement path alone: whether it
// wrote c (false where Commit would go on to its transaction).
func CommitOnePostgres(s *Store, c storage.Commit) (bool, error) {
	body, err := checkCommit(c)
	if err != nil {
		return false, err
	}
	return s.commitOnePostgres(context.Background(), c, body)
}
