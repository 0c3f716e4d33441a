// net_http: Go's net/http server and client over the loopback interface
// (IPv4 and IPv6), which brings in the netpoller on non-blocking sockets,
// non-blocking connect, accept4, keep-alive connections reused by the
// client's pool, many concurrent requests, a large body, and a raw TCP
// echo through net.Listen/net.Dial with deadlines.
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
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

// body is what /big serves: 16 MiB of a repeating pattern.
func body() []byte {
	b := make([]byte, 16<<20)
	for i := range b {
		b[i] = byte(i*7 + i/4096)
	}
	return b
}

func serveHTTP(network, addr, name string) {
	ln, err := net.Listen(network, addr)
	check(err == nil, "%s: listen on %s (%v)", name, addr, err)
	if err != nil {
		return
	}
	big := body()
	want := sha256.Sum256(big)
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("n"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(big)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 60 * time.Second}

	resp, err := client.Get(base + "/hello?n=1")
	ok := err == nil && resp.StatusCode == 200
	var text []byte
	if ok {
		text, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	check(ok && string(text) == "hello 1", "%s: GET /hello answered %q (%v)", name, text, err)

	resp, err = client.Get(base + "/big")
	if err == nil {
		got, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		check(rerr == nil && len(got) == len(big) && sha256.Sum256(got) == want,
			"%s: GET /big: %d bytes, digest matches", name, len(got))
	} else {
		check(false, "%s: GET /big (%v)", name, err)
	}

	payload := strings.Repeat("echo me ", 40000)
	resp, err = client.Post(base+"/echo", "text/plain", strings.NewReader(payload))
	if err == nil {
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		check(string(got) == payload, "%s: POST /echo returns the %d-byte body", name, len(payload))
	} else {
		check(false, "%s: POST /echo (%v)", name, err)
	}

	// 50 requests from 10 goroutines: connections are made, reused and
	// closed concurrently.
	var wg sync.WaitGroup
	var mu sync.Mutex
	good := 0
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				n := g*5 + i
				r, err := client.Get(fmt.Sprintf("%s/hello?n=%d", base, n))
				if err != nil {
					continue
				}
				t, _ := io.ReadAll(r.Body)
				r.Body.Close()
				if string(t) == fmt.Sprintf("hello %d", n) {
					mu.Lock()
					good++
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	check(good == 50, "%s: 50 concurrent requests answered (%d)", name, good)
	srv.Close()
}

func echoTCP(network, addr, name string) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		check(false, "%s: raw listen (%v)", name, err)
		return
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				io.Copy(c, c)
				c.Close()
			}(c)
		}
	}()
	c, err := net.DialTimeout(network, ln.Addr().String(), 10*time.Second)
	check(err == nil, "%s: dial the echo server (%v)", name, err)
	if err != nil {
		ln.Close()
		return
	}
	c.Write([]byte("ping"))
	buf := make([]byte, 4)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.ReadFull(c, buf)
	check(err == nil && string(buf) == "ping", "%s: the echo comes back (%q, %v)", name, buf, err)
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	_, err = c.Read(buf)
	ne, isNet := err.(net.Error)
	check(isNet && ne.Timeout(), "%s: a read deadline passes with a timeout error (%v)", name, err)
	c.Close()
	ln.Close()
	_, err = net.DialTimeout(network, ln.Addr().String(), 10*time.Second)
	check(err != nil && strings.Contains(err.Error(), "refused"), "%s: a closed listener refuses (%v)", name, err)
}

func main() {
	serveHTTP("tcp4", "127.0.0.1:0", "IPv4")
	serveHTTP("tcp6", "[::1]:0", "IPv6")
	echoTCP("tcp4", "127.0.0.1:0", "IPv4")
	echoTCP("tcp6", "[::1]:0", "IPv6")
	done()
}
