package server

// QueryDefaults exposes queryDefaults to the tests that check each
// against its route.
func QueryDefaults() map[string]map[string]string { return queryDefaults }
