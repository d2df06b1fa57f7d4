// Command temporal-server is the Temporal server of the production topology (`npm run stack` and
// docker-compose.yml): go.temporal.io/server at the version the stack pins, started as its own
// cmd/server starts it, but with every call authorized. Temporal's default authorizer decides
// (authorizer.go: it also lets a user open the Web UI) with the roles that claimMapper
// (claims.go) gives each call: from the user's token that the Web UI forwards, or from the client
// certificate of a service. It runs no server without them: there is no --allow-no-auth here.
//
//	temporal-server --root <dir> --config <dir relative to root> --env <environment> start
//
// The flags and the configuration files are those of Temporal's own server, so the binary takes
// the place of temporal-server in the temporalio/server image.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/temporal"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "temporal-server: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("temporal-server", flag.ContinueOnError)
	root := flags.String("root", ".", "root directory of the execution environment")
	configDir := flags.String("config", "config", "configuration directory, relative to root")
	env := flags.String("env", "development", "environment: the configuration file's name")
	zone := flags.String("zone", "", "availability zone")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() != 1 || flags.Arg(0) != "start" {
		return fmt.Errorf("usage: temporal-server [--root dir] [--config dir] [--env name] start")
	}

	cfg, err := config.LoadConfig(*env, filepath.Join(*root, *configDir), *zone)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	settings, err := settingsFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	auth := &cfg.Global.Authorization
	// The configuration says what runs, and the stock server refuses it (an unknown claim mapper):
	// this file never runs without the authorization below.
	if auth.Authorizer != "default" || auth.ClaimMapper != ClaimMapperName {
		return fmt.Errorf("global.authorization must name authorizer: default and claimMapper: %s", ClaimMapperName)
	}
	if len(auth.JWTKeyProvider.KeySourceURIs) == 0 || auth.JWTKeyProvider.KeySourceURIs[0] == "" {
		return fmt.Errorf("global.authorization.jwtKeyProvider.keySourceURIs: the identity provider's keys are required")
	}

	logger := log.NewZapLogger(log.BuildZapLogger(cfg.Log))
	dynamicConfig := dynamicconfig.Client(dynamicconfig.NewNoopClient())
	if cfg.DynamicConfigClient != nil {
		fileClient, err := dynamicconfig.NewFileBasedClient(cfg.DynamicConfigClient, logger, temporal.InterruptCh())
		if err != nil {
			return fmt.Errorf("dynamic configuration: %w", err)
		}
		dynamicConfig = fileClient
	}
	mapper := newClaimMapper(authorization.NewDefaultTokenKeyProvider(auth, logger), settings, logger)

	server, err := temporal.NewServer(
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithConfig(cfg),
		temporal.WithDynamicConfigClient(dynamicConfig),
		temporal.WithLogger(logger),
		temporal.InterruptOn(temporal.InterruptCh()),
		temporal.WithAuthorizer(newAuthorizer()),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return mapper }),
	)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return server.Start()
}
