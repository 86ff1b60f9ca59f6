// Command ferretdb-sqlite runs FerretDB's embeddable package with the SQLite backend on one
// loopback address, for the tests and `npm run infra`. A wrapper rather than `go install
// .../cmd/ferretdb`: that binary, built outside FerretDB's own repository, panics at start
// because its generated build/version/version.txt is not part of the published module; the
// embeddable package skips that check.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("ferretdb listening on %s", *listen)
	if err := db.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
