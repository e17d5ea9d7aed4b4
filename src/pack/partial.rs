//! The unfinished package: a temporary file beside the output, renamed into place when complete.
//!
//! Ctrl-C and SIGTERM remove it (the writer holds an interrupt guard and checks while it writes),
//! but SIGKILL, a crash or a power cut cannot. So its name says whose it is,
//! `.cargo-fc-<pid>-<random>.zip.partial`, and its writer holds an exclusive lock (`flock`) on it
//! for as long as it is open. The next pack into the same folder removes a partial only when
//! both say its writer is gone: no process has that pid, and the lock is free. Either alone could
//! be wrong: a pid is reused, and a partial exists for an instant before its lock is taken.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Result, io};

const PREFIX: &str = ".cargo-fc-";
const SUFFIX: &str = ".zip.partial";
/// Partials named by cargo fc before they carried a pid (`.cargo-fc-XXXXXX.zip.partial`) have
/// no owner to ask; a writer touches its file at least every few seconds, so one unchanged for
/// this long is abandoned.
const UNOWNED_AGE: Duration = Duration::from_secs(3600);

/// Creates this process's partial in `dir`, locked.
pub fn create(dir: &Path) -> Result<tempfile::NamedTempFile> {
    let partial = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .suffix(SUFFIX)
        .tempfile_in(dir)
        .map_err(io("create a temporary file in", dir))?;
    partial
        .as_file()
        .lock()
        .map_err(io("lock", partial.path()))?;
    Ok(partial)
}

/// Whose a partial is, from its file name.
#[derive(Debug, PartialEq, Eq)]
enum Owner {
    Process(u32),
    /// Named before partials carried a pid.
    Unknown,
}

fn owner(file_name: &str) -> Option<Owner> {
    let middle = file_name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    match middle.split_once('-') {
        Some((pid, random))
            if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && !random.is_empty() =>
        {
            pid.parse().ok().map(Owner::Process)
        }
        Some(_) => None,
        // tempfile's random part is six alphanumeric characters.
        None if middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(Owner::Unknown)
        }
        None => None,
    }
}

fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    // EPERM: it exists, as another user's.
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether a partial's writer is gone, so that the file is debris.
fn abandoned(path: &Path, owner: &Owner) -> bool {
    match owner {
        Owner::Process(pid) => {
            if *pid == std::process::id() || process_exists(*pid) {
                return false;
            }
            // The lock is released when its holder ends, however it ends.
            match File::open(path).map(|file| file.try_lock()) {
                Ok(Ok(())) => true,
                Ok(Err(TryLockError::WouldBlock)) => false,
                Ok(Err(TryLockError::Error(_))) | Err(_) => false,
            }
        }
        Owner::Unknown => std::fs::symlink_metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > UNOWNED_AGE),
    }
}

/// Removes the partials of earlier packs into `dir` whose writers are gone; returns what it
/// removed. A folder that cannot be read has nothing to sweep yet.
pub fn sweep(dir: &Path) -> Vec<PathBuf> {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for item in listing.flatten() {
        let name = item.file_name();
        let Some(owner) = name.to_str().and_then(owner) else {
            continue;
        };
        let path = item.path();
        if item.file_type().is_ok_and(|t| t.is_file())
            && abandoned(&path, &owner)
            && std::fs::remove_file(&path).is_ok()
        {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_whose_a_partial_is() {
        assert_eq!(
            owner(".cargo-fc-4242-a1B2c3.zip.partial"),
            Some(Owner::Process(4242))
        );
        assert_eq!(owner(".cargo-fc-a1B2c3.zip.partial"), Some(Owner::Unknown));
        assert_eq!(owner(".cargo-fc-123456.zip.partial"), Some(Owner::Unknown));
        for other in [
            "hello.zip",
            ".cargo-fc-.zip.partial",
            ".cargo-fc-42-.zip.partial",
            ".cargo-fc-x42-abc.zip.partial",
            ".cargo-fc-toolong1.zip.partial",
            ".cargo-fc-4242-a1B2c3.zip",
        ] {
            assert_eq!(owner(other), None, "{other}");
        }
    }

    /// A pid that no process has: a child that has been reaped.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn only_the_partials_of_gone_writers_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let dead = d.join(format!(".cargo-fc-{}-aaaaaa.zip.partial", dead_pid()));
        std::fs::write(&dead, "debris").unwrap();
        // A live writer's partial: ours, created and locked as a pack does.
        let live = create(d).unwrap();
        // A dead pid but a held lock: a writer in another pid namespace, or whose pid was
        // reused and then ended.
        let held = d.join(format!(".cargo-fc-{}-bbbbbb.zip.partial", dead_pid()));
        std::fs::write(&held, "held").unwrap();
        let holder = File::open(&held).unwrap();
        holder.lock().unwrap();
        // A live pid that holds no lock (pid 1 exists in every namespace): the instant before a
        // writer takes its lock.
        let unlocked = d.join(".cargo-fc-1-cccccc.zip.partial");
        std::fs::write(&unlocked, "new").unwrap();
        // An old-style name, recent: kept; the same, untouched for two hours: swept.
        let recent = d.join(".cargo-fc-Abc123.zip.partial");
        std::fs::write(&recent, "old style").unwrap();
        let stale = d.join(".cargo-fc-Def456.zip.partial");
        std::fs::write(&stale, "old style").unwrap();
        let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        let unrelated = d.join("hello.zip");
        std::fs::write(&unrelated, "zip").unwrap();

        let mut swept = vec![stale, dead];
        swept.sort();
        assert_eq!(sweep(d), swept);
        for kept in [live.path(), &held, &unlocked, &recent, &unrelated] {
            assert!(kept.exists(), "{} was removed", kept.display());
        }
        drop(holder);
        assert_eq!(sweep(d), [held]);
        assert!(live.path().exists());
    }
}
