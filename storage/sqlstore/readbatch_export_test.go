package sqlstore

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
