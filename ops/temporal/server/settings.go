package main

import (
	"fmt"
	"net/url"
	"strings"
)

// Settings is what the claim mapper needs beyond the server's configuration file: the identity
// provider's issuer, the clients (audiences) its tokens must be issued to, and which groups hold
// which role in the namespace. Read from the environment (docs/configuration.md).
type Settings struct {
	// Issuer must equal a token's `iss`.
	Issuer string
	// Audiences are the Web UIs' client ids: a token must be issued to one of them.
	Audiences []string
	// WriterGroups' members may act on the namespace's workflows (terminate, reset, signal, ...).
	WriterGroups []string
	// ReaderGroups' members may read the namespace's workflows only.
	ReaderGroups []string
	// GroupsClaim names the token's claim that lists the user's groups.
	GroupsClaim string
	// Namespace is where users and services get their roles.
	Namespace string
}

func settingsFromEnv(getenv func(string) string) (Settings, error) {
	list := func(name string) []string {
		var out []string
		for _, s := range strings.Split(getenv(name), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	or := func(value, fallback string) string {
		if value == "" {
			return fallback
		}
		return value
	}
	s := Settings{
		Issuer:       strings.TrimSpace(getenv("TEMPORAL_SERVER_AUTH_ISSUER")),
		Audiences:    list("TEMPORAL_SERVER_AUTH_AUDIENCES"),
		WriterGroups: list("TEMPORAL_SERVER_AUTH_WRITER_GROUPS"),
		ReaderGroups: list("TEMPORAL_SERVER_AUTH_READER_GROUPS"),
		GroupsClaim:  or(strings.TrimSpace(getenv("TEMPORAL_SERVER_AUTH_GROUPS_CLAIM")), "groups"),
		Namespace:    or(strings.TrimSpace(getenv("TEMPORAL_NAMESPACE")), "default"),
	}
	var missing []string
	if u, err := url.Parse(s.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		missing = append(missing, "TEMPORAL_SERVER_AUTH_ISSUER (an http(s) URL)")
	}
	if len(s.Audiences) == 0 {
		missing = append(missing, "TEMPORAL_SERVER_AUTH_AUDIENCES")
	}
	if len(s.WriterGroups) == 0 {
		missing = append(missing, "TEMPORAL_SERVER_AUTH_WRITER_GROUPS")
	}
	if len(s.ReaderGroups) == 0 {
		missing = append(missing, "TEMPORAL_SERVER_AUTH_READER_GROUPS")
	}
	if len(missing) > 0 {
		return s, fmt.Errorf("required: %s (docs/configuration.md)", strings.Join(missing, ", "))
	}
	return s, nil
}
