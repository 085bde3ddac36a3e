package sqlstore

// UnnestRows is unnestRows, for the round trip through PostgreSQL.
var UnnestRows = unnestRows
