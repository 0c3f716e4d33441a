#!/bin/bash
# Debian's own network programs inside Helctic (xtask/src/user_network_tests.rs,
# `net::debian`): booted from the Debian root file system with `--net`, the
# host's test server at 10.0.2.2:$1, the guest's port 8000 forwarded to the
# host, port 8001 the host's "done" signal. Lines starting with @@ are read
# by the test.
set -u
host_port=$1
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

# Names: /etc/hosts through glibc's NSS, and Python's resolver.
getent hosts localhost | head -1 | sed 's/^/@@getent /'
python3 -c 'import socket; print("@@python", sorted({a[4][0] for a in socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)}))'

# What iproute2 prints of the network: its questions over rtnetlink,
# answered by the kernel from the TCP/IP server's tables.
ip -4 addr show dev eth0 | sed 's/^/@@ip-addr /'
ip route | sed 's/^/@@ip-route /'
ip link show lo | sed 's/^/@@ip-link /'

# Names through DNS: a name server on 127.0.0.1:53 (Python, below) knows
# helctic.test (the host, 10.0.2.2); glibc's resolver asks it over UDP.
cat > /tmp/dns.py <<'PY'
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("@@dns ready", flush=True)
while True:
    q, peer = s.recvfrom(512)
    ident, flags = struct.unpack("!HH", q[:4])
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode())
        i += 1 + q[i]
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    question = q[12:i + 5]
    name = ".".join(labels).lower()
    known = name == "helctic.test"
    answers = b""
    if known and qtype == 1:
        answers = struct.pack("!HHHIH4s", 0xC00C, 1, 1, 60, 4, socket.inet_aton("10.0.2.2"))
    rcode = 0 if known else 3
    header = struct.pack("!HHHHHH", ident, 0x8180 | rcode, 1, 1 if answers else 0, 0, 0)
    s.sendto(header + question + answers, peer)
PY
python3 /tmp/dns.py > /tmp/dns.log 2>&1 &
dns=$!
until grep -q ready /tmp/dns.log 2>/dev/null; do sleep 0.1; done
cp /etc/resolv.conf /tmp/resolv.conf.saved
echo 'nameserver 127.0.0.1' > /etc/resolv.conf
getent hosts helctic.test | sed 's/^/@@dns-getent /'
getent hosts nosuch.test; echo "@@dns-missing $?"
curl -sS -o /tmp/blob-by-name "http://helctic.test:$host_port/blob"; echo "@@dns-curl $?"
cp /tmp/resolv.conf.saved /etc/resolv.conf
kill $dns

# Guest to host: Debian's curl, and Python's urllib.
curl -sS -o /tmp/blob "http://10.0.2.2:$host_port/blob"; echo "@@curl $?"
sha256sum /tmp/blob | sed 's/^/@@digest /'
cmp -s /tmp/blob /tmp/blob-by-name && echo "@@dns-same-bytes"
# (-w @... would name a file of formats: the prefix comes from echo.)
echo "@@status $(curl -sS -o /dev/null -w '%{http_code}' "http://10.0.2.2:$host_port/none")"
python3 -c "import urllib.request, hashlib; print('@@urllib', hashlib.sha256(urllib.request.urlopen('http://10.0.2.2:$host_port/blob').read()).hexdigest())"

# Host to guest: Python's http.server.
mkdir -p /tmp/www && cd /tmp/www || exit 1
echo 'hello from Debian inside Helctic' > index.html
head -c 16777216 /dev/urandom > big
sha256sum big > big.sha256
python3 -m http.server 8000 > /tmp/http.log 2>&1 &
server=$!
# Until the host connects to port 8001: it has fetched what it wanted.
python3 -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 8001))
s.listen()
s.accept()
print("@@done")
'
kill $server
wait $server 2>/dev/null
grep -c '"GET /big HTTP/1.0" 200' /tmp/http.log | sed 's/^/@@served /'
echo @@end
