#!/bin/sh
# network.sh - TCP over the loopback interface with busybox's servers and
# clients: httpd serving files to wget (a small page, a 4 MiB file, a
# missing one), nc in both roles, and a second request to the same server.
#
# Usage: busybox sh network.sh SCRATCH_DIR
# Prints deterministic output only; identical inside Helctic and natively.
# The ports are fixed (38123, 38124), so nothing else on the machine may
# listen on them while it runs.
#
# Applets: sh httpd wget nc mkdir printf dd tr md5sum cmp cat rm kill sleep
#          seq wc ifconfig netstat route grep head ip ping ping6
#
# Covers: a server process accepting connections from another process,
# HTTP/1.0 requests and responses, a 404, a large body through small
# socket writes, a listener reused for several connections, nc -l with
# its peer closing; what ifconfig, netstat and route read (SIOCGIF*,
# /proc/net) and ip reads (rtnetlink), cut to what is the same on every
# machine: lo's addresses, flags and local routes, the listener this script
# started, the routing table's header; ping and ping6 over raw ICMP
# sockets (the script runs as root), cut to the summary line.

umask 022
export LC_ALL=C TZ=UTC0
mkdir -p "$1" && cd "$1" || exit 1

mkdir -p www
printf '<html><body>Hello from busybox httpd</body></html>\n' > www/index.html
dd if=/dev/zero bs=4096 count=1024 2>/dev/null | tr '\0' 'x' > www/big.bin

httpd -f -p 127.0.0.1:38123 -h www &
httpd_pid=$!

# The server is up once a request is answered.
up=no
for i in $(seq 1 100); do
	if wget -q -O index.got http://127.0.0.1:38123/index.html 2>/dev/null; then
		up=yes
		break
	fi
	sleep 0.1
done
echo "== httpd answers: $up"
cmp www/index.html index.got && echo "index.html arrived intact"
cat index.got

wget -q -O big.got http://127.0.0.1:38123/big.bin
echo "wget big.bin exit status: $?"
wc -c < big.got
md5sum < big.got
cmp www/big.bin big.got && echo "big.bin arrived intact"

wget -q -O missing.got http://127.0.0.1:38123/missing.html 2>/dev/null
echo "wget of a missing file fails: status $?"

wget -q -O again.got http://127.0.0.1:38123/index.html
cmp www/index.html again.got && echo "a second request is answered too"

echo "== interfaces and sockets"
ifconfig lo | grep -o 'inet addr:127.0.0.1  Mask:255.0.0.0'
ifconfig lo | grep -o 'inet6 addr: ::1/128 Scope:Host'
ifconfig lo | grep -o 'UP LOOPBACK RUNNING'
ifconfig nosuch0 2>/dev/null
echo "ifconfig of an unknown interface: status $?"
netstat -tln | grep ':38123 '
route -n | head -2
ip addr show lo | grep -E '^ +inet6? '
ip link show lo | grep -o 'link/loopback.*'
ip route show table local | grep ' dev lo '

kill "$httpd_pid"
wait "$httpd_pid" 2>/dev/null

echo "== nc"
nc -l -p 38124 > nc.got &
nc_pid=$!
sent=no
for i in $(seq 1 100); do
	if printf 'line one\nline two\n' | nc 127.0.0.1 38124 2>/dev/null; then
		sent=yes
		break
	fi
	sleep 0.1
done
wait "$nc_pid"
echo "nc sent: $sent, listener status $?"
cat nc.got

echo "== ping"
ping -c 3 127.0.0.1 | grep -o '3 packets transmitted, 3 packets received, 0% packet loss'
ping -c 1 -s 1000 127.0.0.1 | grep -o '1008 bytes from 127.0.0.1'
ping6 -c 2 ::1 | grep -o '2 packets transmitted, 2 packets received, 0% packet loss'

rm -rf www index.got big.got missing.got again.got nc.got
echo "== done"
