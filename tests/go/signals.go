// signals: os/signal delivery, signal masks via Ignore/Reset, a child
// killed by a signal, and asynchronous preemption: with one P, a goroutine
// spinning in a loop without function calls can only be stopped by the
// runtime's SIGURG, so the program ends only if that signal works.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
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

var spins uint64

//go:noinline
func spin(stop *int32) {
	for atomic.LoadInt32(stop) == 0 {
		spins++
	}
}

func main() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	got := map[os.Signal]bool{}
	timeout := time.After(5 * time.Second)
wait:
	for len(got) < 2 {
		select {
		case s := <-c:
			got[s] = true
		case <-timeout:
			break wait
		}
	}
	check(got[syscall.SIGUSR1] && got[syscall.SIGHUP], "SIGUSR1 and SIGHUP reached signal.Notify (%v)", got)

	// A signal sent through os.Process (the same source builds for every
	// system; tgkill, Linux's thread-directed kill, is tested in C).
	self, err := os.FindProcess(os.Getpid())
	if err == nil {
		err = self.Signal(syscall.SIGUSR2)
	}
	select {
	case s := <-c:
		check(err == nil && s == syscall.SIGUSR2, "Process.Signal SIGUSR2 arrived (%v, %v)", s, err)
	case <-time.After(5 * time.Second):
		check(false, "Process.Signal SIGUSR2 arrived (%v)", err)
	}
	signal.Stop(c)

	// Ignored signals do nothing.
	signal.Ignore(syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	time.Sleep(20 * time.Millisecond)
	check(true, "an ignored SIGUSR1 did not kill the program")
	signal.Reset(syscall.SIGUSR1)

	// Asynchronous preemption: one P, one goroutine spinning forever
	// without calls; main's timer can only run if the spinner is preempted.
	runtime.GOMAXPROCS(1)
	var stop int32
	go spin(&stop)
	runtime.Gosched()
	start := time.Now()
	time.Sleep(100 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	el := time.Since(start)
	check(el < 10*time.Second, "a tight loop was preempted (main woke after %v)", el)

	// SIGSEGV from a nil dereference becomes a recoverable panic.
	func() {
		defer func() {
			r := recover()
			check(r != nil, "a nil dereference is a runtime panic (%v)", r)
		}()
		var p *int
		_ = *p
	}()
	done()
}
