//! The example manifest in `examples/boot.manifest`.

mod common;

use manifest::{Grant, ObjectKind, Rights};

#[test]
fn example_parses() {
    let m = common::ok(include_str!("../examples/boot.manifest"));

    assert_eq!(m.objects.len(), 1);
    assert_eq!(m.objects[0].kind, ObjectKind::Endpoint);
    assert_eq!(m.objects[0].name, "serial");

    let names: Vec<_> = m.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["serial", "vulcan"]);

    let serial = m.task("serial").unwrap();
    assert_eq!(serial.image, "serial");
    assert_eq!(serial.restart, 3);
    assert_eq!(serial.after, None);
    assert!(!serial.wait);
    assert_eq!(
        serial.grants,
        vec![
            Grant::IoPorts { base: 0x2f8, count: 8, rights: Rights::READ | Rights::WRITE },
            Grant::Irq { line: 3 },
            Grant::Endpoint { name: "serial".into(), rights: Rights::READ },
        ]
    );

    let vulcan = m.task("vulcan").unwrap();
    assert_eq!(vulcan.image, "vulcan");
    assert_eq!(vulcan.restart, 0);
    assert_eq!(vulcan.after.as_deref(), Some("serial"));
    assert!(vulcan.wait);
    assert_eq!(
        vulcan.grants,
        vec![
            Grant::Endpoint { name: "serial".into(), rights: Rights::WRITE | Rights::GRANT },
            Grant::BootDir { rights: Rights::READ | Rights::EXEC | Rights::TRANSFER | Rights::DERIVE },
            Grant::IoPorts { base: 0x2f8, count: 8, rights: Rights::READ },
            Grant::Irq { line: 4 },
        ]
    );
}

#[test]
fn example_renders_canonically() {
    let m = manifest::parse(include_bytes!("../examples/boot.manifest")).unwrap();
    assert_eq!(
        m.render(),
        "endpoint serial\n\
         \n\
         task serial\n\
         \x20   restart 3\n\
         \x20   grant ioports 0x2f8 8 rw\n\
         \x20   grant irq 3\n\
         \x20   grant endpoint serial r\n\
         \n\
         task vulcan\n\
         \x20   after serial\n\
         \x20   wait\n\
         \x20   grant endpoint serial wg\n\
         \x20   grant bootdir rxtd\n\
         \x20   grant ioports 0x2f8 8 r\n\
         \x20   grant irq 4\n"
    );
}
