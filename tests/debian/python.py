# Debian's python3 on the machinery a Python program leans on: child
# processes, threads, fork, signals, files, and the C extensions Debian
# builds (json, sqlite3, hashlib, zlib). Each part_NAME function is one
# scenario (`python3 python.py NAME`), run in an empty directory.
#
# Nothing printed depends on pids, times or the machine: pids and timings
# are only compared with each other, and what is printed is the verdict.
import hashlib
import json
import os
import queue
import signal
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib


def part_subprocess():
    r = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True)
    print("run:", repr(r.stdout), repr(r.stderr), r.returncode)
    print("check_output:", subprocess.check_output(["printf", "%s-%s", "a", "b"]).decode())
    try:
        subprocess.check_call(["false"])
    except subprocess.CalledProcessError as e:
        print("check_call raised, status", e.returncode)
    # A filter through a pipe in both directions, more than a pipe holds.
    data = "".join(f"line {i}\n" for i in range(20000))
    p = subprocess.Popen(["tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    out, _ = p.communicate(data)
    print("communicate:", len(out), out.count("LINE"), p.returncode)
    # A pipeline of two children, the first's stdout the second's stdin.
    p1 = subprocess.Popen(["seq", "1", "1000"], stdout=subprocess.PIPE)
    p2 = subprocess.Popen(["awk", "{ s += $1 } END { print s }"], stdin=p1.stdout, stdout=subprocess.PIPE, text=True)
    p1.stdout.close()
    print("pipeline:", p2.communicate()[0].strip(), p1.wait(), p2.returncode)
    # Line by line from a running child.
    p = subprocess.Popen([sys.executable, "-u", "-c", "for i in range(3): print('tick', i)"], stdout=subprocess.PIPE, text=True)
    print("lines:", [line.strip() for line in p.stdout], p.wait())
    try:
        subprocess.run(["sleep", "10"], timeout=0.3)
    except subprocess.TimeoutExpired:
        print("timeout expired and the child was killed")
    r = subprocess.run("echo $((6 * 7)) from $0", shell=True, capture_output=True, text=True)
    print("shell:", r.stdout.strip())
    r = subprocess.run(["env"], env={"ONLY": "this"}, capture_output=True, text=True, cwd="/usr")
    print("env:", r.stdout.strip())
    print("cwd:", subprocess.run(["pwd"], cwd="/usr/lib", capture_output=True, text=True).stdout.strip())
    p = subprocess.Popen(["sleep", "30"])
    p.send_signal(signal.SIGTERM)
    print("terminated child:", p.wait())
    try:
        subprocess.run(["/nonexistent/program"])
    except FileNotFoundError as e:
        print("missing program:", e.errno, e.strerror)
    # pass_fds: the child sees exactly the descriptor it was given.
    r_fd, w_fd = os.pipe()
    subprocess.run(["sh", "-c", f"echo through fd {w_fd} >&{w_fd}"], pass_fds=[w_fd])
    os.close(w_fd)
    print("pass_fds:", os.read(r_fd, 100).decode().strip())
    os.close(r_fd)


def part_threading():
    # A pool of workers takes jobs from a queue; results go into a dict
    # under a lock, and a shared counter is incremented under it too.
    jobs = queue.Queue()
    results = {}
    lock = threading.Lock()
    counter = [0]
    seen_threads = set()

    def worker():
        while True:
            n = jobs.get()
            if n is None:
                jobs.task_done()
                return
            value = sum(i * i for i in range(n))
            with lock:
                results[n] = value
                counter[0] += 1
                seen_threads.add(threading.get_ident())
            jobs.task_done()

    pool = [threading.Thread(target=worker, name=f"w{i}") for i in range(8)]
    for t in pool:
        t.start()
    for n in range(1, 2001):
        jobs.put(n)
    for _ in pool:
        jobs.put(None)
    jobs.join()
    for t in pool:
        t.join()
    print("results", len(results), "counter", counter[0], "check", results[2000] == sum(i * i for i in range(2000)))
    print("threads alive after join:", sum(t.is_alive() for t in pool), "more than one worker ran:", len(seen_threads) > 1)

    # Unlocked read-modify-write races are the GIL's business; a Condition
    # and an Event must hand over exactly.
    cond = threading.Condition()
    box = []

    def producer():
        for i in range(100):
            with cond:
                box.append(i)
                cond.notify()

    got = []
    t = threading.Thread(target=producer)
    t.start()
    while len(got) < 100:
        with cond:
            while not box:
                cond.wait(timeout=5)
            got.extend(box)
            box.clear()
    t.join()
    print("condition handed over", len(got), got == list(range(100)))
    ev = threading.Event()
    threading.Timer(0.1, ev.set).start()
    print("event set by a timer:", ev.wait(timeout=10))
    barrier = threading.Barrier(5)
    order = []

    def at_barrier(i):
        barrier.wait()
        with lock:
            order.append(i)

    ts = [threading.Thread(target=at_barrier, args=(i,)) for i in range(5)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("barrier passed by", sorted(order))
    local = threading.local()

    def own(i, out):
        local.v = i
        time.sleep(0.01)
        out.append(local.v == i)

    out = []
    ts = [threading.Thread(target=own, args=(i, out)) for i in range(10)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("thread-local values kept:", all(out), len(out))
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=4) as ex:
        print("executor:", list(ex.map(lambda x: x ** 3, range(10))))


def part_json():
    doc = {"name": "helctic", "list": [1, 2.5, None, True, "ünïcode"], "nested": {"a": {"b": [{}]}}, "big": 2 ** 70}
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False)
    print(text)
    print(json.dumps(doc, sort_keys=True, indent=2)[:60].replace("\n", "|"))
    back = json.loads(text)
    print("round trip:", back == doc)
    with open("doc.json", "w") as f:
        json.dump([doc] * 100, f)
    with open("doc.json") as f:
        print("file:", len(json.load(f)), os.path.getsize("doc.json"))
    try:
        json.loads('{"a": [1, 2,]}')
    except json.JSONDecodeError as e:
        print("error at", e.lineno, e.colno, e.msg)
    print(json.loads('"\\ud83d\\ude00"') == "\U0001F600", json.dumps(float("1e300")), json.loads("1e400"))


def part_sqlite():
    db = sqlite3.connect("test.db")
    db.execute("create table t (id integer primary key, name text, grp integer, value real)")
    db.executemany("insert into t (name, grp, value) values (?, ?, ?)", ((f"name{i}", i % 7, i * 0.5) for i in range(1000)))
    db.commit()
    print("rows", db.execute("select count(*) from t").fetchone()[0])
    for row in db.execute("select grp, count(*), sum(value), min(name) from t group by grp order by grp"):
        print(row)
    db.execute("create index t_grp on t (grp)")
    print(db.execute("select name from t where grp = 3 and value > 490 order by id").fetchall())
    db.execute("update t set value = -1 where id % 100 = 0")
    db.execute("delete from t where grp = 6")
    db.commit()
    print("after update/delete", db.execute("select count(*), sum(value < 0) from t").fetchone())
    db.close()
    # A second connection sees the committed data; the file is valid.
    db = sqlite3.connect("test.db")
    print("integrity", db.execute("pragma integrity_check").fetchone()[0], db.execute("select count(*) from t").fetchone()[0])
    try:
        with db:
            db.execute("insert into t (name) values ('in transaction')")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    print("rolled back:", db.execute("select count(*) from t where name = 'in transaction'").fetchone()[0])
    db.execute("pragma journal_mode=wal")
    db.execute("insert into t (name, grp, value) values ('wal', 1, 1)")
    db.commit()
    print("wal rows", db.execute("select count(*) from t").fetchone()[0])
    db.close()
    r = subprocess.run(["sqlite3", "test.db", "select count(*), max(id) from t;"], capture_output=True, text=True)
    print("sqlite3 cli:", r.stdout.strip(), r.returncode)


def part_hashlib():
    data = b"".join(i.to_bytes(4, "little") for i in range(100000))
    for name in ["md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b"]:
        print(name, hashlib.new(name, data).hexdigest()[:32])
    h = hashlib.sha256()
    for i in range(0, len(data), 4096):
        h.update(data[i:i + 4096])
    print("incremental equal:", h.hexdigest() == hashlib.sha256(data).hexdigest())
    print("pbkdf2", hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 1000).hex()[:32])
    print("crc32", zlib.crc32(data), "compressed", len(zlib.compress(data, 9)) < len(data), zlib.decompress(zlib.compress(data)) == data)
    with open("blob", "wb") as f:
        f.write(data)
    r = subprocess.run(["sha256sum", "blob"], capture_output=True, text=True)
    print("agrees with sha256sum:", r.stdout.split()[0] == hashlib.sha256(data).hexdigest())


def part_fork():
    r, w = os.pipe()
    pids = []
    for i in range(5):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, f"child {i} says {i * i}\n".encode())
            os._exit(10 + i)
        pids.append(pid)
    os.close(w)
    statuses = []
    for pid in pids:
        wpid, status = os.waitpid(pid, 0)
        statuses.append((wpid == pid, os.WIFEXITED(status), os.WEXITSTATUS(status)))
    print("statuses", statuses)
    with os.fdopen(r) as f:
        print(sorted(f.read().splitlines()))
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    print("killed child:", os.WIFSIGNALED(status), os.WTERMSIG(status) == signal.SIGKILL)
    pid = os.fork()
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    print("WNOHANG while running:", os.waitpid(pid, os.WNOHANG))
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    print("terminated:", os.WTERMSIG(status) == signal.SIGTERM)
    # The child's memory is its own copy.
    value = [1]
    pid = os.fork()
    if pid == 0:
        value[0] = 99
        os._exit(value[0])
    _, status = os.waitpid(pid, 0)
    print("copy on write:", value[0], os.WEXITSTATUS(status))
    pid = os.fork()
    if pid == 0:
        os.execvp("sh", ["sh", "-c", "exit 42"])
    print("exec in child:", os.WEXITSTATUS(os.waitpid(pid, 0)[1]))
    print("getppid in child is our pid:", subprocess.run([sys.executable, "-c", "import os; print(os.getppid())"], capture_output=True, text=True).stdout.strip() == str(os.getpid()))


def part_signal():
    got = []
    signal.signal(signal.SIGUSR1, lambda sig, frame: got.append("USR1"))
    os.kill(os.getpid(), signal.SIGUSR1)
    signal.raise_signal(signal.SIGUSR1)
    print("handler ran:", got)
    signal.signal(signal.SIGALRM, lambda sig, frame: got.append("ALRM"))
    signal.alarm(1)
    signal.pause()
    print("after pause:", got)

    class Timeout(Exception):
        pass

    def on_alarm(sig, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        time.sleep(10)
        print("slept through")
    except Timeout:
        print("itimer interrupted sleep")
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
    os.kill(os.getpid(), signal.SIGUSR2)
    print("pending:", signal.SIGUSR2 in signal.sigpending())
    print("sigwait:", signal.sigwait([signal.SIGUSR2]) == signal.SIGUSR2)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    except KeyboardInterrupt:
        print("SIGINT became KeyboardInterrupt")
    # A signal to a child that ignores SIGTERM but not SIGKILL.
    p = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    p.terminate()
    try:
        p.wait(timeout=0.5)
        print("ignored SIGTERM did not help it")
    except subprocess.TimeoutExpired:
        print("child ignored SIGTERM")
    p.kill()
    print("killed:", p.wait())
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w)
    signal.signal(signal.SIGUSR1, lambda *a: None)
    os.kill(os.getpid(), signal.SIGUSR1)
    print("wakeup fd byte:", os.read(r, 1) == bytes([signal.SIGUSR1]))
    signal.set_wakeup_fd(-1)


def part_tempfile():
    with tempfile.TemporaryDirectory() as d:
        print("tempdir is a directory:", os.path.isdir(d), oct(os.stat(d).st_mode & 0o777))
        with tempfile.NamedTemporaryFile("w+", dir=d, suffix=".txt", delete=False) as f:
            f.write("named\n")
            name = f.name
        print("named file:", open(name).read().strip(), name.endswith(".txt"), os.path.dirname(name) == d)
        fd, path = tempfile.mkstemp(dir=d)
        os.write(fd, b"x" * 10)
        os.close(fd)
        print("mkstemp:", os.path.getsize(path), oct(os.stat(path).st_mode & 0o777))
        keep = d
    print("tempdir removed:", not os.path.exists(keep))
    with tempfile.TemporaryFile() as f:
        f.write(b"anonymous")
        f.seek(0)
        print("TemporaryFile:", f.read())
    with tempfile.SpooledTemporaryFile(max_size=10) as f:
        f.write(b"a" * 5)
        small = f._rolled
        f.write(b"b" * 20)
        print("spooled: rolled over", small, f._rolled)
    names = {tempfile.mktemp() for _ in range(50)}
    print("unique names:", len(names), all(n.startswith(tempfile.gettempdir()) for n in names))


def make_source_tree():
    os.makedirs("src/a/b")
    for i, p in enumerate(["src/x.txt", "src/a/y.txt", "src/a/b/z.bin"]):
        with open(p, "wb") as f:
            f.write(bytes(range(256)) * (i + 1) * 100)
    os.symlink("x.txt", "src/link")
    os.chmod("src/x.txt", 0o640)


def listing(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for n in sorted(filenames):
            p = os.path.join(dirpath, n)
            st = os.lstat(p)
            kind = "link->" + os.readlink(p) if os.path.islink(p) else str(st.st_size)
            out.append(f"{os.path.relpath(p, root)} {oct(st.st_mode & 0o777)} {kind}")
    return out


def part_shutil_copytree():
    # copytree and copy2 copy metadata with shutil.copystat, extended
    # attributes included.
    make_source_tree()
    shutil.copytree("src", "dst", symlinks=True)
    print(listing("dst"))
    print("same:", listing("src") == listing("dst"))
    shutil.copy2("src/x.txt", "copy2.txt")
    print("copy2 keeps mtime:", os.stat("src/x.txt").st_mtime == os.stat("copy2.txt").st_mtime)
    shutil.copytree("src", "dst2", symlinks=False, ignore=shutil.ignore_patterns("*.bin"))
    print(listing("dst2"))


def part_shutil_archive():
    make_source_tree()
    print(listing("src"))
    shutil.copy("src/x.txt", "copy.txt")
    shutil.copyfile("src/a/b/z.bin", "copyfile.bin")
    print("copies:", os.path.getsize("copy.txt"), oct(os.stat("copy.txt").st_mode & 0o777), os.path.getsize("copyfile.bin"))
    shutil.move("copy.txt", "src/a/moved.txt")
    print("moved:", os.path.exists("copy.txt"), os.path.getsize("src/a/moved.txt"))
    os.unlink("src/a/moved.txt")
    for fmt in ["gztar", "xztar", "bztar", "zip", "tar"]:
        archive = shutil.make_archive(f"arch-{fmt}", fmt, root_dir="src")
        out = f"un-{fmt}"
        shutil.unpack_archive(archive, out)
        # zip keeps neither the symlink nor the modes: names and sizes.
        names_sizes = lambda root: [(l.split()[0], l.split()[2]) for l in listing(root) if "link" not in l]
        print(fmt, os.path.basename(archive), "unpacked same:", names_sizes(out) == names_sizes("src"))
        if fmt != "zip":
            print("  with modes and the symlink:", listing(out) == listing("src"))
        shutil.rmtree(out)
    shutil.rmtree("src")
    print("rmtree:", os.path.exists("src"), sorted(os.listdir(".")))
    errors = []
    shutil.rmtree("does-not-exist", onerror=lambda f, p, e: errors.append(e[0].__name__))
    print("rmtree errors:", errors)
    usage = shutil.disk_usage(".")
    print("disk_usage sane:", usage.total > usage.used > 0 and usage.free > 0)
    print("which:", shutil.which("sh"), shutil.which("no-such-program"))


if __name__ == "__main__":
    globals()["part_" + sys.argv[1]]()
