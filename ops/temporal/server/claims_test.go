package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v4"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
)

const (
	issuer   = "https://login.example/dex"
	kid      = "key-1"
	operator = "onboarding-operators"
	viewer   = "onboarding-viewers"
)

var settings = Settings{
	Issuer:       issuer,
	Audiences:    []string{"web-ui-operators", "web-ui-viewers"},
	WriterGroups: []string{operator},
	ReaderGroups: []string{viewer},
	GroupsClaim:  "groups",
	Namespace:    "default",
}

// A mapper whose keys come from an identity provider's JWKS over HTTP, as the server's do, and
// the key that provider signs with.
func newTestMapper(t *testing.T) (*claimMapper, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}}}
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jwks)
	}))
	t.Cleanup(provider.Close)
	keys := authorization.NewDefaultTokenKeyProvider(
		&config.Authorization{JWTKeyProvider: config.JWTKeyProvider{KeySourceURIs: []string{provider.URL}}},
		log.NewNoopLogger(),
	)
	return newClaimMapper(keys, settings, log.NewNoopLogger()), key
}

func token(t *testing.T, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	base := jwt.MapClaims{
		"iss": issuer,
		"aud": "web-ui-operators",
		"sub": "CgVhbmFfb3A",
		"exp": time.Now().Add(10 * time.Minute).Unix(),
		"iat": time.Now().Unix(),
	}
	for k, v := range claims {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	signed := jwt.NewWithClaims(jwt.SigningMethodRS256, base)
	signed.Header["kid"] = kid
	s, err := signed.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + s
}

func roleIn(claims *authorization.Claims, namespace string) authorization.Role {
	return claims.Namespaces[namespace]
}

func TestUsersGetTheRolesOfTheirGroupsInTheNamespaceOnly(t *testing.T) {
	m, key := newTestMapper(t)
	cases := []struct {
		name   string
		groups []interface{}
		want   authorization.Role
	}{
		{"an operator writes", []interface{}{operator}, authorization.RoleWriter},
		{"a viewer reads", []interface{}{viewer}, authorization.RoleReader},
		{"in both groups", []interface{}{viewer, operator}, authorization.RoleWriter | authorization.RoleReader},
		{"in no known group", []interface{}{"everyone", 42}, authorization.RoleUndefined},
		{"no groups claim", nil, authorization.RoleUndefined},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			claims := jwt.MapClaims{"groups": c.groups}
			if c.groups == nil {
				claims = jwt.MapClaims{}
			}
			got, err := m.GetClaims(&authorization.AuthInfo{AuthToken: token(t, key, claims)})
			if err != nil {
				t.Fatal(err)
			}
			if roleIn(got, "default") != c.want || roleIn(got, "temporal-system") != 0 || got.System != 0 {
				t.Fatalf("roles %+v, want %v on default only", got, c.want)
			}
			if got.Subject != "user:CgVhbmFfb3A" {
				t.Fatalf("subject %q", got.Subject)
			}
		})
	}
}

func TestATokenGrantsNothingThroughOtherClaims(t *testing.T) {
	m, key := newTestMapper(t)
	got, err := m.GetClaims(&authorization.AuthInfo{AuthToken: token(t, key, jwt.MapClaims{
		"groups":      []interface{}{viewer},
		"permissions": []interface{}{"temporal-system:admin", "default:admin"},
	})})
	if err != nil {
		t.Fatal(err)
	}
	if got.System != 0 || roleIn(got, "default") != authorization.RoleReader {
		t.Fatalf("roles %+v: the permissions claim must give nothing", got)
	}
}

func TestTokensThatFailAnyCheckFailTheCall(t *testing.T) {
	m, key := newTestMapper(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	groups := []interface{}{operator}
	unsigned := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": issuer, "aud": "web-ui-operators", "sub": "x", "groups": groups, "exp": time.Now().Add(time.Hour).Unix()})
	unsigned.Header["kid"] = kid
	none, _ := unsigned.SignedString(jwt.UnsafeAllowNoneSignatureType)
	shared := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": issuer, "aud": "web-ui-operators", "sub": "x", "groups": groups, "exp": time.Now().Add(time.Hour).Unix()})
	shared.Header["kid"] = kid
	hmac, _ := shared.SignedString([]byte("a shared secret"))
	cases := map[string]string{
		"signed by another key, same key id": token(t, other, jwt.MapClaims{"groups": groups}),
		"expired":                            token(t, key, jwt.MapClaims{"groups": groups, "exp": time.Now().Add(-time.Minute).Unix()}),
		"not yet valid":                      token(t, key, jwt.MapClaims{"groups": groups, "nbf": time.Now().Add(time.Hour).Unix()}),
		"of another issuer":                  token(t, key, jwt.MapClaims{"groups": groups, "iss": "https://evil.example/dex"}),
		"issued to another client":           token(t, key, jwt.MapClaims{"groups": groups, "aud": "some-other-app"}),
		"without an audience":                token(t, key, jwt.MapClaims{"groups": groups, "aud": nil}),
		"without a subject":                  token(t, key, jwt.MapClaims{"groups": groups, "sub": nil}),
		"unsigned (alg none)":                "Bearer " + none,
		"signed with a shared secret":        "Bearer " + hmac,
		"garbage":                            "Bearer not.a.token",
		"not a bearer token":                 "Basic " + token(t, key, jwt.MapClaims{"groups": groups})[len("Bearer "):],
		"no scheme":                          token(t, key, jwt.MapClaims{"groups": groups})[len("Bearer "):],
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			// With a worker's certificate too: a bad token never falls back to it.
			got, err := m.GetClaims(&authorization.AuthInfo{AuthToken: tok, TLSSubject: &pkix.Name{CommonName: "worker-1"}})
			if err == nil {
				t.Fatalf("accepted, roles %+v", got)
			}
		})
	}
}

func TestServicesGetTheRolesOfTheirCertificate(t *testing.T) {
	m, _ := newTestMapper(t)
	admin := &authorization.Claims{System: authorization.RoleAdmin}
	writer := &authorization.Claims{Namespaces: map[string]authorization.Role{"default": authorization.RoleWriter}}
	nothing := &authorization.Claims{}
	cases := map[string]*authorization.Claims{
		"temporal": admin,
		"admin":    admin,
		"api":      writer,
		"worker":   writer,
		"worker-1": writer,
		"worker-b": writer,
		"ui":       nothing,
		"worker-":  nothing,
		"workers":  nothing,
		"intruder": nothing,
		"":         nothing,
	}
	for cn, want := range cases {
		t.Run(cn, func(t *testing.T) {
			got, err := m.GetClaims(&authorization.AuthInfo{TLSSubject: &pkix.Name{CommonName: cn, Organization: []string{"admin"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got.System != want.System || roleIn(got, "default") != roleIn(want, "default") || len(got.Namespaces) > 1 {
				t.Fatalf("roles %+v, want %+v", got, want)
			}
		})
	}
	got, err := m.GetClaims(&authorization.AuthInfo{})
	if err != nil || got.System != 0 || len(got.Namespaces) != 0 {
		t.Fatalf("no certificate and no token: %+v %v", got, err)
	}
}

// What the authorizer then decides with these roles, for the calls the Web UI and the tests on the
// stack make (test/stack/login.test.ts).
func TestTheAuthorizerWithTheseRoles(t *testing.T) {
	m, key := newTestMapper(t)
	authorizer := newAuthorizer()
	const terminate = "/temporal.api.workflowservice.v1.WorkflowService/TerminateWorkflowExecution"
	const list = "/temporal.api.workflowservice.v1.WorkflowService/ListWorkflowExecutions"
	const register = "/temporal.api.workflowservice.v1.WorkflowService/RegisterNamespace"
	const namespaces = "/temporal.api.workflowservice.v1.WorkflowService/ListNamespaces"
	const clusterInfo = "/temporal.api.workflowservice.v1.WorkflowService/GetClusterInfo"
	const searchAttributes = "/temporal.api.workflowservice.v1.WorkflowService/GetSearchAttributes"
	const addSearchAttributes = "/temporal.api.operatorservice.v1.OperatorService/AddSearchAttributes"
	decide := func(claims *authorization.Claims, api, namespace string) authorization.Decision {
		result, err := authorizer.Authorize(t.Context(), claims, &authorization.CallTarget{APIName: api, Namespace: namespace})
		if err != nil {
			t.Fatal(err)
		}
		return result.Decision
	}
	user := func(group string) *authorization.Claims {
		c, err := m.GetClaims(&authorization.AuthInfo{AuthToken: token(t, key, jwt.MapClaims{"groups": []interface{}{group}})})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cert := func(cn string) *authorization.Claims {
		c, _ := m.GetClaims(&authorization.AuthInfo{TLSSubject: &pkix.Name{CommonName: cn}})
		return c
	}
	allow, deny := authorization.DecisionAllow, authorization.DecisionDeny
	checks := []struct {
		who    string
		claims *authorization.Claims
		api    string
		ns     string
		want   authorization.Decision
	}{
		{"operator terminates", user(operator), terminate, "default", allow},
		{"operator, another namespace", user(operator), terminate, "temporal-system", deny},
		{"operator registers a namespace", user(operator), register, "new", deny},
		{"viewer lists", user(viewer), list, "default", allow},
		{"viewer terminates", user(viewer), terminate, "default", deny},
		{"viewer lists the namespaces", user(viewer), namespaces, "", allow},
		{"operator reads the cluster's info", user(operator), clusterInfo, "", allow},
		{"viewer, another cluster-wide read", user(viewer), searchAttributes, "", deny},
		{"operator adds a search attribute", user(operator), addSearchAttributes, "default", deny},
		{"a user of no group lists the namespaces", user("everyone"), namespaces, "", deny},
		{"ui certificate lists", cert("ui"), list, "default", deny},
		{"ui certificate lists the namespaces", cert("ui"), namespaces, "", deny},
		{"no claims list the namespaces", nil, namespaces, "", deny},
		{"worker terminates", cert("worker-1"), terminate, "default", allow},
		{"admin registers", cert("admin"), register, "new", allow},
	}
	for _, c := range checks {
		if got := decide(c.claims, c.api, c.ns); got != c.want {
			t.Errorf("%s: %v, want %v", c.who, got, c.want)
		}
	}
}

func TestSettingsAreRequired(t *testing.T) {
	env := map[string]string{
		"TEMPORAL_SERVER_AUTH_ISSUER":        issuer,
		"TEMPORAL_SERVER_AUTH_AUDIENCES":     "web-ui-operators, web-ui-viewers",
		"TEMPORAL_SERVER_AUTH_WRITER_GROUPS": operator,
		"TEMPORAL_SERVER_AUTH_READER_GROUPS": viewer,
	}
	got, err := settingsFromEnv(func(k string) string { return env[k] })
	if err != nil || len(got.Audiences) != 2 || got.Namespace != "default" || got.GroupsClaim != "groups" {
		t.Fatalf("%+v %v", got, err)
	}
	for name := range env {
		without := func(k string) string {
			if k == name {
				return ""
			}
			return env[k]
		}
		if _, err := settingsFromEnv(without); err == nil {
			t.Errorf("started without %s", name)
		}
	}
}
