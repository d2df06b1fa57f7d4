// Command compose-check loads a compose file with compose-go, the parser Docker Compose itself
// uses: it validates the file against the Compose specification, interpolates the variables of
// the environment, and prints the resolved project as JSON (the stack test reads it). It runs no
// container and needs no Docker engine.
//
//	go run . <compose file> [profile ...]
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file> [profile ...]")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions(
		[]string{os.Args[1]},
		cli.WithOsEnv,
		cli.WithName("compose-check"),
		cli.WithProfiles(os.Args[2:]),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
