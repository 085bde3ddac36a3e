package sqlstore

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// unnestRows returns a PostgreSQL FROM source of the rows of args, cols
// values to a row, and its parameters: one a column, the column's values
// as the text of an array, which the statement casts and unnests.
//
// The batch path writes its rows so, not as rows of VALUES. A batch of
// 1,000 entries as VALUES binds 22,000 parameters that the client boxes,
// converts and encodes one by one and the server parses one by one, and
// it must be cut into statements under the parameter limit; as arrays it
// is one statement of 22 parameters whatever the batch size, whose text
// is the same for every batch. The parameters are text, which every
// driver passes as it is.
//
// A value is a string (text), an int or int64 (bigint), or a []byte or
// nil (bytea, nil being NULL, as blobArg gives); every value of a column
// is of its first row's type.
func unnestRows(args []any, cols int) (from string, params []any, err error) {
	if cols == 0 || len(args)%cols != 0 {
		return "", nil, fmt.Errorf("sqlstore: %d values are not rows of %d", len(args), cols)
	}
	var sql strings.Builder
	sql.WriteString("unnest(")
	params = make([]any, cols)
	var b []byte
	for c := range cols {
		typ := columnType(args[c])
		b = append(b[:0], '{')
		for i := c; i < len(args); i += cols {
			if i > c {
				b = append(b, ',')
			}
			if b, err = appendElement(b, typ, args[i]); err != nil {
				return "", nil, err
			}
		}
		params[c] = string(append(b, '}'))
		if c > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("$" + strconv.Itoa(c+1) + "::text::" + typ + "[]")
	}
	sql.WriteString(")")
	return sql.String(), params, nil
}

func columnType(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int, int64:
		return "bigint"
	}
	return "bytea"
}

// appendElement appends v, a value of a column of type typ, as an array
// element: text quoted, with '"' and '\' escaped; bytea in hex, quoted
// for its backslash.
func appendElement(b []byte, typ string, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		if typ == "text" {
			b = append(b, '"')
			for i := range len(v) {
				if v[i] == '"' || v[i] == '\\' {
					b = append(b, '\\')
				}
				b = append(b, v[i])
			}
			return append(b, '"'), nil
		}
	case int:
		if typ == "bigint" {
			return strconv.AppendInt(b, int64(v), 10), nil
		}
	case int64:
		if typ == "bigint" {
			return strconv.AppendInt(b, v, 10), nil
		}
	case []byte:
		if typ == "bytea" {
			b = append(b, `"\\x`...)
			return append(hex.AppendEncode(b, v), '"'), nil
		}
	case nil:
		if typ == "bytea" {
			return append(b, "NULL"...), nil
		}
	}
	return b, fmt.Errorf("sqlstore: a %T in a column of %s", v, typ)
}
