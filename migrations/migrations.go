// Package migrations embeds the SQL schema, one folder per engine. Files
// are numbered, forward-only, and carry the same names in both folders.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
