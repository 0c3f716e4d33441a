#!/bin/sh
# files.sh - files, directories, links and metadata.
#
# Usage: busybox sh files.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# Never prints owners, inode numbers, directory sizes, link counts of
# directories or absolute paths (those differ between file systems).
#
# Applets: sh mkdir touch ls cp mv rm rmdir ln link unlink readlink realpath
#          stat find xargs chmod test [ dd truncate mkfifo mktemp basename
#          dirname sync cat wc od cmp head sort sed pwd echo printf
#          date grep
#
# Covers: mkdir -p/-m, touch (create, -d fixed time, -r), ls -1/-a/-R/-t/-r,
# cp (plain, -r, -p), mv (rename, into dir), rm (-f, -r), rmdir,
# ln -s/hard, link/unlink, readlink (-f), realpath, stat -c formats,
# find -name -type -exec -maxdepth -newer -size -empty -perm, xargs,
# chmod octal and symbolic, test file predicates, dd bs/count/skip/seek/
# conv=notrunc with /dev/zero, truncate, fifos, mktemp, basename/dirname.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1
base=$(pwd -P)
rel() { # print a path relative to the scratch directory
	case "$1" in
	"$base") echo "." ;;
	"$base"/*) echo "./${1#"$base"/}" ;;
	*) echo "$1" ;;
	esac
}

echo "== mkdir touch ls"
mkdir -p a/b/c a/d "with space"
mkdir -m 700 private
touch a/file1 a/b/file2 a/b/c/file3 "with space/f s"
echo hello > a/d/hello.txt
ls -1
ls -1a a
ls -1R a
mkdir a 2>/dev/null || echo "mkdir of an existing dir fails"
mkdir -p a/b && echo "mkdir -p of an existing dir succeeds"
stat -c '%A %n' private a

echo "== fixed timestamps"
touch -d '2001-02-03 04:05:06' old
touch -d '2011-12-13 14:15:16' new
touch -r old copytime
stat -c '%Y %n' old new copytime
date -u -r new '+new is %Y-%m-%d %H:%M:%S'
ls -1t old new copytime | head -n 1
ls -1tr old new | head -n 1

echo "== cp mv rm"
printf 'line one\nline two\n' > src.txt
cp src.txt dst.txt
cmp src.txt dst.txt && echo "cp copies the contents"
chmod 640 src.txt
touch -d '2005-05-05 05:05:05' src.txt
cp -p src.txt preserved.txt
stat -c '%a %Y %n' src.txt preserved.txt
cp -r a a_copy
find a_copy | sort
mv dst.txt moved.txt
[ ! -e dst.txt ] && [ -f moved.txt ] && echo "mv renamed the file"
mv moved.txt a/
ls -1 a
mv a/moved.txt a/d/
ls -1 a/d
rm a/d/moved.txt
rm -f does-not-exist && echo "rm -f of a missing file succeeds"
rm does-not-exist 2>/dev/null || echo "rm of a missing file fails"
rm -r a_copy
[ -e a_copy ] || echo "rm -r removed the tree"
rmdir a/b 2>/dev/null || echo "rmdir of a non-empty dir fails"
mkdir emptydir && rmdir emptydir && echo "rmdir of an empty dir works"

echo "== links"
ln -s a/d/hello.txt sym
ln a/d/hello.txt hard
link a/d/hello.txt hard2
readlink sym
cat sym
stat -c '%F|%s|%h|%n' sym hard hard2 a/d/hello.txt
ln -s nowhere dangling
[ -L dangling ] && [ ! -e dangling ] && echo "dangling symlink: -L true, -e false"
ln -s a dirlink
ls -1 dirlink/d
rel "$(readlink -f sym)"
rel "$(readlink -f dirlink/b/../d)"
rel "$(realpath a/b/c/../../d/hello.txt)"
unlink hard2
stat -c '%h %n' hard
ln -sf a/file1 sym
readlink sym
rm sym dangling dirlink hard

echo "== stat"
printf '12345' > five
stat -c '%s %a %F %n' five
chmod 0 five
stat -c '%a %A' five
chmod u+rw,g+r five
stat -c '%a %A' five
chmod a+x five
stat -c '%a' five
chmod go-rwx five
stat -c '%a' five
chmod 4755 five
stat -c '%a %A' five
chmod 644 five
: > empty
stat -c '%s %F' empty
mkfifo pipe
stat -c '%F %a' pipe
rm pipe

echo "== test predicates"
for f in five empty a nonexistent; do
	r=""
	[ -e "$f" ] && r="$r e"
	[ -f "$f" ] && r="$r f"
	[ -d "$f" ] && r="$r d"
	[ -f "$f" ] && [ -s "$f" ] && r="$r s" # (-s of a directory is FS-specific)
	[ -r "$f" ] && r="$r r"
	[ -w "$f" ] && r="$r w"
	echo "$f:$r"
done
chmod 755 five
[ -x five ] && echo "five is executable"
[ old -ot new ] && echo "old -ot new"
[ new -nt old ] && echo "new -nt old"

echo "== find and xargs"
find a | sort
find a -type f | sort
find a -type d -name 'b*' | sort
find . -maxdepth 1 -type f -name '*.txt' | sort
find a -name '*.txt' -exec cat {} \;
find a -type f -exec basename {} \; | sort
find . -maxdepth 1 -newer old -name 'n*' | sort
find . -maxdepth 1 -type f -empty | sort
find . -maxdepth 1 -type f -size +4c | sort
find . -maxdepth 1 -perm 640 -name '*.txt' | sort
find a -type f | sort | xargs wc -c | sed 's/^ *//'
find a -type f -name 'file*' | sort | xargs -n 1 echo found:
printf 'x1\nx2\nx3\n' | xargs -I {} touch made-{}
ls -1 | grep '^made-'
printf 'a b c d e\n' | xargs -n 2 echo
echo "made-x1 made-x2 made-x3" | xargs rm
ls -1 | grep -c '^made-'

echo "== dd truncate"
dd if=/dev/zero of=zeros bs=512 count=4 2>/dev/null
stat -c '%s' zeros
od -A d -t x1 zeros | head -n 3
printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' > letters
dd if=letters of=part bs=1 skip=5 count=10 2>/dev/null
cat part; echo
dd if=letters of=blocks bs=4 count=3 2>/dev/null
cat blocks; echo
printf 'xyz' | dd of=letters bs=1 seek=3 conv=notrunc 2>/dev/null
cat letters; echo
printf 'hello' | dd of=padded bs=1 seek=10 2>/dev/null
od -A d -c padded
dd if=/dev/zero bs=1024 count=64 2>/dev/null | wc -c
truncate -s 100 letters
stat -c '%s' letters
truncate -s 5 letters
cat letters; echo
truncate -s 8 letters
od -c letters | head -n 1
head -c 1000 /dev/urandom | wc -c

echo "== mktemp basename dirname"
t=$(mktemp tmp.XXXXXX)
[ -f "$t" ] && echo "mktemp created a file matching: $(echo "$t" | sed 's/[A-Za-z0-9]\{6\}$/XXXXXX/')"
rm "$t"
td=$(mktemp -d dir.XXXXXX)
[ -d "$td" ] && echo "mktemp -d created a directory"
rmdir "$td"
basename /usr/lib/libc.so.6
basename /usr/lib/libc.so.6 .6
basename dir/
dirname /usr/lib/libc.so.6
dirname file
dirname /
sync && echo "sync ok"

echo "== cleanup"
rm -r a "with space" private old new copytime src.txt preserved.txt five empty zeros letters part blocks padded
ls -1a
echo "== done"
