// files: the os and path/filepath packages over a directory tree: create,
// write, read back, rename, walk, stat, symlinks, permissions, append,
// seek, truncate, a file read by many goroutines at once, flock, mmap.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
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
	base := os.TempDir()
	if len(os.Args) > 1 {
		base = os.Args[1]
	}
	dir, err := os.MkdirTemp(base, "gofiles")
	check(err == nil, "MkdirTemp (%v)", err)
	defer os.RemoveAll(dir)

	p := filepath.Join(dir, "a.txt")
	check(os.WriteFile(p, []byte("line one\nline two\n"), 0644) == nil, "WriteFile")
	b, err := os.ReadFile(p)
	check(err == nil && string(b) == "line one\nline two\n", "ReadFile (%q)", b)

	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("line three\n")
	f.Close()
	f, _ = os.Open(p)
	sc := bufio.NewScanner(f)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	f.Close()
	check(len(lines) == 3 && lines[2] == "line three", "append then scan lines (%v)", lines)

	check(os.MkdirAll(filepath.Join(dir, "x/y/z"), 0755) == nil, "MkdirAll")
	for _, n := range []string{"x/1", "x/y/2", "x/y/z/3"} {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0600)
	}
	check(os.Symlink("a.txt", filepath.Join(dir, "link")) == nil, "Symlink")
	var walked []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil {
			rel, _ := filepath.Rel(dir, path)
			walked = append(walked, rel)
		}
		return nil
	})
	sort.Strings(walked)
	check(strings.Join(walked, ",") == ".,a.txt,link,x,x/1,x/y,x/y/2,x/y/z,x/y/z/3", "Walk sees the tree (%v)", walked)

	target, err := os.Readlink(filepath.Join(dir, "link"))
	check(err == nil && target == "a.txt", "Readlink (%q)", target)
	st, err := os.Stat(filepath.Join(dir, "x/1"))
	check(err == nil && st.Mode().Perm() == 0600 && st.Size() == 3, "Stat mode and size")
	check(os.Chmod(filepath.Join(dir, "x/1"), 0640) == nil, "Chmod")
	st, _ = os.Lstat(filepath.Join(dir, "link"))
	check(st.Mode()&os.ModeSymlink != 0, "Lstat sees the symlink")

	check(os.Rename(filepath.Join(dir, "x/1"), filepath.Join(dir, "moved")) == nil, "Rename")
	_, err = os.Stat(filepath.Join(dir, "x/1"))
	check(os.IsNotExist(err), "the old name is gone")

	entries, err := os.ReadDir(filepath.Join(dir, "x/y"))
	check(err == nil && len(entries) == 2, "ReadDir (%d entries)", len(entries))

	// Seek, truncate.
	f, _ = os.OpenFile(filepath.Join(dir, "seek"), os.O_CREATE|os.O_RDWR, 0644)
	f.Write([]byte("0123456789"))
	f.Seek(3, io.SeekStart)
	buf := make([]byte, 4)
	io.ReadFull(f, buf)
	check(string(buf) == "3456", "Seek and read (%q)", buf)
	f.Truncate(5)
	fi, _ := f.Stat()
	check(fi.Size() == 5, "Truncate (%d)", fi.Size())

	// flock: a second open file cannot take the exclusive lock.
	err1 := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	g, _ := os.Open(filepath.Join(dir, "seek"))
	err2 := syscall.Flock(int(g.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	check(err1 == nil && err2 == syscall.EWOULDBLOCK, "flock: exclusive, then refused (%v, %v)", err1, err2)
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	err3 := syscall.Flock(int(g.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	check(err3 == nil, "flock after unlock (%v)", err3)
	g.Close()

	// mmap of the file.
	m, err := syscall.Mmap(int(f.Fd()), 0, 5, syscall.PROT_READ, syscall.MAP_SHARED)
	check(err == nil && string(m) == "01234", "Mmap reads the file (%q, %v)", m, err)
	if err == nil {
		syscall.Munmap(m)
	}
	f.Close()

	// One big file read by 16 goroutines at different offsets.
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	os.WriteFile(filepath.Join(dir, "big"), big, 0644)
	h, _ := os.Open(filepath.Join(dir, "big"))
	var wg sync.WaitGroup
	bad := make(chan int, 16)
	for gi := 0; gi < 16; gi++ {
		wg.Add(1)
		go func(gi int) {
			defer wg.Done()
			chunk := make([]byte, 1<<16)
			off := int64(gi) << 16
			if n, err := h.ReadAt(chunk, off); err != nil || n != len(chunk) {
				bad <- gi
				return
			}
			for i := range chunk {
				if chunk[i] != byte((int(off)+i)*7) {
					bad <- gi
					return
				}
			}
		}(gi)
	}
	wg.Wait()
	close(bad)
	nbad := 0
	for range bad {
		nbad++
	}
	h.Close()
	check(nbad == 0, "16 goroutines read 1 MiB with ReadAt (%d wrong)", nbad)
	done()
}
