package main

import (
	"context"

	"go.temporal.io/server/common/authorization"
)

// The cluster-wide reads the Web UI makes as a user opens it: the namespaces to choose from, and
// the cluster's version and capabilities. They show no workflow.
var webUIClusterReads = map[string]bool{
	"/temporal.api.workflowservice.v1.WorkflowService/ListNamespaces": true,
	"/temporal.api.workflowservice.v1.WorkflowService/GetClusterInfo": true,
}

// authorizer is Temporal's default authorizer, which decides every call with the roles the claim
// mapper gave it, but for webUIClusterReads: the default authorizer lets only a role over the whole
// cluster make them, and without them the Web UI signs its user out at once. A caller with any
// role in a namespace may make them; no other call is allowed beyond what the default allows.
type authorizer struct {
	authorization.Authorizer
}

func newAuthorizer() authorizer {
	return authorizer{authorization.NewDefaultAuthorizer()}
}

func (a authorizer) Authorize(ctx context.Context, claims *authorization.Claims, target *authorization.CallTarget) (authorization.Result, error) {
	if claims != nil && webUIClusterReads[target.APIName] {
		for _, role := range claims.Namespaces {
			if role != authorization.RoleUndefined {
				return authorization.Result{Decision: authorization.DecisionAllow}, nil
			}
		}
	}
	return a.Authorizer.Authorize(ctx, claims, target)
}
