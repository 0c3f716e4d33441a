// workload: a real piece of work, the same on every system: 4 MiB of
// deterministic data compressed with gzip by four goroutines in turn,
// decompressed, hashed with SHA-256 and compared with the digest the data
// must have; plus the program's arguments, environment and exit code as
// a child sees them. Built for linux, freebsd and netbsd from this one
// source, each build must print the same checks.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
)

var passed, failed int

func check(ok bool, format string, args ...interface{}) {
	n := passed + failed + 1
	if ok {
		passed++
		fmt.Printf("ok %d - %s\n", n, fmt.Sprintf(format, args...))
	} else {
		failed++
		fmt.Printf("not ok %d - %s\n", n, fmt.Sprintf(format, args...))
	}
}

func done() {
	fmt.Printf("1..%d\n# passed %d failed %d\n", passed+failed, passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}

// The digest of data(): computed once and written here, so that a build
// that computes something else fails however it got there.
const wantDigest = "b87da199cb854ae8ac25e8951340fb04c1625454628db7cf3bb4db7d9a3403c0"

// 4 MiB from a linear congruential generator, with runs of repeated
// bytes so that compression has work to do.
func data() []byte {
	out := make([]byte, 4<<20)
	x := uint32(12345)
	for i := 0; i < len(out); {
		x = x*1103515245 + 12345
		run := int(x>>28) + 1
		b := byte(x >> 16)
		for j := 0; j < run && i < len(out); j++ {
			out[i] = b
			i++
		}
	}
	return out
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Printf("%s %s", os.Args[2], os.Getenv("WORKLOAD_VALUE"))
		os.Exit(42)
	}
	in := data()
	sum := sha256.Sum256(in)
	digest := hex.EncodeToString(sum[:])
	check(digest == wantDigest, "SHA-256 of the data (%s)", digest)

	// Four goroutines compress a quarter each.
	quarter := len(in) / 4
	parts := make([][]byte, 4)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var buf bytes.Buffer
			w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			w.Write(in[i*quarter : (i+1)*quarter])
			w.Close()
			parts[i] = buf.Bytes()
		}(i)
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	check(total > 0 && total < len(in), "gzip made 4 MiB smaller (%d bytes)", total)

	var back []byte
	for _, p := range parts {
		r, err := gzip.NewReader(bytes.NewReader(p))
		if err != nil {
			check(false, "gunzip: %v", err)
			done()
		}
		b, err := io.ReadAll(r)
		if err != nil {
			check(false, "gunzip: %v", err)
			done()
		}
		back = append(back, b...)
	}
	again := sha256.Sum256(back)
	check(bytes.Equal(back, in), "the data came back through gzip (%d bytes)", len(back))
	check(hex.EncodeToString(again[:]) == wantDigest, "and hashes the same")

	// Arguments, environment and exit code, through a child of this
	// program.
	exe, err := os.Executable()
	check(err == nil, "os.Executable (%v)", err)
	cmd := exec.Command(exe, "child", "an argument")
	cmd.Env = append(os.Environ(), "WORKLOAD_VALUE=from the environment")
	out, err := cmd.Output()
	code := -1
	if e, ok := err.(*exec.ExitError); ok {
		code = e.ExitCode()
	}
	check(string(out) == "an argument from the environment", "a child's argument and environment (%q)", out)
	check(code == 42, "its exit code (%d)", code)
	done()
}
