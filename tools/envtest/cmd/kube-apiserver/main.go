// kube-apiserver built from the upstream release module, for the operator's integration tests
// (the binary controller-runtime's envtest runs, without downloading it).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
