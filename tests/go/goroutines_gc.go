// goroutines_gc: many goroutines across threads, channels, mutexes,
// atomics, and enough allocation to make the garbage collector run many
// times, with finalizers and a weakly reachable object collected.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
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

type node struct {
	next *node
	data [64]byte
}

func main() {
	runtime.GOMAXPROCS(4)
	check(runtime.GOMAXPROCS(0) == 4, "GOMAXPROCS(4) holds")

	// 1000 goroutines each summing a range, results over a channel.
	results := make(chan int64, 1000)
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var s int64
			for j := 0; j <= i; j++ {
				s += int64(j)
			}
			results <- s
		}(i)
	}
	wg.Wait()
	close(results)
	var total int64
	for s := range results {
		total += s
	}
	// sum over i of i(i+1)/2 for i in 0..999
	var want int64
	for i := int64(0); i < 1000; i++ {
		want += i * (i + 1) / 2
	}
	check(total == want, "1000 goroutines summed %d (want %d)", total, want)

	// A mutex-protected counter and an atomic one, 8 goroutines each.
	var mu sync.Mutex
	var counter int
	var atom int64
	var wg2 sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for k := 0; k < 20000; k++ {
				mu.Lock()
				counter++
				mu.Unlock()
				atomic.AddInt64(&atom, 1)
			}
		}()
	}
	wg2.Wait()
	check(counter == 160000 && atom == 160000, "mutex and atomic counters agree (%d, %d)", counter, atom)

	// A pipeline of unbuffered channels.
	src := make(chan int)
	sq := make(chan int)
	go func() {
		for i := 1; i <= 1000; i++ {
			src <- i
		}
		close(src)
	}()
	go func() {
		for v := range src {
			sq <- v * v
		}
		close(sq)
	}()
	var sumsq int
	for v := range sq {
		sumsq += v
	}
	check(sumsq == 333833500, "a channel pipeline of squares (%d)", sumsq)

	// Garbage: allocate about 400 MiB in total, keeping little alive.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var keep *node
	for round := 0; round < 200; round++ {
		var head *node
		for i := 0; i < 20000; i++ {
			head = &node{next: head}
			head.data[0] = byte(i)
		}
		if round%50 == 0 {
			keep = head
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	check(after.NumGC > before.NumGC+5, "the collector ran (%d cycles)", after.NumGC-before.NumGC)
	check(after.HeapAlloc < 64<<20, "live heap stays small after collection (%d MiB)", after.HeapAlloc>>20)
	check(keep != nil && keep.data[0] == byte(19999&0xff), "objects still referenced survive")

	// Finalizers run after the object becomes unreachable.
	finalized := make(chan bool, 1)
	func() {
		obj := &node{}
		runtime.SetFinalizer(obj, func(*node) { finalized <- true })
	}()
	got := false
	for i := 0; i < 50 && !got; i++ {
		runtime.GC()
		select {
		case <-finalized:
			got = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	check(got, "a finalizer ran")

	// FreeOSMemory returns memory (madvise) without breaking anything.
	debug.FreeOSMemory()
	check(runtime.NumGoroutine() < 10, "goroutines ended (%d left)", runtime.NumGoroutine())
	done()
}
