//! Issue 11.21: the `# labels…` header of text output is a note on stderr (gone with `-q`);
//! stdout holds only the data, so it can be piped.

use crate::support::bin::{run, vs_logs};

#[test]
fn header_goes_to_stderr_and_quiet_drops_it() {
    let args = ["errors", "--demo", "--since", "12h", "--color", "never"];
    let o = run(vs_logs().args(args));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.is_empty());
    assert!(
        o.stdout.lines().all(|l| !l.starts_with("# ")),
        "{}",
        o.stdout
    );
    assert!(o.stderr.starts_with("# app=vulnsentinel"), "{}", o.stderr);
    let q = run(vs_logs().args(args).arg("-q"));
    // (Demo times move between runs: compare the lines' count, not their text.)
    assert_eq!(q.stdout.lines().count(), o.stdout.lines().count());
    assert!(
        q.stdout.lines().all(|l| !l.starts_with("# ")),
        "{}",
        q.stdout
    );
    assert_eq!(q.stderr, "");
}
