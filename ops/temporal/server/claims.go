package main

import (
	"crypto/x509/pkix"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v4"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
)

// ClaimMapperName is how production.yaml names this claim mapper (global.authorization.claimMapper).
const ClaimMapperName = "credit-onboarding"

// claimMapper gives each call to the frontend its roles, which the default authorizer checks
// against what the call needs (read, write or admin, on the namespace or the cluster):
//
//   - A call with a token (the Web UI forwards its signed-in user's): the token must verify with
//     a key the identity provider publishes and not have expired (Temporal's own JWT claim mapper
//     checks both), come from the configured issuer and be issued to one of the Web UIs' clients.
//     Its user's groups give the roles: writer groups write on the namespace, reader groups read.
//     The token's other claims give nothing (the default mapper's `permissions` claim is ignored).
//     A token that fails any check fails the call: it never falls back to the certificate.
//   - A call without a token gets the roles of its client certificate's subject common name
//     (the stack's development authority issues one per principal: docs/production.md):
//     `temporal`, the server's own system workers, and `admin`, the ops scripts and operators' CLI, administer the cluster;
//     `api` and the workers (`worker`, `worker-<name>`) write on the namespace; `ui`, the Web UI
//     server, gets nothing of its own: it acts only with its users' tokens.
type claimMapper struct {
	verifier authorization.ClaimMapper
	settings Settings
}

var _ authorization.ClaimMapper = (*claimMapper)(nil)

func newClaimMapper(keys authorization.TokenKeyProvider, settings Settings, logger log.Logger) *claimMapper {
	return &claimMapper{
		// Its permissions claim is one no identity provider sends: it grants nothing by itself.
		verifier: authorization.NewDefaultJWTClaimMapper(
			keys,
			&config.Authorization{PermissionsClaimName: "credit-onboarding/no-permissions"},
			logger,
		),
		settings: settings,
	}
}

func (m *claimMapper) GetClaims(info *authorization.AuthInfo) (*authorization.Claims, error) {
	if info.AuthToken != "" {
		return m.userClaims(info.AuthToken)
	}
	return m.certificateClaims(info.TLSSubject), nil
}

func (m *claimMapper) userClaims(authToken string) (*authorization.Claims, error) {
	verified, err := m.verifier.GetClaims(&authorization.AuthInfo{AuthToken: authToken})
	if err != nil {
		return nil, err
	}
	// The signature and expiry are verified above; what follows reads the same token's claims.
	token := strings.TrimSpace(authToken[strings.IndexByte(authToken, ' ')+1:])
	fields := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, fields); err != nil {
		return nil, serviceerror.NewPermissionDenied("malformed token", "")
	}
	if iss, _ := fields["iss"].(string); iss != m.settings.Issuer {
		return nil, serviceerror.NewPermissionDenied("token of another issuer", "")
	}
	if !slices.ContainsFunc(m.settings.Audiences, func(aud string) bool { return fields.VerifyAudience(aud, true) }) {
		return nil, serviceerror.NewPermissionDenied("token issued to another client", "")
	}
	var role authorization.Role
	groups, _ := fields[m.settings.GroupsClaim].([]interface{})
	for _, g := range groups {
		name, _ := g.(string)
		if slices.Contains(m.settings.WriterGroups, name) {
			role |= authorization.RoleWriter
		}
		if slices.Contains(m.settings.ReaderGroups, name) {
			role |= authorization.RoleReader
		}
	}
	claims := &authorization.Claims{Subject: "user:" + verified.Subject}
	if role != authorization.RoleUndefined {
		claims.Namespaces = map[string]authorization.Role{m.settings.Namespace: role}
	}
	return claims, nil
}

func (m *claimMapper) certificateClaims(subject *pkix.Name) *authorization.Claims {
	if subject == nil {
		return &authorization.Claims{}
	}
	name := subject.CommonName
	claims := &authorization.Claims{Subject: "certificate:" + name}
	switch {
	case name == "temporal" || name == "admin":
		claims.System = authorization.RoleAdmin
	case name == "api" || name == "worker" || (strings.HasPrefix(name, "worker-") && len(name) > len("worker-")):
		claims.Namespaces = map[string]authorization.Role{m.settings.Namespace: authorization.RoleWriter}
	}
	return claims
}
