// timers: sleeps, timers, tickers, timeouts through select and context,
// measured against the monotonic clock with generous bounds.
package main

import (
	"context"
	"fmt"
	"os"
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

func main() {
	start := time.Now()
	time.Sleep(50 * time.Millisecond)
	el := time.Since(start)
	check(el >= 50*time.Millisecond && el < 5*time.Second, "Sleep(50ms) took %v", el)

	start = time.Now()
	<-time.After(30 * time.Millisecond)
	el = time.Since(start)
	check(el >= 30*time.Millisecond, "time.After(30ms) fired after %v", el)

	// A ticker delivers several ticks in order.
	t := time.NewTicker(10 * time.Millisecond)
	var ticks []time.Time
	for len(ticks) < 5 {
		ticks = append(ticks, <-t.C)
	}
	t.Stop()
	ordered := true
	for i := 1; i < len(ticks); i++ {
		ordered = ordered && ticks[i].After(ticks[i-1])
	}
	check(ordered, "5 ticks, in order")

	// A stopped timer never fires; a reset one fires once.
	tm := time.NewTimer(time.Hour)
	check(tm.Stop(), "Stop on a pending timer")
	tm.Reset(10 * time.Millisecond)
	select {
	case <-tm.C:
		check(true, "a reset timer fired")
	case <-time.After(5 * time.Second):
		check(false, "a reset timer fired")
	}

	// select with a timeout on a channel nobody writes.
	never := make(chan int)
	select {
	case <-never:
		check(false, "select timeout")
	case <-time.After(20 * time.Millisecond):
		check(true, "select timeout")
	}

	// context deadline cancels waiting goroutines.
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ctx.Done()
			errs <- ctx.Err()
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if e == context.DeadlineExceeded {
			n++
		}
	}
	check(n == 10, "a context deadline woke 10 goroutines (%d)", n)

	// Many concurrent timers all fire.
	var fired sync.WaitGroup
	for i := 0; i < 200; i++ {
		fired.Add(1)
		time.AfterFunc(time.Duration(i%20)*time.Millisecond, fired.Done)
	}
	ch := make(chan struct{})
	go func() { fired.Wait(); close(ch) }()
	select {
	case <-ch:
		check(true, "200 AfterFunc timers fired")
	case <-time.After(10 * time.Second):
		check(false, "200 AfterFunc timers fired")
	}

	// Wall clock and monotonic clock agree roughly.
	wall := time.Now().Round(0)
	mono := time.Now()
	check(mono.Sub(wall) < time.Second && wall.Year() >= 2024, "wall clock is sane (%d)", wall.Year())
	done()
}
