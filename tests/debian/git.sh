# Debian's git: a repository made, committed to, branched, merged and
# inspected. Each part_NAME function is one scenario (`bash git.sh NAME`),
# run in an empty directory.
#
# Normalised: commit ids depend on the time of the commit, so every
# commit is made with fixed author and committer dates
# (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE): then the ids themselves are the
# same everywhere and are printed as they are.
set -eu

export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0000' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0000'
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
g() { git -c user.name='Helctic Test' -c user.email='test@helctic.invalid' -c init.defaultBranch=main -c advice.detachedHead=false "$@"; }
# One commit a "minute" later each time, so the log has an order.
tick=0
commit() {
    tick=$((tick + 1))
    GIT_AUTHOR_DATE="2024-01-02T03:$(printf %02d $tick):05+0000" GIT_COMMITTER_DATE="2024-01-02T03:$(printf %02d $tick):05+0000" g commit -q "$@"
}

part_basics() {
    g init -q repo
    cd repo
    printf 'line one\nline two\n' > a.txt
    mkdir sub; echo nested > sub/b.txt
    g status --porcelain
    g add .
    g status --porcelain
    commit -m "first commit"
    g log --oneline
    echo 'line three' >> a.txt
    echo untracked > c.txt
    g status --porcelain
    g diff
    g diff --stat
    g add a.txt
    g diff --cached --numstat
    commit -m "second: a third line"
    g log --oneline
    g log --format='%h %an <%ae> %ad %s' --date=iso-strict
    g show --stat --format=%s HEAD | sed '/^$/d'
    g rm -q sub/b.txt
    g mv a.txt renamed.txt
    g status --porcelain
    commit -m "rename and remove"
    g log --oneline --name-status | sed '/^$/d'
    g rev-parse HEAD~2 HEAD^{tree}
    g cat-file -p HEAD | sed '/^$/d'
    g ls-files -s
    g fsck --strict 2>&1 | sed '/^Checking/d'
    echo "objects: $(g count-objects -v | grep -E '^(count|in-pack):' | tr '\n' ' ')"
    g gc -q
    echo "after gc: $(g count-objects -v | grep -E '^(count|in-pack|packs):' | tr '\n' ' ')"
    g log --oneline | wc -l
}

part_branches() {
    g init -q repo
    cd repo
    seq 1 10 > numbers.txt
    echo base > readme
    g add . && commit -m base
    g branch feature
    g checkout -q feature
    sed -i 's/^2$/two/' numbers.txt
    commit -am "feature: spell two"
    echo feature-only > feature.txt
    g add feature.txt && commit -m "feature: add a file"
    g checkout -q main
    sed -i 's/^9$/nine/' numbers.txt
    commit -am "main: spell nine"
    g branch -v --no-abbrev | sed 's/  */ /g'
    echo "-- merge"
    g merge -q --no-edit feature
    cat numbers.txt | tr '\n' ' '; echo
    ls
    g log --oneline --graph
    echo "-- conflict"
    g checkout -q -b other HEAD~1
    echo "other side" > readme
    commit -am "other: readme"
    g checkout -q main
    echo "main side" > readme
    commit -am "main: readme"
    g merge other > merge.out 2>&1 || echo "merge stopped: status $?"
    grep CONFLICT merge.out
    g status --porcelain
    cat readme
    printf 'both sides\n' > readme
    g add readme
    commit --no-edit
    g log --oneline -n 3
    g status --porcelain
    echo "-- tags, stash, reset, revert, cherry-pick"
    g tag -a v1.0 -m "release"
    g describe
    echo dirty >> readme
    g stash -q
    g status --porcelain
    g stash pop -q
    g diff --stat
    g checkout -q -- readme
    g checkout -q -b pick v1.0
    echo picked > picked.txt
    g add picked.txt && commit -m "pick: a file"
    g checkout -q main
    g reset -q --hard HEAD~1
    g log --oneline -n 1
    g cherry-pick pick >/dev/null
    g log --oneline -n 2
    ls
    g revert --no-edit HEAD >/dev/null
    g log --oneline -n 1
    ls
    g reset -q --hard v1.0
    g log --oneline -n 1
    g reflog | wc -l
    g branch -D other feature pick | sed 's/ (was .*//'
    g branch
}

part_clone() {
    g init -q origin
    (cd origin && for i in 1 2 3; do echo "$i" > "f$i"; g add "f$i"; commit -m "add f$i"; done)
    g clone -q origin copy
    cd copy
    g log --oneline
    g remote -v
    echo 4 > f4 && g add f4 && commit -m "add f4"
    g push -q origin HEAD:refs/heads/from-clone
    cd ../origin
    g branch --list | sed 's/^..//'
    g log --oneline from-clone -n 1
    g bundle create ../all.bundle --all 2>/dev/null
    cd ..
    g clone -q all.bundle from-bundle
    (cd from-bundle && g log --oneline -n 1 && g fsck 2>&1 | sed '/^Checking/d')
    g archive --format=tar --prefix=snap/ -o snap.tar --remote=origin main 2>/dev/null || (cd origin && g archive --format=tar --prefix=snap/ -o ../snap.tar main)
    tar tf snap.tar
}

"part_$1"
