package server

import (
	"encoding/json"
	"slices"
)

// A client that names fields= gets sparse answers: each article holds
// only the fields named, so a phone on a slow line downloads what it
// shows. The typed answer is built as always and trimmed at the end,
// so every route trims the same way.

// sparse is v, a JSON object, with only the named fields.
func sparse(v any, fields []string) map[string]json.RawMessage {
	b, _ := json.Marshal(v)
	var all map[string]json.RawMessage
	_ = json.Unmarshal(b, &all)
	out := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		if v, ok := all[f]; ok {
			out[f] = v
		}
	}
	return out
}

// sparseList trims each item of a list.
func sparseList[T any](items []T, fields []string) []map[string]json.RawMessage {
	out := make([]map[string]json.RawMessage, len(items))
	for i, it := range items {
		out[i] = sparse(it, fields)
	}
	return out
}

// only is the fields of keep that fields names, or nil (every field)
// when it names none: the embedded blocks of an article show the summary
// fields asked for, or whole summaries.
func only(fields []string, keep map[string]bool) []string {
	var out []string
	for _, f := range fields {
		if keep[f] {
			out = append(out, f)
		}
	}
	return slices.Clip(out)
}
