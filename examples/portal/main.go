// Command portal serves the affiliate portal (package portal) over the
// quickstart's data: Ann and her sub-affiliate Ben, three months of
// payments, tier closes and payouts, and two leads.
//
//	go run ./examples/portal [-addr 127.0.0.1:8080]
//
// It prints the sign-in URL. Sign in as Ann or Ben to see the affiliate
// pages (dashboard, referrals, statements with CSV, payouts, leads), or
// as the program manager to mark March's payouts paid. The sign-in is a
// demo cookie; a host passes its own authentication to portal.Config.
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if err := run(*addr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(addr string, out io.Writer) error {
	d, err := newDemo()
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	site, err := newSite(d, secret)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "portal: http://%s/login (sign in as Ann, Ben or the program manager)\n", ln.Addr())
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}
