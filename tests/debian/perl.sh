# Debian's perl: one-liners (-ne, -pi -e, -lane) and a script that forks
# children and reads from them through `open my $fh, '-|'` and through a
# pipe, with hashes and regular expressions. Each part_NAME function is
# one scenario (`bash perl.sh NAME`), run in an empty directory. Pids are
# only compared, never printed; nothing needs normalising.
set -eu

part_one_liners() {
    printf 'alice 30 paris\nbob 25 london\ncarol 35 paris\ndave 40 rome\n' > people.txt
    echo "-- -ne"
    perl -ne 'print if /paris/' people.txt
    perl -ne '$n++ if /o/; END { print "lines with o: $n\n" }' people.txt
    echo "-- -lane"
    perl -lane '$age{$F[2]} += $F[1]; END { print "$_ $age{$_}" for sort keys %age }' people.txt
    perl -lane 'print join ",", reverse @F' people.txt
    perl -F: -lane 'print $F[0] if $F[2] == 0' /etc/passwd
    echo "-- -pi -e"
    cp people.txt edit.txt
    perl -pi -e 's/(\d+)/$1 + 1/e; $_ = uc if /rome/' edit.txt
    cat edit.txt
    perl -pi.orig -e 's/^/> /' edit.txt
    head -n 2 edit.txt; echo "orig kept: $(wc -l < edit.txt.orig)"
    echo "-- -0777 and -l"
    perl -0777 -ne 'my @w = split; printf "%d words, %d bytes\n", scalar @w, length' people.txt
    seq 5 | perl -lne 'push @a, $_ * $_; END { print "@a" }'
    perl -le 'print for grep { !($_ % 7) } 1..30'
    perl -MList::Util=sum,max,first -le 'print sum(1..100), " ", max(3, 9, 2), " ", first { $_ > 3 } 1..10'
    perl -MPOSIX=floor,strftime -le 'print floor(-2.5), " ", strftime("%Y-%m-%d", gmtime(86400 * 365))'
    perl -e 'printf "%s %.3f %05d %x %e\n", "s", 3.14159, 42, 255, 12345.678'
    perl -le '$s = "Hello World"; ($t = $s) =~ tr/a-z/A-Z/; print $t, " ", scalar reverse($s), " ", length $s, " ", index($s, "World")'
    echo "status $(perl -e 'exit 7' || echo $?)"
    perl -e 'die "dying\n"' 2>&1 || echo "die status $?"
}

part_fork_pipes() {
    cat > fork.pl <<'EOF'
use strict;
use warnings;

# Children compute, the parent reads their answers: first through
# open(..., '-|') (a fork whose stdout is our handle), then through a
# pipe() shared by several forked children.
my %results;
my $me = $$;
for my $n (3, 5, 8) {
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if ($pid == 0) {
        my $f = 1;
        $f *= $_ for 1 .. $n;
        print "factorial $n = $f\n";
        print "child of parent: ", (getppid() == $me ? "yes" : "no"), "\n";
        exit 0;
    }
    while (my $line = <$fh>) {
        if ($line =~ /^factorial (\d+) = (\d+)$/) {
            $results{$1} = $2;
        } elsif ($line =~ /^child of parent: (\w+)/) {
            $results{"parent-$n"} = $1;
        }
    }
    close $fh or die "child failed: $?";
}
print "$_ => $results{$_}\n" for sort keys %results;

pipe(my $reader, my $writer) or die "pipe: $!";
my @kids;
for my $word (qw(apple banana cherry date elderberry)) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        close $reader;
        my %count;
        $count{$_}++ for split //, $word;
        my @top = sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count;
        syswrite $writer, sprintf("%s:%d:%s:%s\n", $word, length $word, $top[0], $word =~ /(.)\1/ ? "double $1" : "none");
        exit length $word;
    }
    push @kids, $pid;
}
close $writer;
my @lines = sort <$reader>;
print for @lines;
my %status;
for my $pid (@kids) {
    waitpid($pid, 0) == $pid or die "waitpid";
    $status{$pid} = $? >> 8;
}
print "exit statuses: ", join(" ", sort { $a <=> $b } values %status), "\n";

# The other direction: the parent writes, a child (sort) reads.
open(my $to, '|-', 'sort', '-r') // die "fork: $!";
print $to "$_\n" for qw(one two three four);
close $to or die "sort failed";

# Regexes: named captures, global match in list context, substitution
# with an expression, split with a limit, tr counting.
my $log = "2024-01-02 ERROR disk=sda1 used=91%\n2024-01-02 INFO disk=sdb used=12%\n2024-01-03 ERROR disk=sdc2 used=99%\n";
my %by_level;
while ($log =~ /^(?<date>\S+) (?<level>\w+) disk=(?<disk>\w+) used=(?<used>\d+)%$/mg) {
    push @{ $by_level{$+{level}} }, "$+{disk}\@$+{used}";
}
print "$_: @{ $by_level{$_} }\n" for sort keys %by_level;
my @nums = ($log =~ /(\d+)%/g);
print "percentages: @nums\n";
(my $masked = $log) =~ s/(\d+)%/($1 > 50 ? "HIGH" : "low")/ge;
print $masked;
my ($first, $rest) = split / /, "a b c d", 2;
print "split: [$first] [$rest]\n";
my $vowels = ($log =~ tr/aeiou//);
print "vowels: $vowels\n";
my %h = map { $_ => length } qw(x yy zzz);
delete $h{yy};
print "exists yy: ", (exists $h{yy} ? 1 : 0), ", keys: ", join(",", sort keys %h), ", values: ", join(",", sort values %h), "\n";

# Signals between parent and child.
my $got = 0;
local $SIG{USR1} = sub { $got++ };
my $pid = fork // die;
if ($pid == 0) {
    kill 'USR1', getppid() for 1 .. 1;
    exit 0;
}
waitpid $pid, 0;
sleep 1 until $got;
print "USR1 from child: $got\n";
EOF
    perl fork.pl
}

"part_$1"
