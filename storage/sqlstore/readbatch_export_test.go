package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate/storage"
)

// ReadBatchSizes returns, on a store whose ReadBatch pads IN lists
// (PostgreSQL), the chunk limit and the sizes chunks are padded to,
// smallest first; on SQLite, none.
func ReadBatchSizes(s *Store) (limit int, sizes []int) {
	if s.dialect == SQLite {
		return 0, nil
	}
	limit = s.q.maxParams()
	for n := 1; n <= limit; n++ {
		if p := paddedSize(n, limit); len(sizes) == 0 || sizes[len(sizes)-1] != p {
			sizes = append(sizes, p)
		}
	}
	return limit, sizes
}

// CommitOnePostgres is Commit's one-statement path alone: whether it
// wrote c (false where Commit would go on to its transaction).
func CommitOnePostgres(s *Store, c storage.Commit) (bool, error) {
	body, err := checkCommit(c)
	if err != nil {
		return false, err
	}
	return s.commitOnePostgres(context.Background(), c, body)
}
