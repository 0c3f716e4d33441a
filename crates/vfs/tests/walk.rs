//! Path resolution rules, each on its own.

mod common;

use common::Vfs;
use common::{file, lookup, make, mkdir, new_vfs, root_creds, symlink, try_make, user};
use vfs::{
    CreateLookup, Credentials, Error, LastComponent, NewNode, NodeAttrs, NodeRef, ParentLookup, NAME_MAX, PATH_MAX,
};

/// ```text
/// /bin/sh
/// /etc/passwd
/// /home/user/             0700 1000:1000
/// /locked/f               dir 0700 root
/// /noexec/f               dir 0644 root
/// /group/f                dir 0070 root:50
/// /jail/etc/passwd
/// /links/{rel,abs,dir,dangling,loop1,loop2,self,trailing,file_slash,c0..c40}
/// ```
struct Tree {
    vfs: Vfs,
    root: NodeRef,
    etc: NodeRef,
    passwd: NodeRef,
    links: NodeRef,
    jail: NodeRef,
    jail_passwd: NodeRef,
}

fn tree() -> Tree {
    let vfs = new_vfs();
    let root = vfs.root();
    mkdir(&vfs, "/bin");
    file(&vfs, "/bin/sh", b"#!");
    let etc = mkdir(&vfs, "/etc");
    let passwd = file(&vfs, "/etc/passwd", b"root:x:0:0");
    mkdir(&vfs, "/home");
    try_make(&vfs, "/home/user", NewNode::Directory, NodeAttrs::new(0o700, 1000, 1000)).unwrap();
    make(&vfs, "/locked", NewNode::Directory, 0o700);
    file(&vfs, "/locked/f", b"");
    make(&vfs, "/noexec", NewNode::Directory, 0o644);
    file(&vfs, "/noexec/f", b"");
    try_make(&vfs, "/group", NewNode::Directory, NodeAttrs::new(0o070, 0, 50)).unwrap();
    file(&vfs, "/group/f", b"");
    let jail = mkdir(&vfs, "/jail");
    mkdir(&vfs, "/jail/etc");
    let jail_passwd = file(&vfs, "/jail/etc/passwd", b"jailed");
    let links = mkdir(&vfs, "/links");
    symlink(&vfs, "/links/rel", "../etc/passwd");
    symlink(&vfs, "/links/abs", "/etc/passwd");
    symlink(&vfs, "/links/dir", "../etc");
    symlink(&vfs, "/links/dangling", "nowhere");
    symlink(&vfs, "/links/loop1", "loop2");
    symlink(&vfs, "/links/loop2", "loop1");
    symlink(&vfs, "/links/self", "self");
    symlink(&vfs, "/links/trailing", "../etc/");
    symlink(&vfs, "/links/file_slash", "../etc/passwd/");
    symlink(&vfs, "/links/locked", "/locked/f");
    for i in 0..40 {
        symlink(&vfs, &format!("/links/c{i}"), &format!("c{}", i + 1));
    }
    symlink(&vfs, "/links/c40", "/etc/passwd");
    // /jail/links/abs, for absolute targets inside a changed root.
    mkdir(&vfs, "/jail/links");
    symlink(&vfs, "/jail/links/abs", "/etc/passwd");
    symlink(&vfs, "/jail/links/up", "../../../../etc/passwd");
    Tree { vfs, root, etc, passwd, links, jail, jail_passwd }
}

impl Tree {
    fn at(&self, start: NodeRef, path: &str, follow: bool, creds: &Credentials) -> Result<NodeRef, Error> {
        self.vfs.resolve(start, self.root, path.as_bytes(), follow, creds)
    }

    fn get(&self, path: &str) -> Result<NodeRef, Error> {
        self.at(self.root, path, true, &root_creds())
    }

    fn nofollow(&self, path: &str) -> Result<NodeRef, Error> {
        self.at(self.root, path, false, &root_creds())
    }

    fn as_user(&self, path: &str) -> Result<NodeRef, Error> {
        self.at(self.root, path, true, &user())
    }

    fn parent(&self, path: &str) -> Result<ParentLookup, Error> {
        self.vfs.resolve_parent(self.root, self.root, path.as_bytes(), &root_creds())
    }

    fn for_create(&self, path: &str, follow: bool) -> Result<CreateLookup, Error> {
        self.vfs.resolve_for_create(self.root, self.root, path.as_bytes(), follow, &root_creds())
    }
}

#[test]
fn absolute_paths_start_at_the_root_and_relative_ones_at_start() {
    let t = tree();
    assert_eq!(t.get("/etc/passwd"), Ok(t.passwd));
    assert_eq!(t.at(t.etc, "passwd", true, &root_creds()), Ok(t.passwd));
    assert_eq!(t.at(t.etc, "/etc/passwd", true, &root_creds()), Ok(t.passwd));
    assert_eq!(t.at(t.links, "../etc/passwd", true, &root_creds()), Ok(t.passwd));
    assert_eq!(t.get("etc/passwd"), Ok(t.passwd), "relative to start = root");
    // A relative path needs a directory to start from; an absolute one does not.
    assert_eq!(t.at(t.passwd, "x", true, &root_creds()), Err(Error::NotDirectory));
    assert_eq!(t.at(t.passwd, ".", true, &root_creds()), Err(Error::NotDirectory));
    assert_eq!(t.at(t.passwd, "/etc", true, &root_creds()), Ok(t.etc));
}

#[test]
fn empty_path_names_nothing() {
    let t = tree();
    assert_eq!(t.get(""), Err(Error::NotFound));
    assert_eq!(t.parent("").unwrap_err(), Error::NotFound);
    assert_eq!(t.for_create("", true).unwrap_err(), Error::NotFound);
}

#[test]
fn missing_components_are_not_found() {
    let t = tree();
    assert_eq!(t.get("/etc/shadow"), Err(Error::NotFound));
    assert_eq!(t.get("/nope/passwd"), Err(Error::NotFound));
    assert_eq!(t.parent("/nope/x").unwrap_err(), Error::NotFound);
}

#[test]
fn repeated_and_trailing_slashes() {
    let t = tree();
    assert_eq!(t.get("//etc///passwd"), Ok(t.passwd));
    assert_eq!(t.get("/etc/"), Ok(t.etc));
    assert_eq!(t.get("/etc//"), Ok(t.etc));
    assert_eq!(t.get("/"), Ok(t.root));
    assert_eq!(t.get("///"), Ok(t.root));
    assert_eq!(t.get("/etc/passwd/"), Err(Error::NotDirectory));
    assert_eq!(t.get("/etc/passwd//"), Err(Error::NotDirectory));
    assert_eq!(t.at(t.etc, "passwd/", true, &root_creds()), Err(Error::NotDirectory));
}

#[test]
fn a_non_final_component_must_be_a_directory() {
    let t = tree();
    assert_eq!(t.get("/etc/passwd/x"), Err(Error::NotDirectory));
    assert_eq!(t.get("/etc/passwd/."), Err(Error::NotDirectory));
    assert_eq!(t.get("/etc/passwd/.."), Err(Error::NotDirectory));
    assert_eq!(t.get("/bin/sh/../sh"), Err(Error::NotDirectory));
    assert_eq!(t.parent("/etc/passwd/x").unwrap_err(), Error::NotDirectory);
    assert_eq!(t.get("/links/rel/x"), Err(Error::NotDirectory));
}

#[test]
fn dot_and_dotdot() {
    let t = tree();
    assert_eq!(t.get("/etc/./passwd"), Ok(t.passwd));
    assert_eq!(t.get("/etc/../etc/passwd"), Ok(t.passwd));
    assert_eq!(t.get("."), Ok(t.root));
    assert_eq!(t.get("/."), Ok(t.root));
    assert_eq!(t.get("/.."), Ok(t.root), "`..` at the root stays there");
    assert_eq!(t.get("/../../etc/../.."), Ok(t.root));
    assert_eq!(t.get("/../etc/passwd"), Ok(t.passwd));
    assert_eq!(t.at(t.etc, "..", true, &root_creds()), Ok(t.root));
    assert_eq!(t.at(t.etc, "./.././etc", true, &root_creds()), Ok(t.etc));
}

#[test]
fn dotdot_stops_at_a_changed_root() {
    let t = tree();
    let jail_etc = t.get("/jail/etc").unwrap();
    let r = |start, path: &str| t.vfs.resolve(start, t.jail, path.as_bytes(), true, &root_creds());
    assert_eq!(r(jail_etc, ".."), Ok(t.jail));
    assert_eq!(r(jail_etc, "../.."), Ok(t.jail));
    assert_eq!(r(jail_etc, "../../../etc/passwd"), Ok(t.jail_passwd));
    assert_eq!(r(t.jail, "/etc/passwd"), Ok(t.jail_passwd));
    assert_eq!(r(t.jail, "/.."), Ok(t.jail));
    // A start outside the root is not confined (as after chroot without chdir).
    assert_eq!(r(t.etc, "../etc/passwd"), Ok(t.passwd));
}

#[test]
fn symlinks_in_the_middle_are_always_followed() {
    let t = tree();
    assert_eq!(t.get("/links/dir/passwd"), Ok(t.passwd));
    assert_eq!(t.nofollow("/links/dir/passwd"), Ok(t.passwd));
    assert_eq!(t.nofollow("/links/dir/./passwd"), Ok(t.passwd));
    assert_eq!(t.nofollow("/links/dir/../links/dir/passwd"), Ok(t.passwd));
}

#[test]
fn the_last_symlink_is_followed_only_when_asked() {
    let t = tree();
    let rel = t.nofollow("/links/rel").unwrap();
    assert_ne!(rel, t.passwd);
    assert!(t.vfs.metadata(rel).unwrap().file_type.is_symlink());
    assert_eq!(t.get("/links/rel"), Ok(t.passwd));
    assert_eq!(t.get("/links/abs"), Ok(t.passwd));
    assert_eq!(t.get("/links/dir"), Ok(t.etc));
    assert_eq!(t.nofollow("/links/dir"), Ok(t.vfs.lookup_entry(t.links, b"dir").unwrap()));
}

#[test]
fn a_trailing_slash_forces_following_and_a_directory() {
    let t = tree();
    assert_eq!(t.nofollow("/links/dir/"), Ok(t.etc));
    assert_eq!(t.nofollow("/links/rel/"), Err(Error::NotDirectory));
    assert_eq!(t.get("/links/trailing"), Ok(t.etc));
    assert_eq!(t.get("/links/file_slash"), Err(Error::NotDirectory));
    assert!(t.nofollow("/links/file_slash").is_ok(), "the link itself");
    assert_eq!(t.nofollow("/links/dangling/"), Err(Error::NotFound));
}

#[test]
fn absolute_targets_restart_at_the_callers_root() {
    let t = tree();
    assert_eq!(t.get("/jail/links/abs"), Ok(t.passwd));
    let in_jail = |path: &str| t.vfs.resolve(t.jail, t.jail, path.as_bytes(), true, &root_creds());
    assert_eq!(in_jail("/links/abs"), Ok(t.jail_passwd));
    assert_eq!(in_jail("links/abs"), Ok(t.jail_passwd));
    // `..` in a target cannot climb out of the root either.
    assert_eq!(in_jail("links/up"), Ok(t.jail_passwd));
    assert_eq!(t.get("/jail/links/up"), Ok(t.passwd));
}

#[test]
fn relative_targets_start_at_the_links_directory() {
    let t = tree();
    // Reached from anywhere, `../etc/passwd` is taken from /links.
    assert_eq!(t.at(t.etc, "../links/rel", true, &root_creds()), Ok(t.passwd));
    assert_eq!(t.at(t.jail, "../links/dir/passwd", true, &root_creds()), Ok(t.passwd));
}

#[test]
fn dangling_symlinks() {
    let t = tree();
    assert_eq!(t.get("/links/dangling"), Err(Error::NotFound));
    assert!(t.nofollow("/links/dangling").is_ok());
    assert_eq!(t.get("/links/dangling/x"), Err(Error::NotFound));
}

#[test]
fn symlink_loops_and_the_limit_of_forty() {
    let t = tree();
    assert_eq!(t.get("/links/loop1"), Err(Error::Loop));
    assert_eq!(t.get("/links/self"), Err(Error::Loop));
    assert_eq!(t.get("/links/self/x"), Err(Error::Loop));
    assert!(t.nofollow("/links/loop1").is_ok());
    assert_eq!(t.get("/links/c1"), Ok(t.passwd), "40 links");
    assert_eq!(t.get("/links/c0"), Err(Error::Loop), "41 links");
    // Links in the middle count toward the same limit.
    assert_eq!(t.get("/links/dir/../links/c1"), Err(Error::Loop));
    assert_eq!(t.get("/links/dir/../links/c2"), Ok(t.passwd));
}

#[test]
fn long_names_and_paths() {
    let t = tree();
    let long = "n".repeat(NAME_MAX + 1);
    assert_eq!(t.get(&format!("/etc/{long}")), Err(Error::NameTooLong));
    assert_eq!(t.get(&format!("/{long}/x")), Err(Error::NameTooLong));
    assert_eq!(t.get(&format!("/etc/{}", &long[1..])), Err(Error::NotFound));
    assert_eq!(t.parent(&format!("/etc/{long}")).unwrap_err(), Error::NameTooLong);
    // PATH_MAX counts the NUL a C caller adds.
    let slashes = "/".repeat(PATH_MAX - 1);
    assert_eq!(t.get(&slashes), Ok(t.root));
    assert_eq!(t.get(&"/".repeat(PATH_MAX)), Err(Error::NameTooLong));
    let mut path = String::from("/etc");
    path.push_str(&"/.".repeat((PATH_MAX - 12) / 2));
    path.push_str("/passwd");
    assert!(path.len() < PATH_MAX);
    assert_eq!(t.get(&path), Ok(t.passwd));
}

#[test]
fn paths_grown_by_symlinks_may_exceed_path_max() {
    let t = tree();
    let target = format!("{}etc", "./".repeat(2000));
    symlink(&t.vfs, "/big", &target);
    symlink(&t.vfs, "/bigger", &format!("{}big", "./".repeat(2000)));
    assert_eq!(t.get("/bigger/passwd"), Ok(t.passwd));
}

#[test]
fn search_permission_is_needed_on_every_directory_walked() {
    let t = tree();
    assert!(t.as_user("/locked").is_ok(), "naming the directory needs search on /");
    assert_eq!(t.as_user("/locked/f"), Err(Error::PermissionDenied));
    assert_eq!(t.as_user("/locked/."), Err(Error::PermissionDenied));
    assert_eq!(t.as_user("/locked/.."), Err(Error::PermissionDenied));
    assert_eq!(t.as_user("/locked/nope"), Err(Error::PermissionDenied));
    assert_eq!(t.as_user("/noexec/f"), Err(Error::PermissionDenied));
    assert_eq!(t.as_user("/links/locked"), Err(Error::PermissionDenied));
    assert!(t.nofollow("/noexec/f").is_ok(), "root searches every directory");
    let parent = t.vfs.resolve_parent(t.root, t.root, b"/locked/new", &user());
    assert_eq!(parent.unwrap_err(), Error::PermissionDenied);
    // Groups: the group class applies to members only.
    assert_eq!(t.as_user("/group/f"), Err(Error::PermissionDenied));
    let member = Credentials::new(1000, 1000).with_groups(&[50]);
    assert!(t.at(t.root, "/group/f", true, &member).is_ok());
    // The owner class wins even when it grants less.
    let home_user = t.get("/home/user").unwrap();
    assert!(t.at(t.root, "/home/user/.", true, &user()).is_ok());
    let stranger = Credentials::new(1001, 1000);
    assert_eq!(t.at(t.root, "/home/user/.", true, &stranger), Err(Error::PermissionDenied));
    assert_eq!(t.at(home_user, ".", true, &stranger), Err(Error::PermissionDenied));
}

#[test]
fn resolve_parent_splits_off_the_last_component() {
    let t = tree();
    let name = |s: &str| LastComponent::Name(s.as_bytes().to_vec());
    let p = t.parent("/etc/passwd").unwrap();
    assert_eq!(p, ParentLookup { dir: t.etc, last: name("passwd"), trailing_slash: false });
    let p = t.parent("/etc/new//").unwrap();
    assert_eq!(p, ParentLookup { dir: t.etc, last: name("new"), trailing_slash: true });
    assert_eq!(t.parent("/etc/.").unwrap().last, LastComponent::Dot);
    assert_eq!(t.parent("/etc/.").unwrap().dir, t.etc);
    assert_eq!(
        t.parent("/etc/..").unwrap(),
        ParentLookup { dir: t.etc, last: LastComponent::DotDot, trailing_slash: false }
    );
    assert_eq!(t.parent("/").unwrap(), ParentLookup { dir: t.root, last: LastComponent::Root, trailing_slash: false });
    assert_eq!(t.parent("//").unwrap().last, LastComponent::Root);
    assert_eq!(t.parent("x").unwrap().dir, t.root);
    // The last component is never followed; the ones before it always are.
    assert_eq!(
        t.parent("/links/abs").unwrap(),
        ParentLookup { dir: t.links, last: name("abs"), trailing_slash: false }
    );
    assert_eq!(t.parent("/links/dir/x").unwrap().dir, t.etc);
    assert_eq!(t.parent("/links/dangling").unwrap().dir, t.links);
    assert_eq!(t.parent("/links/loop1/x").unwrap_err(), Error::Loop);
}

#[test]
fn resolve_for_create_reports_what_is_missing() {
    let t = tree();
    assert_eq!(t.for_create("/etc/passwd", true), Ok(CreateLookup::Exists(t.passwd)));
    assert_eq!(
        t.for_create("/etc/new", true),
        Ok(CreateLookup::Missing { dir: t.etc, name: b"new".to_vec(), trailing_slash: false })
    );
    assert_eq!(
        t.for_create("/etc/new/", true),
        Ok(CreateLookup::Missing { dir: t.etc, name: b"new".to_vec(), trailing_slash: true })
    );
    // A dangling final symlink that is followed points at where its target
    // would be created.
    assert_eq!(
        t.for_create("/links/dangling", true),
        Ok(CreateLookup::Missing { dir: t.links, name: b"nowhere".to_vec(), trailing_slash: false })
    );
    let dangling = t.nofollow("/links/dangling").unwrap();
    assert_eq!(t.for_create("/links/dangling", false), Ok(CreateLookup::Exists(dangling)));
    assert_eq!(t.for_create("/links/dir", true), Ok(CreateLookup::Exists(t.etc)));
    assert_eq!(t.for_create("/", true), Ok(CreateLookup::Exists(t.root)));
    assert_eq!(t.for_create("/etc/..", true), Ok(CreateLookup::Exists(t.root)));
    assert_eq!(t.for_create("/nope/new", true).unwrap_err(), Error::NotFound);
    assert_eq!(t.for_create("/links/loop1", true).unwrap_err(), Error::Loop);
    let long = "n".repeat(NAME_MAX + 1);
    assert_eq!(t.for_create(&format!("/etc/{long}"), true).unwrap_err(), Error::NameTooLong);
    let denied = t.vfs.resolve_for_create(t.root, t.root, b"/locked/new", true, &user());
    assert_eq!(denied.unwrap_err(), Error::PermissionDenied);
}

#[test]
fn lookup_helper_agrees() {
    let t = tree();
    assert_eq!(lookup(&t.vfs, "/links/rel"), Ok(t.passwd));
}

#[test]
fn resolve_located_says_where_the_last_name_was_found() {
    let t = tree();
    let located =
        |path: &str, follow: bool| t.vfs.resolve_located(t.root, t.root, path.as_bytes(), follow, &root_creds());
    // The same node as resolve, for every path the other tests use.
    for path in [
        "/etc/passwd",
        "/links/rel",
        "/links/abs",
        "/links/dir",
        "/links/dir/passwd",
        "/links/c0",
        "/links/dangling",
        "/links/loop1",
        "/links/trailing",
        "/etc/",
        "/",
        ".",
        "/etc/..",
        "//etc//passwd",
    ] {
        for follow in [true, false] {
            assert_eq!(
                located(path, follow).map(|l| l.node),
                t.at(t.root, path, follow, &root_creds()),
                "{path} follow={follow}"
            );
        }
    }
    let passwd_in_etc = Some((t.etc, b"passwd".to_vec()));
    assert_eq!(located("/etc/passwd", true).unwrap().entry, passwd_in_etc);
    // After symlinks: where the target was found, not the link.
    assert_eq!(located("/links/rel", true).unwrap().entry, passwd_in_etc);
    assert_eq!(located("/links/dir/passwd", true).unwrap().entry, passwd_in_etc);
    assert_eq!(located("/links/c1", true).unwrap().entry, passwd_in_etc);
    // Not following: the link itself, in its directory.
    assert_eq!(located("/links/rel", false).unwrap().entry, Some((t.links, b"rel".to_vec())));
    // Directories reached without a name.
    for path in ["/", ".", "/etc/..", "/etc/."] {
        assert_eq!(located(path, true).unwrap().entry, None, "{path}");
    }
    let _ = (t.passwd, t.jail, t.jail_passwd);
}

/// openat2's restrictions: each refuses exactly what it names.
#[test]
fn walk_rules() {
    let t = tree();
    let other = t.vfs.add_filesystem(Box::new(common::ramfs()));
    let mnt = mkdir(&t.vfs, "/mnt");
    t.vfs.mount(mnt, other).unwrap();
    symlink(&t.vfs, "/jail/rel", "etc/passwd");
    let creds = root_creds();
    let walk = |t: &Tree, start: NodeRef, root: NodeRef, path: &str, rules: vfs::WalkRules| {
        t.vfs.resolve_with_rules(start, root, path.as_bytes(), true, &creds, &rules)
    };
    let none = vfs::WalkRules::default();
    assert_eq!(walk(&t, t.links, t.root, "rel", none), Ok(Some(t.passwd)));
    assert_eq!(walk(&t, t.root, t.root, "etc/missing", none), Ok(None), "a missing last name may be created");

    let no_symlinks = vfs::WalkRules { no_symlinks: true, ..none };
    assert_eq!(walk(&t, t.links, t.root, "rel", no_symlinks), Err(Error::Loop));
    assert_eq!(walk(&t, t.root, t.root, "links/dir/passwd", no_symlinks), Err(Error::Loop), "one on the way too");
    assert_eq!(walk(&t, t.root, t.root, "etc/passwd", no_symlinks), Ok(Some(t.passwd)));

    let beneath = vfs::WalkRules { beneath: true, ..none };
    assert_eq!(walk(&t, t.root, t.root, "/etc/passwd", beneath), Err(Error::CrossDevice), "an absolute path");
    assert_eq!(walk(&t, t.etc, t.root, "../etc/passwd", beneath), Err(Error::CrossDevice), "up from the start");
    assert_eq!(walk(&t, t.root, t.root, "etc/../etc/passwd", beneath), Ok(Some(t.passwd)), "down and back is fine");
    assert_eq!(walk(&t, t.links, t.root, "abs", beneath), Err(Error::CrossDevice), "an absolute symlink");
    assert_eq!(walk(&t, t.links, t.root, "rel", beneath), Err(Error::CrossDevice), "a symlink leading up");
    assert_eq!(walk(&t, t.jail, t.root, "rel", beneath), Ok(Some(t.jail_passwd)), "a symlink staying below");

    let no_xdev = vfs::WalkRules { no_xdev: true, ..none };
    assert_eq!(walk(&t, t.root, t.root, "mnt", no_xdev), Err(Error::CrossDevice), "into a mount");
    assert_eq!(walk(&t, t.root, t.root, "etc/passwd", no_xdev), Ok(Some(t.passwd)));
    let mounted = t.vfs.resolve(t.root, t.root, b"/mnt", true, &creds).unwrap();
    assert_eq!(walk(&t, mounted, t.root, "..", no_xdev), Err(Error::CrossDevice), "out of one");
    assert_eq!(walk(&t, mounted, t.root, "/etc", no_xdev), Err(Error::CrossDevice), "to a root elsewhere");

    // In a root of its own (RESOLVE_IN_ROOT): absolute paths and `..` stay in.
    assert_eq!(walk(&t, t.jail, t.jail, "/etc/passwd", none), Ok(Some(t.jail_passwd)));
    assert_eq!(walk(&t, t.jail, t.jail, "../../etc/passwd", none), Ok(Some(t.jail_passwd)));
    assert_eq!(walk(&t, t.jail, t.jail, "links/abs", none), Ok(Some(t.jail_passwd)));

    // Magic links: only absolute or pathless targets on the magic file system.
    let kind: &'static str = String::leak(t.vfs.fs(t.root.fs).unwrap().lock().name().to_string());
    let magic = vfs::WalkRules { no_magic_links: true, magic_fs: Some(kind), ..none };
    assert_eq!(walk(&t, t.links, t.root, "abs", magic), Err(Error::Loop));
    assert_eq!(walk(&t, t.links, t.root, "rel", magic), Ok(Some(t.passwd)));
    let elsewhere = vfs::WalkRules { magic_fs: Some("proc"), ..magic };
    assert_eq!(walk(&t, t.links, t.root, "abs", elsewhere), Ok(Some(t.passwd)));
}
