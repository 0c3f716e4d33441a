// exec: os/exec starting other programs (clone with CLONE_VFORK, pipes,
// wait4), exit codes, environment, stdin/stdout plumbing, a pipeline of
// two children, and killing a child.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
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

func main() {
	// The program re-runs itself as the child, so the test needs nothing
	// but itself and /bin/sh.
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "child-exit":
			fmt.Print("child says ", os.Getenv("HELCTIC_GO"))
			os.Exit(7)
		case "child-upper":
			var b bytes.Buffer
			b.ReadFrom(os.Stdin)
			fmt.Print(strings.ToUpper(b.String()))
			os.Exit(0)
		case "child-sleep":
			time.Sleep(time.Hour)
		}
		return
	}
	self, err := os.Executable()
	check(err == nil, "os.Executable (%v)", err)

	cmd := exec.Command(self, "child-exit")
	cmd.Env = append(os.Environ(), "HELCTIC_GO=hello")
	out, err := cmd.Output()
	var ee *exec.ExitError
	check(errors.As(err, &ee) && ee.ExitCode() == 7, "a child's exit status 7 (%v)", err)
	check(string(out) == "child says hello", "its output and environment (%q)", out)

	cmd = exec.Command(self, "child-upper")
	cmd.Stdin = strings.NewReader("through a pipe")
	out, err = cmd.Output()
	check(err == nil && string(out) == "THROUGH A PIPE", "stdin and stdout through pipes (%q, %v)", out, err)

	out, err = exec.Command("/bin/sh", "-c", "echo $((6*7)); exit 0").CombinedOutput()
	check(err == nil && strings.TrimSpace(string(out)) == "42", "/bin/sh -c (%q, %v)", out, err)

	// A pipeline: child 1 | child 2.
	c1 := exec.Command("/bin/sh", "-c", "echo one; echo two; echo three")
	c2 := exec.Command(self, "child-upper")
	r, w, _ := os.Pipe()
	c1.Stdout = w
	c2.Stdin = r
	var b2 bytes.Buffer
	c2.Stdout = &b2
	e1 := c1.Start()
	e2 := c2.Start()
	w.Close()
	r.Close()
	w1 := c1.Wait()
	w2 := c2.Wait()
	check(e1 == nil && e2 == nil && w1 == nil && w2 == nil && b2.String() == "ONE\nTWO\nTHREE\n", "a pipeline of two children (%q)", b2.String())

	// Killing a sleeping child.
	c3 := exec.Command(self, "child-sleep")
	check(c3.Start() == nil, "start a sleeping child")
	time.Sleep(50 * time.Millisecond)
	c3.Process.Signal(syscall.SIGTERM)
	err = c3.Wait()
	ws, _ := c3.ProcessState.Sys().(syscall.WaitStatus)
	check(err != nil && ws.Signaled() && ws.Signal() == syscall.SIGTERM, "SIGTERM ended it (%v)", err)

	// Many short children in a row.
	okCount := 0
	for i := 0; i < 20; i++ {
		if exec.Command("/bin/sh", "-c", "exit 0").Run() == nil {
			okCount++
		}
	}
	check(okCount == 20, "20 children in a row (%d)", okCount)

	_, err = exec.Command("/no/such/program").Output()
	check(err != nil && errors.Is(err, os.ErrNotExist), "a missing program is ENOENT (%v)", err)
	done()
}
